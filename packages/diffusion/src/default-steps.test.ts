import { createRng, isMixdiffError, type Rng } from "@mixdiff/core";
import { bentonGrid } from "@mixdiff/schedules";
import type { ScoreModel } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import { exactMoments, impulseRng } from "../test/impulse-rng.js";
import { gaussianModel } from "../test/models.js";
import { defaultGrid, defaultSteps } from "./default-steps.js";
import { type SamplerName, samplers } from "./samplers.js";

/** A generator of zeros that counts the normal draws of all its streams. */
function countingRng(): { rng: Rng; draws: () => number } {
  let count = 0;
  const make = (key: string): Rng => ({
    key,
    uniform: () => 0.5,
    normal: () => {
      count++;
      return 0;
    },
    fillNormal(out, offset = 0, length = out.length - offset) {
      count += length;
      out.fill(0, offset, offset + length);
    },
    stream: (...keys) => make(`${key}/${keys.join("/")}`),
  });
  return { rng: make("count"), draws: () => count };
}

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
  // Every registered sampler but those with a Langevin corrector (its O(snr²) stationary bias is not a
  // discretisation error that more steps remove).
  const unbiased = (Object.keys(samplers) as SamplerName[]).filter(
    (name) => !(samplers[name].options as readonly string[]).includes("corrector"),
  );
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

  // The same promise when the model declares an m-dimensional subspace of R^n: the sampler simulates m
  // coordinates with defaultSteps(m) and draws the n − m complement exactly, and the KL of the whole
  // n-dimensional output stays ≤ 1e-3. Model: N(1, 4) along the first m axes, N(1, σ0² = 1) orthogonally (what
  // a declared subspace promises). Each coordinate's law is exact (impulse noise, one stream per draw that
  // reaches it), read off the n-dimensional sampler itself.
  it.each(unbiased)(
    "keeps the exact KL of all n coordinates ≤ 1e-3 with m < n simulated (%s)",
    (name) => {
      const v = 4;
      const n = 64;
      const tMax = 1500;
      const tMin = 1e-3;
      for (const m of [1, 4, 16]) {
        const basis = new Float64Array(n * m);
        for (let k = 0; k < m; k++) basis[k * m + k] = 1;
        const model: ScoreModel = {
          ...gaussianModel(
            Array.from({ length: n }, () => 1),
            Array.from({ length: n }, (_, j) => (j < m ? v : 1)),
          ),
          subspace: { dim: m, basis },
        };
        const run = (offset: number) =>
          samplers[name](model, { n: 1, offset, rng: impulseRng(), tMax, tMin }).samples.data;
        const steps = defaultSteps({ dim: m, tMax, tMin });
        expect(samplers[name](model, { n: 1, rng: createRng(1), tMax, tMin }).grid.length - 1).toBe(steps);
        // Draws per sample: the path's (m per draw, coordinate order) and then two complement draws of n each.
        const counter = countingRng();
        samplers[name](model, { n: 1, rng: counter.rng, tMax, tMin });
        const draws = counter.draws();
        const path = draws - 2 * n;
        const base = run(draws); // stream `draws` never fires: the noise-free output
        // Kept coordinate 0: fired by draws 0, m, 2m, … of the path.
        let kept = 0;
        for (let i = 0; i < path; i += m) kept += (run(i)[0]! - base[0]!) ** 2;
        // Complement coordinate n − 1: its two draws.
        let comp = 0;
        for (const i of [path + n - 1, path + 2 * n - 1]) comp += (run(i)[n - 1]! - base[n - 1]!) ** 2;
        const kl = m * kl1(base[0]!, kept, 1, v + tMin) + (n - m) * kl1(base[n - 1]!, comp, 1, 1 + tMin);
        expect(kl, `m ${m} of n ${n}, ${steps} steps`).toBeLessThan(1e-3);
      }
      // ~1 000 one-sample runs per m: seconds on a shared 2-core machine, which vitest's 5 s default does not allow for.
    },
    60_000,
  );

  it("follows the simulated dimension: m with a declared subspace, n when it is not used", () => {
    const n = 40;
    const m = 3;
    const basis = new Float64Array(n * m);
    for (let k = 0; k < m; k++) basis[k * m + k] = 1;
    const g = gaussianModel(
      Array.from({ length: n }, () => 0),
      Array.from({ length: n }, (_, j) => (j < m ? 4 : 1)),
    );
    const o = { n: 1, rng: createRng(1), tMax: 1e4, tMin: 1e-3 };
    const steps = (model: ScoreModel, simulateSubspace?: boolean) =>
      samplers.exponentialIntegrator(model, { ...o, simulateSubspace }).grid.length - 1;
    expect(steps({ ...g, subspace: { dim: m, basis } })).toBe(defaultSteps({ ...o, dim: m }));
    expect(steps({ ...g, subspace: { dim: m, basis } }, false)).toBe(defaultSteps({ ...o, dim: n }));
    expect(steps(g)).toBe(defaultSteps({ ...o, dim: n }));
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
