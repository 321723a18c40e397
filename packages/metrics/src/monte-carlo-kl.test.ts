import { createRng, isMixdiffError } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { monteCarloKL } from "./monte-carlo-kl.js";

/** KL(N(μ1, s1² I_d) ‖ N(μ2, s2² I_d)). */
function klGaussians(delta2: number, s1: number, s2: number, d: number): number {
  return 0.5 * ((d * s1 * s1) / (s2 * s2) + delta2 / (s2 * s2) - d + 2 * d * Math.log(s2 / s1));
}

describe("monteCarloKL", () => {
  // 4 SE per assertion: false-failure rate ≈ 6e-5 (CLT for the mean of ln p − ln q)
  const cases = [
    { name: "shift in 2-D", m1: [0, 0], s1: 1, m2: [1, 1], s2: 1 },
    { name: "scale in 1-D", m1: [0], s1: 1, m2: [0], s2: 2 },
    { name: "both in 3-D", m1: [0, 0, 0], s1: 1.5, m2: [1, -1, 0], s2: 1 },
  ];
  for (const c of cases) {
    test(`matches the Gaussian closed form within 4 SE: ${c.name}`, () => {
      const p = gaussianMixture({ means: [c.m1], weights: [1], noiseStd: c.s1 });
      const q = gaussianMixture({ means: [c.m2], weights: [1], noiseStd: c.s2 });
      const delta2 = c.m1.reduce((s, v, i) => s + (v - c.m2[i]!) ** 2, 0);
      const r = monteCarloKL(p, q, { rng: createRng(1), n: 4000 });
      expect(Math.abs(r.value - klGaussians(delta2, c.s1, c.s2, c.m1.length))).toBeLessThan(
        4 * (r.standardError as number),
      );
    });
  }

  test("KL(p‖p) = 0 exactly, with zero error; invariant to the component order", () => {
    const p = gaussianMixture({ means: [[-2], [2]], weights: [0.4, 0.6], noiseStd: 1 });
    const pPermuted = gaussianMixture({ means: [[2], [-2]], weights: [0.6, 0.4], noiseStd: 1 });
    const r = monteCarloKL(p, pPermuted, { rng: createRng(2), n: 500 });
    expect(Math.abs(r.value)).toBeLessThan(1e-12);
    expect(r.standardError).toBeLessThan(1e-12);
  });

  test("rejects different dimensions", () => {
    const p = gaussianMixture({ means: [[0]], weights: [1] });
    const q = gaussianMixture({ means: [[0, 0]], weights: [1] });
    let err: unknown;
    try {
      monteCarloKL(p, q, { rng: createRng(0) });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "DIMENSION_MISMATCH")).toBe(true);
  });
});
