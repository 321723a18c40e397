/**
 * The step-level API: a loop over `createStepper(...).step` is the whole-run sampler, byte for byte, for every
 * registered sampler (they are built on it); states are the caller's; bad use is refused.
 */
import { createPoints, createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { vpSchedule } from "@mixdiff/schedules";
import type { ScoreModel } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import { atomsModel, gaussianModel } from "../test/models.js";
import { createStepper, type StepperOptions } from "./create-stepper.js";
import { sample } from "./sample.js";
import { type SamplerName, samplers } from "./samplers.js";

const gmm = atomsModel(gmm2d.mixing.points, gmm2d.mixing.weights, gmm2d.noiseStd);
const names = Object.keys(samplers) as SamplerName[];

function run(model: ScoreModel, o: StepperOptions, n: number, seed: string): Points {
  const stepper = createStepper(model, o);
  const state = stepper.init({ n, rng: createRng(seed) });
  while (state.k < stepper.steps) stepper.step(state);
  return state.y;
}

describe.each(names)("createStepper with %s", (name) => {
  it("steps to the same bytes as the whole-run sampler", () => {
    const o = { sampler: name, steps: 25 };
    expect(run(gmm, o, 31, "s").data).toEqual(sample(gmm, { ...o, n: 31, rng: createRng("s") }).samples.data);
  });

  it("with its own options (a corrector, a schedule) and the default grid, too", () => {
    const own: readonly string[] = samplers[name].options;
    const o = {
      sampler: name,
      tMax: 80,
      ...(own.includes("corrector") && { corrector: { steps: 2, snr: 0.1 } }),
      ...(own.includes("schedule") && { schedule: vpSchedule() }),
    };
    const whole = sample(gmm, { ...o, n: 9, rng: createRng("c") });
    const stepper = createStepper(gmm, o);
    expect(stepper.grid).toEqual(whole.grid);
    expect(run(gmm, o, 9, "c").data).toEqual(whole.samples.data);
  });
});

describe("createStepper", () => {
  it("defaults to the paper's exponential integrator on sample's default grid", () => {
    const stepper = createStepper(gmm);
    const whole = sample(gmm, { n: 5, rng: createRng(2) });
    expect(stepper.sampler).toBe("exponentialIntegrator");
    expect(stepper.grid).toEqual(whole.grid);
    expect(stepper.steps).toBe(whole.grid.length - 1);
    expect(run(gmm, {}, 5, "x").data).toEqual(sample(gmm, { n: 5, rng: createRng("x") }).samples.data);
  });

  it("pieces started at offsets concatenate to one run (per-row noise streams)", () => {
    const stepper = createStepper(gmm, { sampler: "ddpm", steps: 12 });
    const a = stepper.init({ n: 7, rng: createRng(3) });
    const b = stepper.init({ n: 5, rng: createRng(3), offset: 7 });
    // interleaved: the stepper holds no run state
    while (a.k < stepper.steps) {
      stepper.step(a);
      stepper.step(b);
    }
    const whole = sample(gmm, { sampler: "ddpm", steps: 12, n: 12, rng: createRng(3) }).samples.data;
    expect(a.y.data).toEqual(whole.subarray(0, 14));
    expect(b.y.data).toEqual(whole.subarray(14));
  });

  it("a hand-written loop with state.noise() and model.score reproduces a registered rule (DDPM)", () => {
    const stepper = createStepper(gmm, { sampler: "ddpm", steps: 20 });
    const state = stepper.init({ n: 11, rng: createRng(5) });
    const g = stepper.grid;
    for (let k = 0; k < stepper.steps; k++) {
      const [t, tNext] = [g[k]!, g[k + 1]!];
      const z = state.noise();
      const s = gmm.score(state.y, t).data;
      const sd = Math.sqrt((tNext * (t - tNext)) / t);
      const y = state.y.data;
      for (let i = 0; i < y.length; i++) y[i] = y[i]! + (t - tNext) * s[i]! + sd * z[i]!;
    }
    expect(state.y.data).toEqual(sample(gmm, { sampler: "ddpm", steps: 20, n: 11, rng: createRng(5) }).samples.data);
  });

  it("simulates all coordinates of a model with a declared subspace (= sample with simulateSubspace: false)", () => {
    const g = gaussianModel([0, 1, 2], [4, 1, 1]);
    const declared: ScoreModel = { ...g, subspace: { dim: 1, basis: Float64Array.of(1, 0, 0) } };
    const o = { steps: 15 };
    expect(run(declared, o, 6, "u").data).toEqual(
      sample(declared, { ...o, n: 6, rng: createRng("u"), simulateSubspace: false }).samples.data,
    );
  });

  it("refuses a foreign or finished state, bad options and non-finite steps, naming the field", () => {
    const stepper = createStepper(gmm, { steps: 2 });
    const other = createStepper(gmm, { steps: 2 }).init({ n: 1, rng: createRng(1) });
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isMixdiffError(e) ? `${e.code}:${e.location.path ?? e.location.row}` : String(e);
      }
      return "no error";
    };
    expect(code(() => stepper.step(other))).toBe("INVALID_INPUT:state");
    const s = stepper.init({ n: 1, rng: createRng(1) });
    stepper.step(s);
    stepper.step(s);
    expect(code(() => stepper.step(s))).toBe("INVALID_INPUT:state.k");
    expect(code(() => createStepper(gmm, { sampler: "nope" as SamplerName }))).toBe("INVALID_OPTION:sampler");
    expect(code(() => createStepper(gmm, { steps: 0 }))).toBe("INVALID_OPTION:steps");
    expect(code(() => createStepper(gmm, { steps: 3, grid: Float64Array.of(2, 1) }))).toBe("INVALID_OPTION:steps");
    expect(code(() => createStepper(gmm, { sampler: "predictorCorrector", corrector: { steps: -1 } }))).toBe(
      "INVALID_OPTION:corrector.steps",
    );
    expect(code(() => createStepper(gmm, { sampler: "ddpm", schedule: vpSchedule() } as never))).toBe(
      "INVALID_OPTION:schedule",
    );
    expect(code(() => createStepper(gmm, { n: 5 } as never))).toBe("INVALID_OPTION:n");
    expect(code(() => createStepper(gmm, { sampler: ((m: ScoreModel) => m) as never }))).toBe("INVALID_OPTION:sampler");
    expect(code(() => stepper.init({ n: 0, rng: createRng(1) }))).toBe("INVALID_OPTION:n");
    expect(code(() => stepper.init({ n: 2, rng: {} as never }))).toBe("INVALID_OPTION:rng");
    const nan: ScoreModel = {
      ...gmm,
      score: (y: Points, _t: number, out?: Points) => {
        const o = out ?? createPoints(y.rows, y.cols);
        o.data.fill(Number.NaN);
        return o;
      },
    };
    const ns = createStepper(nan, { steps: 3 });
    expect(code(() => ns.step(ns.init({ n: 4, rng: createRng(1), offset: 10 })))).toBe("NUMERICAL_FAILURE:10");
  });
});
