import { createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { scoreErrorByLevel } from "./score-error-by-level.js";

describe("scoreErrorByLevel", () => {
  const truth = gaussianMixture({
    means: [
      [-2, 0],
      [2, 1],
    ],
    weights: [0.5, 0.5],
    noiseStd: 1,
  });
  const times = [0, 0.5, 4];

  test("the exact score has zero error at every level", () => {
    const r = scoreErrorByLevel(truth, truth, { times, rng: createRng(0), n: 200 });
    expect(r.map((l) => l.t)).toEqual(times);
    for (const l of r) {
      expect(l.mse).toBe(0);
      expect(l.standardError).toBe(0);
    }
  });

  test("a score off by a constant c has mse = ‖c‖² exactly; a scaled score has relative error (1 − a)²", () => {
    const c = [0.3, -0.4];
    const shifted = {
      score(y: Points, t: number): Points {
        const s = truth.score(y, t);
        for (let i = 0; i < s.rows; i++) for (let j = 0; j < 2; j++) s.data[i * 2 + j]! += c[j]!;
        return s;
      },
    };
    const scaled = {
      score(y: Points, t: number): Points {
        const s = truth.score(y, t);
        for (let k = 0; k < s.data.length; k++) s.data[k] = 0.9 * s.data[k]!;
        return s;
      },
    };
    for (const l of scoreErrorByLevel(shifted, truth, { times, rng: createRng(1), n: 300 })) {
      expect(l.mse).toBeCloseTo(0.25, 12);
    }
    for (const l of scoreErrorByLevel(scaled, truth, { times, rng: createRng(1), n: 300 })) {
      expect(l.relative).toBeCloseTo(0.01, 12);
    }
  });

  test("a single Gaussian: E‖∇ln p_t‖² = d/(σ0² + t), so a zero model has mse ≈ d/(1 + t) within 4 SE", () => {
    // 4 SE: false-failure rate ≈ 6e-5 (CLT for the mean of ‖y‖²/(1+t)², n = 2000)
    const g = gaussianMixture({ means: [[1, 1, 1]], weights: [1], noiseStd: 1 });
    const zero = { score: (y: Points) => ({ data: new Float64Array(y.data.length), rows: y.rows, cols: y.cols }) };
    for (const l of scoreErrorByLevel(zero, g, { times: [0, 1, 9], rng: createRng(2), n: 2000 })) {
      expect(Math.abs(l.mse - 3 / (1 + l.t))).toBeLessThan(4 * l.standardError);
      expect(l.relative).toBeCloseTo(1, 12);
    }
  });

  test("rejects a bad model output and bad times", () => {
    const wrong = { score: (y: Points) => ({ data: new Float64Array(y.rows), rows: y.rows, cols: 1 }) };
    const nan = {
      score: (y: Points) => ({ data: new Float64Array(y.data.length).fill(Number.NaN), rows: y.rows, cols: y.cols }),
    };
    const cases = [
      { model: wrong, times: [1], code: "DIMENSION_MISMATCH" },
      { model: nan, times: [1], code: "NUMERICAL_FAILURE" },
      { model: truth, times: [], code: "INVALID_OPTION" },
      { model: truth, times: [-1], code: "INVALID_OPTION" },
    ];
    for (const c of cases) {
      let err: unknown;
      try {
        scoreErrorByLevel(c.model, truth, { times: c.times, rng: createRng(0), n: 10 });
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, c.code as never)).toBe(true);
    }
  });
});
