import { isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { klBoundFromScoreErrors } from "./kl-bound-from-score-errors.js";

describe("klBoundFromScoreErrors", () => {
  test("Σ_k ln(σ²_{k+1}/σ²_k)·σ²_k·mse_k, by hand", () => {
    const levels = [
      { t: 0, mse: 0.1 },
      { t: 3, mse: 0.01 },
      { t: 15, mse: 0.002 },
    ];
    const r = klBoundFromScoreErrors(levels, { sigma0: 1 });
    const t0 = Math.log(4) * 1 * 0.1;
    const t1 = Math.log(16 / 4) * 4 * 0.01;
    expect(r.terms.map((x) => [x.t, x.tNext])).toEqual([
      [0, 3],
      [3, 15],
    ]);
    expect(r.terms[0]?.term).toBeCloseTo(t0, 14);
    expect(r.terms[1]?.term).toBeCloseTo(t1, 14);
    expect(r.total).toBeCloseTo(t0 + t1, 14);
    // order of the input does not matter
    expect(klBoundFromScoreErrors([...levels].reverse(), { sigma0: 1 })).toEqual(r);
  });

  test("σ0 enters as σ²_k = σ0² + t_k", () => {
    const r = klBoundFromScoreErrors(
      [
        { t: 0, mse: 1 },
        { t: 0.25, mse: 1 },
      ],
      { sigma0: 0.5 },
    );
    expect(r.total).toBeCloseTo(Math.log(0.5 / 0.25) * 0.25, 14);
  });

  test("zero score error gives a zero bound", () => {
    expect(
      klBoundFromScoreErrors([
        { t: 0.1, mse: 0 },
        { t: 1, mse: 0 },
      ]).total,
    ).toBe(0);
  });

  const bad = [
    { name: "one level", levels: [{ t: 1, mse: 1 }] },
    {
      name: "repeated t",
      levels: [
        { t: 1, mse: 1 },
        { t: 1, mse: 2 },
      ],
    },
    {
      name: "negative mse",
      levels: [
        { t: 1, mse: -1 },
        { t: 2, mse: 2 },
      ],
    },
  ];
  for (const c of bad) {
    test(`rejects ${c.name}`, () => {
      let err: unknown;
      try {
        klBoundFromScoreErrors(c.levels);
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, "INVALID_OPTION")).toBe(true);
    });
  }
});
