import { createPoints, toPoints } from "@mixdiff/core";
import { createDistribution, gaussianMixture } from "@mixdiff/mixtures";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import ref from "../../../test-fixtures/eval/reference-values.json";
import { toDenoiser, toEpsilon, toX0 } from "./adapters.js";
import { exactScoreModel } from "./exact-score-model.js";
import { scoreError } from "./score-error.js";

describe("exactScoreModel", () => {
  const oracle = exactScoreModel(createDistribution(gmm2d as never));
  test("matches the numpy reference values for gmm2d (1e-9 relative)", () => {
    for (const r of ref.cases.gmm2d) {
      const y = toPoints([r.y]);
      const s = oracle.score(y, r.t).data;
      const f = oracle.posteriorMean(y, r.t).data;
      for (let j = 0; j < 2; j++) {
        expectClose(s[j]!, r.score[j]!, { abs: 1e-9 * Math.max(1, Math.abs(r.score[j]!)) });
        expectClose(f[j]!, r.posteriorMean[j]!, {
          abs: 1e-9 * Math.max(1, Math.abs(r.posteriorMean[j]!)),
        });
      }
    }
  });
  test("exposes dim, σ0, E[X] and tMax = ∞; rejects a bad t", () => {
    expect(oracle.dim).toBe(2);
    expect(oracle.sigma0).toBe(1);
    expect(oracle.tMax).toBe(Infinity);
    // E[μ] = 0.4·(−4,0) + 0.35·(4,0) + 0.25·(0,5) = (−0.2, 1.25)
    expectClose(oracle.mean, [-0.2, 1.25], { abs: 1e-12, what: "E[μ]" });
    expect(() => oracle.score(createPoints(1, 2), Number.NaN)).toThrowError(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});

describe("adapters (closed form: single Gaussian N(m, σ0² I), score −(y−m)/(σ0²+t))", () => {
  const m = [1, -2];
  const oracle = exactScoreModel(gaussianMixture({ means: [m], weights: [1], noiseStd: 0.5 }));
  const y = toPoints([
    [0.3, 0.7],
    [-2, 4],
  ]);
  const cases = [
    {
      name: "toDenoiser",
      f: (yy: typeof y, t: number) => toDenoiser(oracle)(yy, Math.sqrt(t)),
      expected: (v: number, mj: number, t: number) => mj + ((v - mj) * 0.25) / (0.25 + t),
    },
    {
      name: "toX0",
      f: toX0(oracle),
      expected: (v: number, mj: number, t: number) => mj + ((v - mj) * 0.25) / (0.25 + t),
    },
    {
      name: "toEpsilon",
      f: toEpsilon(oracle),
      expected: (v: number, mj: number, t: number) => (Math.sqrt(t) * (v - mj)) / (0.25 + t),
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      for (const t of [0.01, 1, 30]) {
        const out = c.f(y, t).data;
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 2; j++) {
            const want = c.expected(y.data[i * 2 + j]!, m[j]!, t);
            expectClose(out[i * 2 + j]!, want, { abs: 1e-12 * Math.max(1, Math.abs(want)) });
          }
      }
    });
  }
  test("denoiser rejects a negative sigma", () => {
    expect(() => toDenoiser(oracle)(y, -1)).toThrowError(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe("exactScoreModel: batches of any PointsLike (issue 18)", () => {
  test("number[][] gives the same bytes as Points; shape and finiteness are checked at the boundary", () => {
    const m = exactScoreModel(
      gaussianMixture({
        means: [
          [-2, 0],
          [2, 1],
        ],
      }),
    );
    const rows = [
      [0.5, 1],
      [-3, 2],
    ];
    for (const t of [0, 1]) {
      expect(Array.from(m.score(rows, t).data)).toEqual(Array.from(m.score(toPoints(rows), t).data));
      expect(Array.from(m.posteriorMean(rows, t).data)).toEqual(Array.from(m.posteriorMean(toPoints(rows), t).data));
    }
    expect(() => m.score([[1]], 1)).toThrowError(expect.objectContaining({ code: "DIMENSION_MISMATCH" }));
    expect(() => m.score([[1, Number.NaN]], 1)).toThrowError(expect.objectContaining({ code: "NON_FINITE_INPUT" }));
  });
});

describe("scoreError", () => {
  const a = exactScoreModel(gaussianMixture({ means: [[0, 0]], weights: [1] }));
  const b = exactScoreModel(gaussianMixture({ means: [[0, 0]], weights: [1], noiseStd: Math.sqrt(2) }));
  const y = toPoints([
    [1, 2],
    [-3, 0.5],
    [0.2, -1],
  ]);
  test("zero against itself", () => {
    const e = scoreError(a, a, 1, y);
    expect(e.mse).toBe(0);
    expect(e.relative).toBe(0);
  });
  test("relative error of a rescaled score is the scale error", () => {
    // a: −y/(1+t), b: −y/(2+t); at t = 0: ŝ = 2·s, so the relative error is exactly 1
    expectClose(scoreError(a, b, 0, y).relative, 1, { abs: 1e-12 });
  });
  test("dimension mismatch", () => {
    expect(() => scoreError(a, a, 1, toPoints([[1], [2]]))).toThrowError(
      expect.objectContaining({ code: "DIMENSION_MISMATCH" }),
    );
  });
});
