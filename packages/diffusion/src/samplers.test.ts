/**
 * Conformance suite: every check runs over every entry of the `samplers` registry.
 * Statistical checks use fixed seeds; each states its per-assertion false-failure rate.
 */
import { createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { veSchedule, vpLinearSchedule, vpSchedule } from "@mixdiff/schedules";
import { describe, expect, it } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import { exactMoments, impulseRng } from "../test/impulse-rng.js";
import { atomsModel, gaussianModel } from "../test/models.js";
import { meanVar, mmdTest, nearestAtom, sampleAtoms } from "../test/stats.js";
import { exponentialIntegrator, exponentialIntegratorWithOffset } from "./exponential-integrator.js";
import { sample } from "./sample.js";
import type { Sampler } from "./sample-options.js";
import { type SamplerName, samplers } from "./samplers.js";

const entries = Object.entries(samplers) as [SamplerName, (typeof samplers)[SamplerName]][];

/**
 * Expected weak order of the output variance error on a Gaussian target (measured exactly with impulse noise).
 * "biased": converges to a known O(snr²) bias instead (Langevin corrector). A new sampler without an entry is
 * only required to converge.
 */
const expectedOrder: Partial<Record<SamplerName, 1 | 2 | "biased">> = {
  exponentialIntegrator: 1,
  eulerMaruyama: 1,
  ddpm: 1,
  probabilityFlowEuler: 1,
  probabilityFlowHeun: 2,
  predictorCorrector: "biased",
};

/** Noise draws per sample per step (predictor + the default one corrector step for a sampler with a corrector). */
const drawsPerStep = (name: SamplerName) =>
  (samplers[name].options as readonly string[]).includes("corrector") ? 2 : 1;

function exactVariance(name: SamplerName, s: Sampler<object>, v: number, steps: number, extra: object = {}) {
  const g = gaussianModel([0.5], [v]);
  const count = 1 + drawsPerStep(name) * steps;
  return exactMoments((n) => s(g, { n, rng: impulseRng(), steps, tMax: 1000, ...extra }).samples.data, count);
}

const gmm = atomsModel(gmm2d.mixing.points, gmm2d.mixing.weights, gmm2d.noiseStd);

describe.each(entries)("sampler %s", (name, s) => {
  it("returns n × dim finite samples and the grid it used", () => {
    const r = s(gmm, { n: 37, rng: createRng(1), steps: 20 });
    expect(r.samples.rows).toBe(37);
    expect(r.samples.cols).toBe(2);
    expect(r.samples.data.every(Number.isFinite)).toBe(true);
    expect(r.grid.length).toBe(21);
    expect(r.grid[20]).toBeCloseTo(1e-3, 15);
  });

  it("is deterministic: same seed ⇒ same bytes; another seed ⇒ different samples", () => {
    const a = s(gmm, { n: 40, rng: createRng("det"), steps: 15 });
    const b = s(gmm, { n: 40, rng: createRng("det"), steps: 15 });
    const c = s(gmm, { n: 40, rng: createRng("other"), steps: 15 });
    expect(new Uint8Array(a.samples.data.buffer)).toEqual(new Uint8Array(b.samples.data.buffer));
    expect(a.samples.data).not.toEqual(c.samples.data);
  });

  it("is batch invariant: chunk size, prefix and offset give identical bytes", () => {
    const o = { rng: createRng(9), steps: 12 };
    const full = s(gmm, { ...o, n: 50 }).samples.data;
    expect(s(gmm, { ...o, n: 50, chunkSize: 7 }).samples.data).toEqual(full);
    expect(s(gmm, { ...o, n: 50, chunkSize: 1 }).samples.data).toEqual(full);
    expect(s(gmm, { ...o, n: 20 }).samples.data).toEqual(full.subarray(0, 40));
    expect(s(gmm, { ...o, n: 30, offset: 20, chunkSize: 8 }).samples.data).toEqual(full.subarray(40));
  });

  it("uses the batch the model returns (a model may ignore `out`)", () => {
    const fresh = { ...gmm, score: (y: Points, t: number) => gmm.score(y, t) };
    const own: readonly string[] = samplers[name].options;
    const o = {
      n: 12,
      rng: createRng(4),
      steps: 8,
      denoiseFinal: true,
      ...(own.includes("corrector") && { corrector: { steps: 1 } }),
    };
    expect(s(fresh, o).samples.data).toEqual(s(gmm, o).samples.data);
  });

  it("converges on a Gaussian at its expected order (exact variance via impulse noise)", () => {
    const v = 1; // = σ0², so N(mean, (T + σ0²) I) is the exact marginal at T and only discretisation error remains
    const target = v + 1e-3;
    const err = (steps: number) => exactVariance(name, s, v, steps).variance / target - 1;
    const m = exactVariance(name, s, v, 50).mean;
    expect(Math.abs(m - 0.5)).toBeLessThan(1e-12); // the mean is preserved exactly by every linear step
    const e100 = err(100);
    const e200 = err(200);
    const order = expectedOrder[name];
    if (order === 1) {
      // First order: error ∝ 1/steps, so halving the step halves it (±15% for higher-order terms).
      expect(e100 / e200).toBeGreaterThan(1.7);
      expect(e100 / e200).toBeLessThan(2.3);
      expect(Math.abs(e200)).toBeLessThan(0.05);
    } else if (order === 2) {
      expect(e100 / e200).toBeGreaterThan(3.4);
      expect(e100 / e200).toBeLessThan(4.6);
      expect(Math.abs(e200)).toBeLessThan(0.005);
    } else if (order === "biased") {
      // Langevin at step ε = 2·snr²·σ² has stationary variance σ²/(1 − snr²): bias snr²/(1 − snr²) ≈ 0.0263.
      const bias = 0.16 ** 2 / (1 - 0.16 ** 2);
      expect(Math.abs(err(400) - bias)).toBeLessThan(0.01);
    } else {
      expect(Math.abs(err(400))).toBeLessThan(0.05);
    }
  });

  it("samples test-fixtures gmm2d with the exact score: masses, means, covariances and MMD² match direct samples", () => {
    const n = 4000;
    const atoms = gmm2d.mixing.points;
    const weights = gmm2d.mixing.weights;
    const got = s(gmm, { n, rng: createRng(`gmm2d-${name}`) }).samples;
    const truth = sampleAtoms(atoms, weights, gmm2d.noiseStd, n, createRng("gmm2d-truth"));
    // Two-sample z-tests at |z| ≤ 4.5 (two-sided false-failure rate ≈ 7e-6 per assertion), plus an allowance
    // for the discretisation bias of the default step count (≤ 3% of a variance; see default-steps.ts).
    const zMax = 4.5;
    const la = nearestAtom(got, atoms);
    const lb = nearestAtom(truth, atoms);
    for (let i = 0; i < atoms.length; i++) {
      const pa = la.filter((l) => l === i).length / n;
      const pb = lb.filter((l) => l === i).length / n;
      const se = Math.sqrt((pb * (1 - pb) * 2) / n);
      expect(Math.abs(pa - pb), `mass of component ${i}`).toBeLessThan(zMax * se);
      for (let c = 0; c < 2; c++) {
        const a = meanVar(
          Array.from({ length: n }, (_, r) => r)
            .filter((r) => la[r] === i)
            .map((r) => got.data[2 * r + c]!),
        );
        const b = meanVar(
          Array.from({ length: n }, (_, r) => r)
            .filter((r) => lb[r] === i)
            .map((r) => truth.data[2 * r + c]!),
        );
        const seM = Math.sqrt(b.variance / a.n + b.variance / b.n);
        expect(Math.abs(a.mean - b.mean), `mean of component ${i}, coordinate ${c}`).toBeLessThan(zMax * seM);
      }
    }
    // Overall covariance entries: z-test with the SE of the per-row products, plus 3% bias allowance.
    const centred = (p: Points, c: number, mu: number) => Array.from({ length: n }, (_, r) => p.data[2 * r + c]! - mu);
    const muA = [0, 1].map((c) => meanVar(centred(got, c, 0)).mean);
    const muB = [0, 1].map((c) => meanVar(centred(truth, c, 0)).mean);
    for (const [c1, c2] of [
      [0, 0],
      [0, 1],
      [1, 1],
    ] as const) {
      const prod = (p: Points, mu: number[]) =>
        Array.from({ length: n }, (_, r) => (p.data[2 * r + c1]! - mu[c1]!) * (p.data[2 * r + c2]! - mu[c2]!));
      const a = meanVar(prod(got, muA));
      const b = meanVar(prod(truth, muB));
      const se = Math.sqrt(b.variance / n + b.variance / n);
      const scale = Math.sqrt(meanVar(prod(truth, muB)).mean ** 2 + 1);
      expect(Math.abs(a.mean - b.mean), `covariance (${c1}, ${c2})`).toBeLessThan(zMax * se + 0.03 * scale);
    }
    // MMD² (Gaussian kernel, bandwidth σ0) on 1000 vs 1000 points against its permutation null: the statistic
    // must be within 5 null standard deviations of the null mean (false-failure rate < 1e-4 for the
    // near-normal null of unbiased MMD²).
    const sub = (p: Points, m: number): Points => ({ data: p.data.subarray(0, 2 * m), rows: m, cols: 2 });
    const t = mmdTest(sub(got, 1000), sub(truth, 1000), 1, 20, createRng("perm"));
    expect(t.mmd2).toBeLessThan(t.nullMean + 5 * t.nullSd);
  });

  it("refuses every other sampler's own option, naming it and the samplers that use it", () => {
    const own: readonly string[] = s.options;
    const foreign = [...new Set(entries.flatMap(([, e]) => samplers[e.name as SamplerName].options))].filter(
      (o) => !own.includes(o),
    );
    const values: Record<string, unknown> = { schedule: vpSchedule(), corrector: { steps: 1 } };
    for (const o of foreign) {
      const users = entries.filter(([, e]) => (samplers[e.name as SamplerName].options as string[]).includes(o));
      let err: unknown;
      try {
        sample(gmm, { n: 2, rng: createRng(1), steps: 3, sampler: name, [o]: values[o] } as never);
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, "INVALID_OPTION"), String(err)).toBe(true);
      expect((err as Error).message).toBe(
        `${name}: option "${o}" is not used by ${name}; it is used by ${users.map(([n]) => n).join(", ")}`,
      );
    }
    // an unknown key is refused too; a key set to undefined counts as absent
    expect(() => s(gmm, { n: 2, rng: createRng(1), steps: 3, stpes: 4 } as never)).toThrow(/unknown option "stpes"/);
    expect(s(gmm, { n: 2, rng: createRng(1), steps: 3, schedule: undefined } as never).samples.rows).toBe(2);
  });

  it("carries a one-line note and its option list", () => {
    expect(s.name).toBe(name);
    expect(s.note.length).toBeGreaterThan(10);
    expect(s.note).not.toContain("\n");
    expect(Array.isArray(s.options)).toBe(true);
  });

  it("records trajectories every k-th step plus the last, reports progress and honours abort", () => {
    const calls: number[] = [];
    const r = s(gmm, {
      n: 10,
      rng: createRng(3),
      steps: 10,
      chunkSize: 4,
      trajectoryEvery: 4,
      onProgress: (p) => calls.push(p.step + 100 * p.done),
    });
    expect(r.trajectory?.steps).toEqual([0, 4, 8, 10]);
    expect(r.trajectory?.times).toEqual([0, 4, 8, 10].map((k) => r.grid[k]!));
    const traj = r.trajectory!;
    expect(traj.points[3]!.data).toEqual(r.samples.data);
    expect(traj.points[0]!.rows).toBe(10);
    expect(calls.length).toBe(30); // 3 chunks × 10 steps
    expect(calls[29]).toBe(10 + 100 * 8);
    let err: unknown;
    try {
      s(gmm, { n: 5, rng: createRng(1), steps: 5, signal: { aborted: true } });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "INTERRUPTED")).toBe(true);
  });
});

describe("the paper's exponential integrator", () => {
  it("with the printed (t − 1) coefficient diverges (NUMERICAL_FAILURE); with (t + 1) it converges", () => {
    const printed = exponentialIntegratorWithOffset(-1);
    let err: unknown;
    try {
      printed(gmm, { n: 100, rng: createRng(1), steps: 100 });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "NUMERICAL_FAILURE")).toBe(true);
    // (t + 1) is the σ0 = 1 case of (t + σ0²): identical bytes to the default.
    const corrected = exponentialIntegratorWithOffset(1)(gmm, { n: 100, rng: createRng(1), steps: 100 });
    expect(corrected.samples.data).toEqual(
      exponentialIntegrator(gmm, { n: 100, rng: createRng(1), steps: 100 }).samples.data,
    );
  });

  it("reproduces PAPER.md §4.1's 1-D check: 0.3 N(−4, 1) + 0.7 N(3, 1), 300 geometric-ish steps from T = 400", () => {
    const model = atomsModel([[-4], [3]], [0.3, 0.7]);
    const n = 8000;
    const { samples } = exponentialIntegrator(model, { n, rng: createRng("paper"), steps: 300, tMax: 400 });
    const frac = samples.data.filter((v) => v > 0).length / n;
    // P(X > 0) = 0.3·Φ(−4) + 0.7·Φ(3) = 0.69907; binomial SE √(p(1−p)/n) = 0.0051; |z| ≤ 4.5 (rate 7e-6).
    expect(Math.abs(frac - 0.69907)).toBeLessThan(4.5 * Math.sqrt((0.699 * 0.301) / n));
    // Variance 0.21·49 + 1 = 11.29 (+ tMin); SE of a sample variance ≈ √((μ4 − σ⁴)/n) ≈ 0.125 here; 4.5 SE + 3% bias.
    const mv = meanVar(samples.data);
    expect(Math.abs(mv.variance - 11.291)).toBeLessThan(4.5 * 0.125 + 0.03 * 11.29);
  });
});

describe("other schedules", () => {
  const cases = [
    ["eulerMaruyama", "vp", vpSchedule()],
    ["eulerMaruyama", "vpLinear", vpLinearSchedule()],
    ["probabilityFlowEuler", "vp", vpSchedule()],
    ["probabilityFlowHeun", "ve", veSchedule()],
    ["probabilityFlowHeun", "vp", vpSchedule()],
  ] as const;
  it.each(cases)("%s with the %s schedule converges on a Gaussian (exact variance)", (name, _k, schedule) => {
    const s = samplers[name];
    const tMax = schedule.kind === "vpLinear" ? 2e4 : 1000;
    const g = gaussianModel([0.5], [1]);
    const m = exactMoments((n) => s(g, { n, rng: impulseRng(), steps: 400, tMax, schedule }).samples.data, 401);
    // The VP drift acts on the mean too, so it carries a first-order error like the variance (≤ 5% here).
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.05 * 0.5);
    expect(Math.abs(m.variance / (1 + 1e-3) - 1)).toBeLessThan(0.05);
  });
});

describe("options", () => {
  it("denoiseFinal applies one Tweedie step y + tMin·s(y) to the same samples", () => {
    const o = { n: 20, rng: createRng(5), steps: 10 };
    const plain = exponentialIntegrator(gmm, o);
    const den = exponentialIntegrator(gmm, { ...o, denoiseFinal: true });
    const sc = gmm.score(plain.samples, 1e-3);
    for (let i = 0; i < 40; i++)
      expect(den.samples.data[i]).toBeCloseTo(plain.samples.data[i]! + 1e-3 * sc.data[i]!, 12);
  });

  it("a custom grid is used as given", () => {
    const grid = new Float64Array([50, 10, 2, 0.5, 0.01]);
    const r = sample(gmm, { n: 3, rng: createRng(1), grid, sampler: "ddpm" });
    expect(r.grid).toEqual(grid);
  });

  const bad: readonly [string, () => unknown, string][] = [
    ["n = 0", () => sample(gmm, { n: 0, rng: createRng(1) }), "INVALID_OPTION"],
    ["n = 1.5", () => sample(gmm, { n: 1.5, rng: createRng(1) }), "INVALID_OPTION"],
    ["no rng", () => sample(gmm, { n: 1 } as never), "INVALID_OPTION"],
    ["steps = 0", () => sample(gmm, { n: 1, rng: createRng(1), steps: 0 }), "INVALID_OPTION"],
    ["chunkSize = 0", () => sample(gmm, { n: 1, rng: createRng(1), chunkSize: 0 }), "INVALID_OPTION"],
    ["tMin ≥ tMax", () => sample(gmm, { n: 1, rng: createRng(1), tMax: 1, tMin: 2 }), "INVALID_OPTION"],
    [
      "unknown sampler",
      () => sample(gmm, { n: 1, rng: createRng(1), sampler: "dpm" as SamplerName }),
      "INVALID_OPTION",
    ],
    [
      "grid with steps",
      () => sample(gmm, { n: 1, rng: createRng(1), grid: new Float64Array([2, 1]), steps: 4 }),
      "INVALID_OPTION",
    ],
    [
      "grid increasing",
      () => sample(gmm, { n: 1, rng: createRng(1), grid: new Float64Array([1, 2]) }),
      "INVALID_OPTION",
    ],
    [
      "grid NaN",
      () => sample(gmm, { n: 1, rng: createRng(1), grid: new Float64Array([2, Number.NaN]) }),
      "INVALID_OPTION",
    ],
    ["grid too short", () => sample(gmm, { n: 1, rng: createRng(1), grid: new Float64Array([2]) }), "INVALID_OPTION"],
    [
      "tMax above a learned model's",
      () => sample({ ...gmm, tMax: 10 }, { n: 1, rng: createRng(1), tMax: 20 }),
      "INVALID_OPTION",
    ],
    [
      "corrector steps −1",
      () => sample(gmm, { n: 1, rng: createRng(1), sampler: "predictorCorrector", corrector: { steps: -1 } }),
      "INVALID_OPTION",
    ],
    ["trajectoryEvery 0", () => sample(gmm, { n: 1, rng: createRng(1), trajectoryEvery: 0 }), "INVALID_OPTION"],
    ["huge n", () => sample(gmm, { n: 1e9, rng: createRng(1) }), "RESOURCE_LIMIT"],
    [
      "schedule not a NoiseSchedule",
      () => sample(gmm, { n: 1, rng: createRng(1), sampler: "eulerMaruyama", schedule: "vp" as never }),
      "INVALID_OPTION",
    ],
    ["bad model", () => sample({ dim: 2 } as never, { n: 1, rng: createRng(1) }), "INVALID_INPUT"],
    [
      "T beyond a VP-linear schedule's range",
      () => sample(gmm, { n: 1, rng: createRng(1), sampler: "eulerMaruyama", tMax: 1e6, schedule: vpLinearSchedule() }),
      "INVALID_OPTION",
    ],
  ];
  it.each(bad)("rejects %s", (_n, f, code) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, code as "INVALID_OPTION"), String(err)).toBe(true);
  });

  it("a learned model's finite tMax is the default start", () => {
    const r = sample({ ...gmm, tMax: 30 }, { n: 2, rng: createRng(1), steps: 5 });
    expect(r.grid[0]).toBe(30);
  });
});
