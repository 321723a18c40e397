import { isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { parameterRecovery } from "./parameter-recovery.js";

describe("parameterRecovery", () => {
  const truth = {
    means: [
      [-4, 0],
      [4, 0],
      [0, 5],
    ],
    weights: [0.4, 0.35, 0.25],
  };

  test("matches permuted estimates and reports exact errors", () => {
    const est = {
      means: [
        [0.3, 5],
        [-4, 0.4],
        [4, 0],
      ],
      weights: [0.2, 0.45, 0.35],
    };
    const r = parameterRecovery(est, truth);
    expect(Array.from(r.assignment)).toEqual([1, 2, 0]);
    expect(r.meanErrors[0]).toBeCloseTo(0.4, 14);
    expect(r.meanErrors[1]).toBe(0);
    expect(r.meanErrors[2]).toBeCloseTo(0.3, 14);
    expect(r.maxMeanError).toBeCloseTo(0.4, 14);
    expect(Array.from(r.weightErrors).map((v) => Number(v.toFixed(12)))).toEqual([0.05, 0, 0.05]);
    expect(r.maxWeightError).toBeCloseTo(0.05, 14);
    expect(r.unmatched).toBe(0);
  });

  test("invariant to the order of the estimated components", () => {
    const est = {
      means: [
        [0.3, 5],
        [-4, 0.4],
        [4, 0],
      ],
      weights: [0.2, 0.45, 0.35],
    };
    const perm = { means: [est.means[2]!, est.means[0]!, est.means[1]!], weights: [0.35, 0.2, 0.45] };
    const a = parameterRecovery(est, truth);
    const b = parameterRecovery(perm, truth);
    expect(Array.from(b.meanErrors)).toEqual(Array.from(a.meanErrors));
    expect(Array.from(b.weightErrors)).toEqual(Array.from(a.weightErrors));
  });

  test("fewer estimated components: the unmatched true one has infinite mean error and its full weight", () => {
    const r = parameterRecovery(
      {
        means: [
          [4, 0.1],
          [-4, 0],
        ],
        weights: [0.5, 0.5],
      },
      truth,
    );
    expect(r.unmatched).toBe(1);
    expect(r.assignment[2]).toBe(-1);
    expect(r.meanErrors[2]).toBe(Infinity);
    expect(r.weightErrors[2]).toBeCloseTo(0.25, 14);
    expect(r.maxMeanError).toBeCloseTo(0.1, 14);
  });

  test("more estimated components than true ones", () => {
    const r = parameterRecovery(
      {
        means: [
          [9, 9],
          [4, 0],
          [-4, 0],
          [0, 5],
        ],
        weights: [0.1, 0.3, 0.3, 0.3],
      },
      truth,
    );
    expect(Array.from(r.assignment)).toEqual([2, 1, 3]);
    expect(r.unmatched).toBe(1);
    expect(r.maxMeanError).toBe(0);
  });

  test("rejects mismatched shapes", () => {
    const cases = [
      { est: { means: [[0]], weights: [1] }, code: "DIMENSION_MISMATCH" },
      { est: { means: [[0, 0]], weights: [0.5, 0.5] }, code: "DIMENSION_MISMATCH" },
      { est: { means: [[0, Number.NaN]], weights: [1] }, code: "NON_FINITE_INPUT" },
    ];
    for (const c of cases) {
      let err: unknown;
      try {
        parameterRecovery(c.est, truth);
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, c.code as never)).toBe(true);
    }
  });
});
