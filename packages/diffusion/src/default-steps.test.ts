import { isMixdiffError } from "@mixdiff/core";
import { bentonGrid } from "@mixdiff/schedules";
import { describe, expect, it } from "vitest";
import { exactMoments, impulseRng } from "../test/impulse-rng.js";
import { gaussianModel } from "../test/models.js";
import { defaultGrid, defaultSteps } from "./default-steps.js";
import { type SamplerName, samplers } from "./samplers.js";

/** KL(N(m1, v1) ‖ N(m0, v0)) per coordinate. */
const kl1 = (m1: number, v1: number, m0: number, v0: number) =>
  0.5 * (v1 / v0 - 1 - Math.log(v1 / v0) + (m1 - m0) ** 2 / v0);

describe("defaultSteps", () => {
  it("grows like √dim and with the grid length, never below 50", () => {
    const base = { tMax: 1e4, tMin: 1e-3 };
    const s1 = defaultSteps({ ...base, dim: 1 });
    const s16 = defaultSteps({ ...base, dim: 16 });
    expect(Math.abs(s16 / s1 - 4)).toBeLessThan(0.05);
    expect(defaultSteps({ ...base, dim: 2, tMax: 1e6 })).toBeGreaterThan(defaultSteps({ ...base, dim: 2 }));
    expect(defaultSteps({ dim: 1, tMax: 2, tMin: 1 })).toBe(50);
  });

  it("is invariant to the unit of time when tMax, tMin scale with σ0²", () => {
    expect(defaultSteps({ dim: 3, tMax: 400, tMin: 4e-3, sigma0: 2 })).toBe(
      defaultSteps({ dim: 3, tMax: 100, tMin: 1e-3 }),
    );
  });

  // The rule's promise: with the exact score of an isotropic Gaussian (the per-coordinate law is the same in
  // every dimension, so the d-dimensional KL is d times the 1-D one, computed exactly with impulse noise),
  // the default step count keeps KL(sampled ‖ P_tMin) ≤ 1e-3 as the dimension grows. A constant step
  // count fails this at dim 64 (KL ∝ dim/steps²).
  const unbiased: SamplerName[] = [
    "exponentialIntegrator",
    "eulerMaruyama",
    "ddpm",
    "probabilityFlowEuler",
    "probabilityFlowHeun",
  ];
  it.each(unbiased)("keeps the exact KL ≤ 1e-3 for dim 1…64 with %s", (name) => {
    const v = 4; // data variance 4 with σ0 = 1 (start N(mean, (T + 1)) is slightly off: covered by T)
    const g = gaussianModel([1], [v]);
    const tMax = 1500;
    const tMin = 1e-3;
    for (const dim of [1, 4, 16, 64]) {
      const steps = defaultSteps({ dim, tMax, tMin });
      const m = exactMoments(
        (n) => samplers[name](g, { n, rng: impulseRng(), steps, tMax, tMin }).samples.data,
        steps + 1,
      );
      const kl = dim * kl1(m.mean, m.variance, 1, v + tMin);
      expect(kl, `dim ${dim}, ${steps} steps`).toBeLessThan(1e-3);
    }
  });

  it("a fixed 100 steps would not hold up in 64 dimensions (the test above can fail)", () => {
    const g = gaussianModel([1], [4]);
    const m = exactMoments(
      (n) => samplers.eulerMaruyama(g, { n, rng: impulseRng(), steps: 100, tMax: 1500 }).samples.data,
      101,
    );
    expect(64 * kl1(m.mean, m.variance, 1, 4 + 1e-3)).toBeGreaterThan(1e-3);
  });

  it("validates its inputs", () => {
    for (const o of [
      { dim: 0, tMax: 10, tMin: 1 },
      { dim: 2.5, tMax: 10, tMin: 1 },
      { dim: 2, tMax: 1, tMin: 10 },
      { dim: 2, tMax: 10, tMin: 0 },
      { dim: 2, tMax: 10, tMin: 1, sigma0: -1 },
    ]) {
      let err: unknown;
      try {
        defaultSteps(o);
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, "INVALID_OPTION")).toBe(true);
    }
  });
});

describe("defaultGrid", () => {
  it("is the Benton grid with the default step count", () => {
    const o = { dim: 2, tMax: 400, tMin: 1e-3 };
    expect(defaultGrid(o)).toEqual(bentonGrid({ ...o, steps: defaultSteps(o) }));
    expect(defaultGrid({ ...o, steps: 10 }).length).toBe(11);
  });
});
