// C2: degenerate but valid data. fitScore either fits a model whose scores and samples are finite, or refuses with
// a typed error; it never returns NaN. Also scale-equivariance of the exact oracle.
import { createRng, type Points } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { createDistribution } from "@mixdiff/mixtures";
import { exactScoreModel, fitScore } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import { onlyTypedErrors } from "./helpers";

const N = 120;
const rng = createRng(31);
const gauss = Array.from({ length: N * 3 }, () => rng.normal());
const build = (f: (i: number) => number[]): Points => {
  const rows = Array.from({ length: N }, (_, i) => f(i));
  return { data: Float64Array.from(rows.flat()), rows: N, cols: rows[0]!.length };
};
const cases: [string, Points][] = [
  ["all rows identical", build(() => [1.5, -2, 0.25])],
  ["two distinct values repeated", build((i) => (i % 2 ? [1, 1] : [-1, -1]))],
  ["one zero-variance column", build((i) => [gauss[i]!, 7, gauss[N + i]!])],
  ["collinear columns", build((i) => [gauss[i]!, 2 * gauss[i]!, -gauss[i]!])],
  ["integer lattice", build((i) => [Math.round(3 * gauss[i]!), Math.round(3 * gauss[N + i]!)])],
  [
    "N ≤ d after projection (d = 60)",
    { data: Float64Array.from({ length: 60 * 60 }, (_, k) => gauss[k % gauss.length]!), rows: 60, cols: 60 },
  ],
  ["values ~1e150", build((i) => [1e150 * gauss[i]!, 1e150 * gauss[N + i]!])],
];

describe("degenerate data: finite model or typed error, never NaN (C2)", () => {
  it.each(cases)("%s", (_l, x) => {
    const r = onlyTypedErrors(() => {
      const m = fitScore(x, { rng: createRng(1), levels: 4, degree: 2 });
      const y = { data: x.data.slice(0, 5 * x.cols), rows: 5, cols: x.cols };
      for (const t of [0.01, 1, 50]) for (const v of m.score(y, t).data) expect(Number.isFinite(v)).toBe(true);
      for (const v of sample(m, { n: 20, rng: createRng(2), steps: 10 }).samples.data)
        expect(Number.isFinite(v)).toBe(true);
    });
    expect(["ok", "INVALID_INPUT", "NUMERICAL_FAILURE", "RESOURCE_LIMIT"]).toContain(r);
  });
});

describe("scale equivariance of the exact oracle (C2)", () => {
  it("posterior mean of a·X + b equals a·(posterior mean of X) + b", () => {
    const base = {
      dim: 2,
      noiseStd: 1,
      mixing: {
        kind: "atoms",
        points: [
          [-3, 0],
          [3, 1],
        ],
        weights: [0.3, 0.7],
      },
    };
    const a = 1e4;
    const b = [5e5, -2e5];
    const scaled = {
      dim: 2,
      noiseStd: a,
      mixing: {
        kind: "atoms",
        points: base.mixing.points.map((p) => p.map((v, j) => a * v + b[j]!)),
        weights: [0.3, 0.7],
      },
    };
    const m0 = exactScoreModel(createDistribution(base));
    const m1 = exactScoreModel(createDistribution(scaled));
    const y = { data: Float64Array.from([0.3, -1, 2, 2, -4, 0.5]), rows: 3, cols: 2 };
    const ys = { data: y.data.map((v, k) => a * v + b[k % 2]!), rows: 3, cols: 2 };
    for (const t of [0.1, 1, 10]) {
      const f0 = m0.posteriorMean(y, t).data;
      const f1 = m1.posteriorMean(ys, a * a * t).data;
      // relative 1e-9 of the scale: the only error is double rounding of the affine map.
      f0.forEach((v, k) => void expect(Math.abs(f1[k]! - (a * v + b[k % 2]!))).toBeLessThan(1e-9 * a * 10));
    }
  });
});
