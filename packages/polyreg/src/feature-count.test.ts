import { isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { featureCount } from "./feature-count.js";
import { multiIndices } from "./multi-indices.js";

describe("featureCount", () => {
  // C(m+d, d) from Pascal's rule (independent of the multiplicative formula).
  function pascal(n: number, k: number): number {
    const row = [1];
    for (let i = 1; i <= n; i++) {
      for (let j = i; j > 0; j--) row[j] = (row[j] ?? 0) + row[j - 1]!;
    }
    return row[k]!;
  }
  const cases = [
    { m: 1, d: 0, p: 1 },
    { m: 2, d: 8, p: 45 },
    { m: 4, d: 5, p: 126 },
    { m: 5, d: 6, p: 462 },
    { m: 10, d: 4, p: 1001 },
  ] as const;
  for (const c of cases) {
    test(`C(${c.m}+${c.d}, ${c.d}) = ${c.p}`, () => {
      expect(featureCount(c.m, c.d)).toBe(c.p);
      expect(featureCount(c.m, c.d)).toBe(pascal(c.m + c.d, c.d));
    });
  }
  test("exact near 2^53 and RESOURCE_LIMIT beyond", () => {
    // C(60, 30) = 118264581564861424 > 2^53; C(56, 28) = 7648690600760440 < 2^53.
    expect(featureCount(28, 28)).toBe(7648690600760440);
    let caught: unknown;
    try {
      featureCount(30, 30);
    } catch (e) {
      caught = e;
    }
    expect(isMixdiffError(caught, "RESOURCE_LIMIT")).toBe(true);
  });
  test("rejects non-integer or negative arguments", () => {
    expect(() => featureCount(0, 2)).toThrow(/m must be/);
    expect(() => featureCount(2, -1)).toThrow(/d must be/);
    expect(() => featureCount(2.5, 1)).toThrow(/m must be/);
  });
});

describe("multiIndices", () => {
  test("m = 2, d = 2 in the documented graded order", () => {
    expect(Array.from(multiIndices(2, 2))).toEqual([0, 0, 1, 0, 0, 1, 2, 0, 1, 1, 0, 2]);
  });
  test("all distinct, graded, degree-≤d′ prefix, count C(m+d,d)", () => {
    for (const [m, d] of [
      [1, 5],
      [3, 4],
      [5, 3],
    ] as const) {
      const e = multiIndices(m, d);
      const p = e.length / m;
      expect(p).toBe(featureCount(m, d));
      const seen = new Set<string>();
      let prevDeg = 0;
      for (let f = 0; f < p; f++) {
        const a = Array.from(e.subarray(f * m, (f + 1) * m));
        const deg = a.reduce((s, v) => s + v, 0);
        expect(deg).toBeGreaterThanOrEqual(prevDeg);
        expect(deg).toBeLessThanOrEqual(d);
        prevDeg = deg;
        seen.add(a.join(","));
      }
      expect(seen.size).toBe(p);
      for (let dd = 0; dd <= d; dd++) {
        expect(Array.from(multiIndices(m, dd))).toEqual(Array.from(e.subarray(0, featureCount(m, dd) * m)));
      }
    }
  });
  test("refuses a table over the byte limit", () => {
    expect(() => multiIndices(10, 10, { maxBytes: 1000 })).toThrow(/bytes/);
  });
});
