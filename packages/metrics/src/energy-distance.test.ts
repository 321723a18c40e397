import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gaussianSample, normalCdf, shuffleRows } from "../test/helpers.js";
import { energyDistance } from "./energy-distance.js";

/** E|Z| for Z ~ N(δ, v). */
function meanAbsNormal(delta: number, v: number): number {
  const s = Math.sqrt(v);
  return s * Math.sqrt(2 / Math.PI) * Math.exp((-delta * delta) / (2 * v)) + delta * (1 - 2 * normalCdf(-delta / s));
}

describe("energyDistance", () => {
  test("exact value on a tiny example (U-statistic)", () => {
    // E|X−Y| = (3 + 4 + 2 + 3)/4 = 3, E|X−X'| = E|Y−Y'| = 1 → 2·3 − 1 − 1 = 4
    expect(energyDistance([[0], [1]], [[3], [4]], { rng: createRng(0) }).value).toBeCloseTo(4, 14);
    // V-statistic: E|X−X'| = E|Y−Y'| = 2/4 → 6 − 0.5 − 0.5 = 5
    expect(energyDistance([[0], [1]], [[3], [4]], { rng: createRng(0), unbiased: false }).value).toBeCloseTo(5, 14);
  });

  // 4 standard errors per assertion: false-failure rate ≈ 6e-5 (normal approximation; the error is calibrated
  // within ~5% away from P = Q and conservative at P = Q, scripts/calibrate.ts).
  const cases = [
    { name: "N(0,1) vs N(1,1)", m1: 0, s1: 1, m2: 1, s2: 1 },
    { name: "N(0,1) vs N(0.5,2²)", m1: 0, s1: 1, m2: 0.5, s2: 2 },
    { name: "identical", m1: 0, s1: 1, m2: 0, s2: 1 },
  ];
  for (const c of cases) {
    test(`matches the 1-D Gaussian closed form within 4 SE: ${c.name}`, () => {
      const exact =
        2 * meanAbsNormal(c.m2 - c.m1, c.s1 ** 2 + c.s2 ** 2) -
        meanAbsNormal(0, 2 * c.s1 ** 2) -
        meanAbsNormal(0, 2 * c.s2 ** 2);
      const x = gaussianSample(600, [c.m1], c.s1, `ex-${c.name}`);
      const y = gaussianSample(500, [c.m2], c.s2, `ey-${c.name}`);
      const r = energyDistance(x, y, { rng: createRng(1) });
      expect(Math.abs(r.value - exact)).toBeLessThan(4 * (r.standardError as number));
    });
  }

  test("is symmetric and permutation invariant", () => {
    const x = gaussianSample(80, [0, 0], 1, "a");
    const y = gaussianSample(70, [1, 0], 1, "b");
    const v = energyDistance(x, y, { rng: createRng(0) }).value;
    expect(energyDistance(y, x, { rng: createRng(0) }).value).toBeCloseTo(v, 12);
    expect(energyDistance(shuffleRows(x, 3), shuffleRows(y, 4), { rng: createRng(0) }).value).toBeCloseTo(v, 12);
  });

  test("subsamples beyond maxSamples", () => {
    const r = energyDistance(gaussianSample(200, [0], 1, "c"), gaussianSample(30, [0], 1, "d"), {
      rng: createRng(0),
      maxSamples: 40,
    });
    expect([r.n, r.m, r.subsampled]).toEqual([40, 30, true]);
  });

  test("rejects mismatched dimensions", () => {
    let err: unknown;
    try {
      energyDistance(
        [[0], [1]],
        [
          [0, 0],
          [1, 1],
        ],
        { rng: createRng(0) },
      );
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "DIMENSION_MISMATCH")).toBe(true);
  });
});
