import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { wasserstein1d } from "./wasserstein-1d.js";

describe("wasserstein1d", () => {
  const cases = [
    { a: [0, 1, 3], b: [5, 6, 8], p: 1, expected: 5 },
    { a: [0, 1, 3], b: [5, 6, 8], p: 2, expected: 5 },
    { a: [0, 2], b: [1], p: 2, expected: 1 },
    { a: [0, 2], b: [1], p: 1, expected: 1 },
    { a: [3, 1, 2], b: [2, 3, 1], p: 1, expected: 0 },
    { a: [0], b: [0, 0, 3], p: 1, expected: 1 }, // mass 1/3 moves by 3
    { a: [0], b: [0, 0, 3], p: 2, expected: Math.sqrt(3) },
    { a: [0, 1], b: [0, 1, 2, 3], p: 1, expected: 1 }, // quantiles (0,0,1,1) vs (0,1,2,3): (0+1+1+2)/4
  ] as const;
  for (const c of cases) {
    test(`W${c.p}(${c.a}; ${c.b}) = ${c.expected}`, () => {
      expect(wasserstein1d(c.a, c.b, { p: c.p })).toBeCloseTo(c.expected, 13);
      expect(wasserstein1d(c.b, c.a, { p: c.p })).toBeCloseTo(c.expected, 13); // symmetric
    });
  }

  test("closed forms for affine images of one sample: shift and scale", () => {
    const rng = createRng(4);
    const a = Array.from({ length: 257 }, () => rng.normal());
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const centred = a.map((v) => v - mean);
    // shift by c: W1 = W2 = |c|; scale by s > 0 of a centred sample: W2 = |s − 1|·√(mean a²), W1 = |s − 1|·mean|a|
    expect(
      wasserstein1d(
        a,
        a.map((v) => v - 1.7),
        { p: 1 },
      ),
    ).toBeCloseTo(1.7, 12);
    expect(
      wasserstein1d(
        a,
        a.map((v) => v - 1.7),
        { p: 2 },
      ),
    ).toBeCloseTo(1.7, 12);
    const rms = Math.sqrt(centred.reduce((s, v) => s + v * v, 0) / a.length);
    const mad = centred.reduce((s, v) => s + Math.abs(v), 0) / a.length;
    expect(
      wasserstein1d(
        centred,
        centred.map((v) => 2.5 * v),
        { p: 2 },
      ),
    ).toBeCloseTo(1.5 * rms, 12);
    expect(
      wasserstein1d(
        centred,
        centred.map((v) => 2.5 * v),
        { p: 1 },
      ),
    ).toBeCloseTo(1.5 * mad, 12);
  });

  test("W2 between N(0,1) and N(1,2²) samples approaches √((μ1−μ2)² + (s1−s2)²) = √2", () => {
    const rng = createRng(11);
    const n = 20000;
    const a = Array.from({ length: n }, () => rng.normal());
    const b = Array.from({ length: n }, () => 1 + 2 * rng.normal());
    // the empirical W2² has sampling error O(1/√n) (≈ 0.02 here): 0.06 is ~3 of those
    expect(Math.abs(wasserstein1d(a, b, { p: 2 }) ** 2 - 2)).toBeLessThan(0.06);
  });

  const bad = [
    { name: "empty", a: [], b: [1], o: {}, code: "INVALID_INPUT" },
    { name: "NaN", a: [1, Number.NaN], b: [1], o: {}, code: "NON_FINITE_INPUT" },
    { name: "p = 3", a: [1], b: [1], o: { p: 3 }, code: "INVALID_OPTION" },
  ];
  for (const c of bad) {
    test(`rejects ${c.name}`, () => {
      let err: unknown;
      try {
        wasserstein1d(c.a, c.b, c.o as { p?: 1 | 2 });
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, c.code as never)).toBe(true);
    });
  }
});
