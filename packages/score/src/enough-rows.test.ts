import { describe, expect, test } from "vitest";
import type { CrossValidated } from "./choose-candidate.js";
import { ERROR_PRECISION, enoughRows, ROWS_GAIN } from "./enough-rows.js";
import { roundsOf } from "./fit-gated-level.js";

const F = 5;
/** A candidate whose CV loss is `approx − B + F/(F−1)·V` (the model enoughRows assumes). */
function candidate(approxMinusB: number, variance: number, standardError = 0, degree = 1): CrossValidated {
  return { degree, ridge: 0, loss: approxMinusB + (F / (F - 1)) * variance, standardError, variance };
}

describe("enoughRows (when a level's rows stop)", () => {
  test("a correction that cannot beat the base: enough at once (it only adds variance)", () => {
    const c = candidate(0, 0.01);
    expect(enoughRows({ chosen: undefined, richest: c, candidates: [c] }, F, 0.25, "one-se")).toBe(true);
    // with the base's error known and no richer estimate of B, the error estimate is exact (SE 0)
    expect(enoughRows({ chosen: undefined, richest: c, candidates: [c] }, F, 0.25, "one-se", 0.002)).toBe(true);
  });
  test("a correction that all the rows would make worth it: more rows", () => {
    // approx − B = −0.02 (it helps), but on a quarter of the rows its variance 0.03 hides that: CV = +0.0175.
    const c = candidate(-0.02, 0.03);
    const cv = { chosen: undefined, richest: c, candidates: [c] };
    // on all rows its loss would be −0.02 + 0.03·0.25 = −0.0125 < 0 (the base alone now): a gain of 0.0125
    expect(enoughRows(cv, F, 0.25, "one-se")).toBe(false);
    // with every row in, nothing is left to buy
    expect(enoughRows(cv, F, 1, "one-se")).toBe(true);
  });
  test("the chosen correction's own variance: stop when what is left is under ROWS_GAIN of the error", () => {
    const B = 1;
    const small = candidate(-0.5, (0.9 * ROWS_GAIN * (B - 0.5)) / 0.75); // V·(1 − share) just under 5 % of B − 0.5
    const large = candidate(-0.5, (1.1 * ROWS_GAIN * (B - 0.5)) / 0.75);
    for (const [c, want] of [
      [small, true],
      [large, false],
    ] as const) {
      const cv = { chosen: c, richest: c, candidates: [c] };
      // B = F/(F−1)·V − CV of the richest would be 0.5 here: pass B through the base's delta-method error
      expect(enoughRows(cv, F, 0.25, "one-se", B)).toBe(want);
    }
  });
  test("an imprecise error estimate asks for more rows", () => {
    // The richest candidate sets B (F/(F−1)·V − CV = 0.01 > baseVariance), with a CV standard error of 0.02.
    const rich = candidate(-0.01, 0.001, 0.02, 4);
    const cv = { chosen: undefined, richest: rich, candidates: [] };
    expect(enoughRows(cv, F, 0.25, "one-se", 0.001)).toBe(false);
    const precise = candidate(-0.01, 0.001, ERROR_PRECISION * 0.005, 4);
    expect(enoughRows({ chosen: undefined, richest: precise, candidates: [] }, F, 0.25, "one-se", 0.001)).toBe(true);
  });
  test("fewer than two folds cannot tell", () => {
    expect(enoughRows({ chosen: undefined, richest: undefined, candidates: [] }, 1, 0.5, "one-se")).toBe(false);
  });
  test("rounds: a quarter, a half and all of the blocks, distinct", () => {
    expect(roundsOf(10)).toEqual([3, 5, 10]);
    expect(roundsOf(3)).toEqual([1, 2, 3]);
    expect(roundsOf(2)).toEqual([1, 2]);
    expect(roundsOf(1)).toEqual([1]);
  });
});
