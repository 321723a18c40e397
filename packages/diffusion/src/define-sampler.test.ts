/**
 * A user's own sampler, without editing the package: `defineSampler` (a kernel) runs through `sample` and
 * `createStepper`, a plain Sampler function through `sample`; the pieces (step helpers, the Langevin corrector
 * wrapper, the Tweedie step) rebuild the registered samplers byte for byte.
 */
import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import { atomsModel } from "../test/models.js";
import { createStepper } from "./create-stepper.js";
import { defineSampler } from "./define-sampler.js";
import { withLangevinCorrector } from "./langevin-corrector.js";
import { sample } from "./sample.js";
import type { SampleOptions, SampleResult } from "./sample-options.js";
import { samplers } from "./samplers.js";
import { affineUpdate, noiseAndScore } from "./step-helpers.js";
import { tweedieDenoise } from "./tweedie-denoise.js";

const gmm = atomsModel(gmm2d.mixing.points, gmm2d.mixing.weights, gmm2d.noiseStd);

/** DDPM written by a user from the step helpers, with an `eta` option scaling the noise (eta = 1: DDPM). */
const myDdpm = defineSampler<{ eta?: number }>({
  name: "myDdpm",
  note: "DDPM with the noise scaled by eta",
  options: ["eta"],
  kernel: (o) => ({
    scratch: 0,
    step(state, _k, tCur, tNext) {
      const h = tCur - tNext;
      const { y, s, z } = noiseAndScore(state, tCur);
      affineUpdate(y, h, s, (o.eta ?? 1) * Math.sqrt((tNext * h) / tCur), z);
    },
  }),
});

describe("a user's own sampler", () => {
  it("defineSampler: sample and createStepper run it; with eta = 1 it is DDPM byte for byte", () => {
    const o = { n: 40, steps: 25, chunkSize: 16 };
    const ref = sample(gmm, { ...o, rng: createRng("u"), sampler: "ddpm" }).samples.data;
    expect(sample(gmm, { ...o, rng: createRng("u"), sampler: myDdpm }).samples.data).toEqual(ref);
    expect(sample(gmm, { ...o, rng: createRng("u"), sampler: myDdpm, eta: 1 }).samples.data).toEqual(ref);
    expect(myDdpm(gmm, { ...o, rng: createRng("u") }).samples.data).toEqual(ref);
    const stepper = createStepper(gmm, { sampler: myDdpm, steps: 25, eta: 1 });
    expect(stepper.sampler).toBe("myDdpm");
    const state = stepper.init({ n: 40, rng: createRng("u") });
    while (state.k < stepper.steps) stepper.step(state);
    expect(state.y.data).toEqual(ref);
    // eta = 0 draws no noise after the start: a different (deterministic given the start) run
    expect(sample(gmm, { ...o, rng: createRng("u"), sampler: myDdpm, eta: 0 }).samples.data).not.toEqual(ref);
  });

  it("its options follow the unknown-option rule, naming the samplers that use a foreign option", () => {
    expect(() => sample(gmm, { n: 2, rng: createRng(1), sampler: myDdpm, corrector: { steps: 1 } } as never)).toThrow(
      'myDdpm: option "corrector" is not used by myDdpm; it is used by predictorCorrector',
    );
    expect(() => sample(gmm, { n: 2, rng: createRng(1), sampler: "ddpm", eta: 1 } as never)).toThrow(
      'ddpm: option "eta" is not used by ddpm; it is used by myDdpm',
    );
  });

  it("a plain Sampler function runs through sample (not createStepper: it has no rule to step)", () => {
    const calls: SampleOptions[] = [];
    const plain = (model: typeof gmm, options: SampleOptions): SampleResult => {
      calls.push(options);
      return samplers.ddpm(model, options);
    };
    const r = sample(gmm, { n: 5, rng: createRng(2), steps: 10, sampler: plain });
    expect(r.samples.data).toEqual(sample(gmm, { n: 5, rng: createRng(2), steps: 10, sampler: "ddpm" }).samples.data);
    expect("sampler" in (calls[0] as object)).toBe(false);
    let err: unknown;
    try {
      createStepper(gmm, { sampler: plain as never });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "INVALID_OPTION")).toBe(true);
  });

  it("defineSampler refuses a malformed definition, naming the field", () => {
    const bad = (d: unknown) => {
      try {
        defineSampler(d as never);
      } catch (e) {
        return isMixdiffError(e, "INVALID_OPTION") ? e.location.path : String(e);
      }
      return "no error";
    };
    expect(bad(null)).toBe("definition");
    expect(bad({ name: "", note: "x", options: [], kernel: () => ({}) })).toBe("name");
    expect(bad({ name: "a", options: [], kernel: () => ({}) })).toBe("note");
    expect(bad({ name: "a", note: "x", options: [] })).toBe("kernel");
    expect(bad({ name: "a", note: "x", options: ["steps"], kernel: () => ({}) })).toBe("options");
  });
});

describe("the pieces", () => {
  it("withLangevinCorrector around the exponential integrator's kernel is predictorCorrector", () => {
    const pc = defineSampler({
      name: "eiWithCorrector",
      note: "exponential integrator + 2 Langevin steps at snr 0.1",
      options: [],
      kernel: (o, fn) => withLangevinCorrector(samplers.exponentialIntegrator.kernel(o, fn), { steps: 2, snr: 0.1 }),
    });
    const o = { n: 30, steps: 20 };
    expect(sample(gmm, { ...o, rng: createRng(4), sampler: pc }).samples.data).toEqual(
      sample(gmm, { ...o, rng: createRng(4), sampler: "predictorCorrector", corrector: { steps: 2, snr: 0.1 } }).samples
        .data,
    );
    // 0 corrector steps: the predictor alone
    const k = samplers.ddpm.kernel({}, "t");
    expect(withLangevinCorrector(k, { steps: 0, snr: 0.1 })).toBe(k);
    expect(() => withLangevinCorrector(k, { steps: 1, snr: 0 })).toThrow(/corrector\.snr/);
  });

  it("tweedieDenoise at tMin is denoiseFinal", () => {
    const o = { n: 25, steps: 15 };
    const plain = sample(gmm, { ...o, rng: createRng(8) });
    const den = sample(gmm, { ...o, rng: createRng(8), denoiseFinal: true });
    const tMin = plain.grid[plain.grid.length - 1] as number;
    expect(tweedieDenoise(gmm, plain.samples, tMin).data).toEqual(den.samples.data);
  });
});
