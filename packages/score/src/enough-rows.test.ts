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
    expect(enoughRows({ chosen: undefined, richest: c, candidates: [c] }, F)).toBe(true);
    // with the base's error known and no richer estimate of B, the error estimate is exact (SE 0)
    expect(enoughRows({ chosen: undefined, richest: c, candidates: [c] }, F, 0.002)).toBe(true);
  });
  test("a correction that more rows would make worth it: more rows", () => {
    // approx − B = −0.02 (it helps), but on these rows its variance 0.03 hides that: CV = +0.0175 (base alone now).
    const c = candidate(-0.02, 0.03);
    expect(enoughRows({ chosen: undefined, richest: c, candidates: [c] }, F)).toBe(false);
    // the same help with its variance gone is chosen, and nothing is left to buy
    const settled = candidate(-0.02, 1e-6);
    expect(enoughRows({ chosen: settled, richest: settled, candidates: [settled] }, F, 0.05)).toBe(true);
  });
  test("the chosen correction's own variance: stop once it is under ROWS_GAIN of the level's error", () => {
    const B = 1; // the base's error, passed as its delta-method variance (the richest's bound is 0.5 here)
    for (const [v, want] of [
      [0.02, true], // error 0.5 + 0.02 → 5 % is 0.026 ≥ 0.02
      [0.03, false], // error 0.53 → 5 % is 0.0265 < 0.03
    ] as const) {
      const c = candidate(-0.5, v);
      expect(enoughRows({ chosen: c, richest: c, candidates: [c] }, F, B)).toBe(want);
    }
    expect(ROWS_GAIN).toBe(0.05);
  });
  test("an imprecise error estimate asks for more rows", () => {
    // The richest candidate sets B (F/(F−1)·V − CV = 0.01 > baseVariance), with a CV standard error of 0.02.
    const rich = candidate(-0.01, 0.001, 0.02, 4);
    const cv = { chosen: undefined, richest: rich, candidates: [] };
    expect(enoughRows(cv, F, 0.001)).toBe(false);
    const precise = candidate(-0.01, 0.001, ERROR_PRECISION * 0.005, 4);
    expect(enoughRows({ chosen: undefined, richest: precise, candidates: [] }, F, 0.001)).toBe(true);
  });
  test("fewer than two folds cannot tell", () => {
    expect(enoughRows({ chosen: undefined, richest: undefined, candidates: [] }, 1)).toBe(false);
  });
  test("rounds: a quarter, a half and all of the blocks, distinct", () => {
    expect(roundsOf(10)).toEqual([3, 5, 10]);
    expect(roundsOf(3)).toEqual([1, 2, 3]);
    expect(roundsOf(2)).toEqual([1, 2]);
    expect(roundsOf(1)).toEqual([1]);
  });
});
