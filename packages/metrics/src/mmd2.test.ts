import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gaussianSample, shuffleRows } from "../test/helpers.js";
import { mmd2 } from "./mmd2.js";

/** Closed form of MMD² with kernel exp(−‖a−b‖²/(2h²)) between N(μ1, s1² I) and N(μ2, s2² I) in d dimensions. */
function mmd2Gaussians(delta2: number, s1: number, s2: number, h: number, d: number): number {
  const h2 = h * h;
  const e = (v: number, q: number) => (h2 / (h2 + v)) ** (d / 2) * Math.exp(-q / (2 * (h2 + v)));
  return e(2 * s1 * s1, 0) + e(2 * s2 * s2, 0) - 2 * e(s1 * s1 + s2 * s2, delta2);
}

describe("mmd2", () => {
  // Each closed-form assertion allows 4 standard errors: false-failure rate ≈ 6e-5 under normality
  // (the reported error is calibrated to ~5% away from P = Q and conservative at P = Q: scripts/calibrate.ts).
  const cases = [
    { name: "shifted, 2-D", m1: [0, 0], m2: [1, 0], s1: 1, s2: 1, h: 1 },
    { name: "scaled, 1-D", m1: [0], m2: [0], s1: 1, s2: 2, h: 1.5 },
    { name: "identical, 3-D", m1: [0, 0, 0], m2: [0, 0, 0], s1: 1, s2: 1, h: 2 },
  ];
  for (const c of cases) {
    test(`matches the Gaussian closed form within 4 SE: ${c.name}`, () => {
      const x = gaussianSample(500, c.m1, c.s1, `x-${c.name}`);
      const y = gaussianSample(400, c.m2, c.s2, `y-${c.name}`);
      const delta2 = c.m1.reduce((s, v, i) => s + (v - c.m2[i]!) ** 2, 0);
      const exact = mmd2Gaussians(delta2, c.s1, c.s2, c.h, c.m1.length);
      const r = mmd2(x, y, { rng: createRng(1), bandwidth: c.h });
      expect(r.standardError).toBeGreaterThan(0);
      expect(Math.abs(r.value - exact)).toBeLessThan(4 * (r.standardError as number));
      expect(r.bandwidth).toBe(c.h);
      expect(r.subsampled).toBe(false);
    });
  }

  test("is symmetric and invariant to row order (to rounding)", () => {
    const x = gaussianSample(120, [0, 0], 1, "sx");
    const y = gaussianSample(90, [0.5, 0], 1, "sy");
    const a = mmd2(x, y, { rng: createRng(3) });
    const b = mmd2(y, x, { rng: createRng(3) });
    const c = mmd2(shuffleRows(x, 1), shuffleRows(y, 2), { rng: createRng(3) });
    expect(b.bandwidth).toBeCloseTo(a.bandwidth, 12);
    expect(b.value).toBeCloseTo(a.value, 12);
    expect(c.value).toBeCloseTo(a.value, 12);
    expect(b.standardError).toBeCloseTo(a.standardError as number, 12);
  });

  test("biased V-statistic exceeds the unbiased one and is ≥ 0", () => {
    const x = gaussianSample(50, [0], 1, "bx");
    const y = gaussianSample(50, [0], 1, "by");
    const u = mmd2(x, y, { rng: createRng(0), bandwidth: 1 });
    const v = mmd2(x, y, { rng: createRng(0), bandwidth: 1, unbiased: false });
    expect(v.value).toBeGreaterThanOrEqual(0);
    expect(v.value).toBeGreaterThan(u.value);
  });

  test("permutation p-value: small for different, not small for equal distributions", () => {
    // H0 case: the p-value is uniform, so P(p ≤ 0.002) ≈ 0.2% is the false-failure rate.
    const x = gaussianSample(60, [0, 0], 1, "px");
    const same = gaussianSample(60, [0, 0], 1, "py");
    const far = gaussianSample(60, [1.5, 0], 1, "pz");
    const h0 = mmd2(x, same, { rng: createRng(5), permutations: 999 });
    const h1 = mmd2(x, far, { rng: createRng(5), permutations: 999 });
    expect(h0.pValue).toBeGreaterThan(0.002);
    // power at a 1.5σ shift with 60 + 60 points is essentially 1
    expect(h1.pValue).toBeLessThanOrEqual(0.002);
    expect(h1.pValue).toBeGreaterThanOrEqual(1 / 1000);
  });

  test("subsamples beyond maxSamples and says so", () => {
    const x = gaussianSample(300, [0], 1, "ux");
    const y = gaussianSample(50, [0], 1, "uy");
    const r = mmd2(x, y, { rng: createRng(2), maxSamples: 100 });
    expect(r.subsampled).toBe(true);
    expect(r.n).toBe(100);
    expect(r.m).toBe(50);
    expect(r.details?.originalN).toBe(300);
  });

  test("is reproducible with the same seed", () => {
    const x = gaussianSample(300, [0], 1, "rx");
    const y = gaussianSample(300, [1], 1, "ry");
    const o = { maxSamples: 100, permutations: 19 };
    expect(mmd2(x, y, { rng: createRng(9), ...o })).toEqual(mmd2(x, y, { rng: createRng(9), ...o }));
  });

  const bad = [
    {
      name: "dimension mismatch",
      x: [[0], [1]],
      y: [
        [0, 1],
        [1, 2],
      ],
      o: {},
      code: "DIMENSION_MISMATCH",
    },
    { name: "NaN", x: [[0], [Number.NaN]], y: [[0], [1]], o: {}, code: "NON_FINITE_INPUT" },
    { name: "one point", x: [[0]], y: [[0], [1]], o: {}, code: "INVALID_INPUT" },
    { name: "bandwidth ≤ 0", x: [[0], [1]], y: [[0], [1]], o: { bandwidth: 0 }, code: "INVALID_OPTION" },
    { name: "fractional permutations", x: [[0], [1]], y: [[0], [1]], o: { permutations: 1.5 }, code: "INVALID_OPTION" },
  ];
  for (const b of bad) {
    test(`rejects ${b.name} with ${b.code}`, () => {
      let err: unknown;
      try {
        mmd2(b.x, b.y, { rng: createRng(0), ...b.o });
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, b.code as never)).toBe(true);
    });
  }
});
