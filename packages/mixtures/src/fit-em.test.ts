import { createRng, row } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import { createDistribution } from "./create-distribution.js";
import { emDistribution } from "./em-distribution.js";
import { fitEm } from "./fit-em.js";
import { fitEmBic } from "./fit-em-bic.js";
import { gaussianMixture } from "./gaussian-mixture.js";

/** max over true components of the max-abs coordinate error to the nearest fitted mean. */
function meanError(truth: number[][], fitted: { rows: number; cols: number; data: Float64Array }): number {
  let worst = 0;
  for (const m of truth) {
    let best = Infinity;
    for (let j = 0; j < fitted.rows; j++) {
      const f = row(fitted, j);
      let e = 0;
      for (let c = 0; c < m.length; c++) e = Math.max(e, Math.abs(f[c]! - m[c]!));
      best = Math.min(best, e);
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

describe("fitEm", () => {
  // Done-criterion of the issue: means recovered to within 0.1 from 20 000 samples (max over components of the
  // max-abs coordinate error). With σ0 = 1 and weight w, a fitted coordinate has standard error ≈ 1/√(20000·w)
  // ≤ 0.023 (w ≥ 0.1, inflated ≤ 1.2× by the overlap of gmm10d), so 0.1 is ≥ 3.6 SE: per-coordinate false
  // failure ≤ 3e-4, ≤ 1.3e-2 over the 40 coordinates of gmm10d for an arbitrary seed (the seeds are fixed).
  it.each([
    ["gmm2d", gmm2d],
    ["gmm10d", gmm10d],
  ] as const)("recovers the means of %s from 20 000 samples to within 0.1", (_name, spec) => {
    const p = createDistribution(spec);
    const { x } = p.sample(20_000, createRng(11));
    const fit = fitEm(x, { k: spec.mixing.points.length, rng: createRng(12), restarts: 3 });
    expect(fit.converged).toBe(true);
    expect(meanError(spec.mixing.points, fit.means)).toBeLessThan(0.1);
    // weights: SE √(w(1−w)/n) ≤ 0.0035; 0.02 is > 5 SE
    const sorted = [...spec.mixing.weights].sort((a, b) => b - a);
    for (let j = 0; j < sorted.length; j++) expect(Math.abs(fit.weights[j]! - sorted[j]!)).toBeLessThan(0.02);
    // EM never decreases the likelihood (up to rounding)
    for (let i = 1; i < fit.history.length; i++) {
      expect(fit.history[i]!).toBeGreaterThanOrEqual(fit.history[i - 1]! - 1e-9 * Math.abs(fit.history[i - 1]!));
    }
    expect(fit.logLikelihood).toBe(fit.history[fit.history.length - 1]);
  });

  it("estimates σ0 when asked (SE of σ̂ ≈ σ/√(2nd) ≈ 0.005; tolerance 0.03)", () => {
    const p = gaussianMixture({
      means: [
        [-6, 0],
        [6, 0],
        [0, 7],
      ],
      noiseStd: 1.5,
    });
    const { x } = p.sample(5000, createRng(3));
    const fit = fitEm(x, { k: 3, rng: createRng(4), noiseStd: "estimate" });
    expect(Math.abs(fit.noiseStd - 1.5)).toBeLessThan(0.03);
  });

  it("log-likelihood and BIC agree with the fitted distribution's log-density", () => {
    const { x } = gaussianMixture({ means: [[-3], [3]] }).sample(400, createRng(5));
    const fit = fitEm(x, { k: 2, rng: createRng(6) });
    const ll = emDistribution(fit)
      .logDensity(x)
      .reduce((a, b) => a + b, 0);
    expect(Math.abs(ll - fit.logLikelihood)).toBeLessThan(1e-9 * Math.abs(ll));
    expect(fit.bic).toBeCloseTo(-2 * fit.logLikelihood + 3 * Math.log(400), 8);
  });

  it("is deterministic for a seed and independent restarts differ", () => {
    const { x } = gaussianMixture({
      means: [
        [-2, 0],
        [2, 0],
        [0, 2],
      ],
    }).sample(300, createRng(7));
    const a = fitEm(x, { k: 3, rng: createRng(8), restarts: 2 });
    const b = fitEm(x, { k: 3, rng: createRng(8), restarts: 2 });
    expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
    const r0 = fitEm(x, { k: 3, rng: createRng(8), restarts: 1, maxIterations: 0 });
    const r1 = fitEm(x, { k: 3, rng: createRng(9), restarts: 1, maxIterations: 0 });
    expect(Array.from(r0.means.data)).not.toEqual(Array.from(r1.means.data));
  });

  it.each([
    [{ k: 0 }, "k"],
    [{ k: 1000 }, "k"],
    [{ k: 2, noiseStd: -1 }, "noiseStd"],
    [{ k: 2, restarts: 0 }, "restarts"],
  ] as const)("rejects bad options %j", (opts, path) => {
    expect(() => fitEm([[0], [1], [2]], { rng: createRng(1), ...opts })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", location: { path } }),
    );
  });
  it("rejects non-finite data naming the row and column", () => {
    expect(() =>
      fitEm(
        [
          [0, 1],
          [Number.NaN, 2],
        ],
        { k: 1, rng: createRng(1) },
      ),
    ).toThrow(expect.objectContaining({ code: "NON_FINITE_INPUT", location: { row: 1, column: 0 } }));
  });
  it("rejects a finite value whose square overflows (1e308) naming the row and column, not a NaN likelihood", () => {
    const x = Array.from({ length: 20 }, (_, i) => [i, 2 * i]);
    x[7] = [3, 1e308];
    expect(() => fitEm(x, { k: 2, rng: createRng(1) })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT", location: { row: 7, column: 1 } }),
    );
    expect(() => fitEm(x, { k: 2, rng: createRng(1) })).toThrow(/row 7, column 1 is 1e\+308/);
  });
});

describe("fitEm with k close to N (C2)", () => {
  const LN_2PI = Math.log(2 * Math.PI);
  /** Tiny data sets: N = 2 and 3, distinct rows and with duplicates. */
  const sets: [string, number[][]][] = [
    ["N = 2, 1-D, distinct", [[0], [1]]],
    ["N = 2, identical rows", [[1], [1]]],
    [
      "N = 3, 2-D, distinct",
      [
        [0, 0],
        [1, 2],
        [3, -1],
      ],
    ],
    [
      "N = 3, 2-D, two identical rows",
      [
        [0, 0],
        [0, 0],
        [3, -1],
      ],
    ],
    [
      "N = 3, all rows identical",
      [
        [2, 2],
        [2, 2],
        [2, 2],
      ],
    ],
  ];
  const cases = sets.flatMap(([name, x]) =>
    [...new Set([1, x.length - 1, x.length])].flatMap((k) =>
      ([1, "estimate"] as const).map((noiseStd) => [name, x, k, noiseStd] as const),
    ),
  );

  it.each(cases)("%s, k = %i, noiseStd %s: a finite fit, never NaN", (_name, x, k, noiseStd) => {
    const N = x.length;
    const d = x[0]!.length;
    const fit = fitEm(x, { k, rng: createRng(1), noiseStd });
    expect(fit.k).toBe(k);
    for (const v of [fit.logLikelihood, fit.bic, fit.noiseStd, ...fit.weights, ...fit.means.data])
      expect(Number.isFinite(v)).toBe(true);
    expect(fit.noiseStd).toBeGreaterThan(0);
    expect(Math.abs(fit.weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    // The fitted mixture evaluates to the reported likelihood (finite at every row).
    const dens = emDistribution(fit).logDensity(x);
    for (const v of dens) expect(Number.isFinite(v)).toBe(true);
    const ll = dens.reduce((a, b) => a + b, 0);
    expect(Math.abs(ll - fit.logLikelihood)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ll)));
    // With σ0 = 1 fixed every component density is ≤ (2π)^(−d/2), so ll ≤ −N·d/2·ln 2π.
    if (noiseStd === 1) expect(fit.logLikelihood).toBeLessThanOrEqual((-N * d * LN_2PI) / 2 + 1e-9);
    // k = 1 is the closed form: the sample mean, and σ̂² = Σ|x − x̄|²/(N·d) (floored when it is 0).
    if (k === 1) {
      const mean = Array.from({ length: d }, (_, c) => x.reduce((a, r) => a + r[c]!, 0) / N);
      mean.forEach((m, c) => void expect(Math.abs(fit.means.data[c]! - m)).toBeLessThan(1e-12 * (1 + Math.abs(m))));
      if (noiseStd === "estimate") {
        const s2 = x.reduce((a, r) => a + r.reduce((b, v, c) => b + (v - mean[c]!) ** 2, 0), 0) / (N * d);
        expect(Math.abs(fit.noiseStd - Math.sqrt(Math.max(s2, 1e-300)))).toBeLessThan(
          1e-9 * Math.sqrt(Math.max(s2, 1e-300)),
        );
      }
    }
  });

  it("k = N with σ0 estimated collapses to the documented floor: one component per row, σ̂ = 1e-6 × rms deviation", () => {
    const x = [
      [0, 0],
      [1, 2],
      [3, -1],
    ];
    const fit = fitEm(x, { k: 3, rng: createRng(1), noiseStd: "estimate" });
    const rms = fitEm(x, { k: 1, rng: createRng(1), noiseStd: "estimate" }).noiseStd;
    expect(Math.abs(fit.noiseStd - 1e-6 * rms)).toBeLessThan(1e-9 * 1e-6 * rms);
    const rows = Array.from({ length: 3 }, (_, j) =>
      Array.from(row(fit.means, j)).map((v) => Math.round(v * 1e6) / 1e6),
    );
    expect(rows.sort()).toEqual([...x].sort());
    fit.weights.forEach((w) => void expect(Math.abs(w - 1 / 3)).toBeLessThan(1e-12));
  });

  it.each([
    [[[0], [1]], 3],
    [
      [
        [0, 0],
        [1, 2],
        [3, -1],
      ],
      4,
    ],
    [[[5, 5]], 2],
  ] as const)("k > N is a typed error naming k and N (%j, k = %i)", (x, k) => {
    let err: unknown;
    try {
      fitEm(x as unknown as number[][], { k, rng: createRng(1) });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "INVALID_OPTION", location: { path: "k" }, details: { k, samples: x.length } });
    expect((err as Error).message).toContain(`k = ${k}`);
    expect((err as Error).message).toContain(`N = ${x.length}`);
  });
});

describe("fitEmBic", () => {
  it("chooses k = 3 for gmm2d (3000 samples)", () => {
    const { x } = createDistribution(gmm2d).sample(3000, createRng(21));
    const { best, candidates } = fitEmBic(x, { kMax: 5, rng: createRng(22), restarts: 2, maxIterations: 200 });
    expect(candidates.map((c) => c.k)).toEqual([1, 2, 3, 4, 5]);
    expect(best.k).toBe(3);
  });
});
