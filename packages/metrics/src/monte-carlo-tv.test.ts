import { createRng } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { normalCdf } from "../test/helpers.js";
import { monteCarloTV } from "./monte-carlo-tv.js";

describe("monteCarloTV", () => {
  // 4 SE per assertion: false-failure rate ≈ 6e-5 (CLT; the summand is bounded in [0, 1])
  const cases = [
    { name: "N(0,1) vs N(1,1)", a: [0], b: [1], d: 1 },
    { name: "N(0,I₂) vs N((3,4),I₂)", a: [0, 0], b: [3, 4], d: 2 },
    { name: "far apart", a: [0], b: [20], d: 1 },
  ];
  for (const c of cases) {
    test(`equal-variance Gaussians: TV = 2Φ(‖δ‖/2) − 1: ${c.name}`, () => {
      const p = gaussianMixture({ means: [c.a], weights: [1], noiseStd: 1 });
      const q = gaussianMixture({ means: [c.b], weights: [1], noiseStd: 1 });
      const dist = Math.hypot(...c.a.map((v, i) => v - c.b[i]!));
      const exact = 2 * normalCdf(dist / 2) - 1;
      const r = monteCarloTV(p, q, { rng: createRng(1), n: 4000 });
      expect(Math.abs(r.value - exact)).toBeLessThan(4 * (r.standardError as number) + 1e-12);
      const s = monteCarloTV(q, p, { rng: createRng(2), n: 4000 }); // symmetric, up to Monte-Carlo error
      expect(Math.abs(s.value - r.value)).toBeLessThan(
        4 * Math.hypot(r.standardError as number, s.standardError as number) + 1e-12,
      );
    });
  }

  test("TV(p, p) = 0 exactly", () => {
    const p = gaussianMixture({ means: [[-1], [1]], weights: [0.5, 0.5], noiseStd: 1 });
    expect(monteCarloTV(p, p, { rng: createRng(0), n: 100 }).value).toBe(0);
  });
});
