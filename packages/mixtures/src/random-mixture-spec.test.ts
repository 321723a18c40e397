import { createRng } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import { parseSpec } from "./parse-spec.js";
import { randomMixtureSpec } from "./random-mixture-spec.js";

describe("randomMixtureSpec", () => {
  it.each([
    [3, 2, 4, 0.1],
    [8, 5, 3, 0.05],
    [4, 10, 5, 0.2],
    [1, 1, 0, 1],
  ])("k = %i, dim = %i: separation ≥ %d, weights ≥ %d, a valid spec", (k, dim, minSeparation, minWeight) => {
    const spec = randomMixtureSpec({ k, dim, minSeparation, minWeight, rng: createRng(k * 100 + dim) });
    expect(parseSpec(spec)).toEqual(spec);
    const mix = spec.mixing as { points: number[][]; weights: number[] };
    expect(mix.points).toHaveLength(k);
    for (const w of mix.weights) expect(w).toBeGreaterThanOrEqual(minWeight - 1e-12);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < a; b++) {
        const d = Math.hypot(...mix.points[a]!.map((v, i) => v - mix.points[b]![i]!));
        expect(d).toBeGreaterThanOrEqual(minSeparation);
      }
    }
  });
  it("is reproducible from the rng key and differs across keys", () => {
    const o = { k: 5, dim: 3, minSeparation: 2, minWeight: 0.05, radius: 6, noiseStd: 0.5, name: "r" };
    expect(randomMixtureSpec({ ...o, rng: createRng(1) })).toEqual(randomMixtureSpec({ ...o, rng: createRng(1) }));
    expect(randomMixtureSpec({ ...o, rng: createRng(1) })).not.toEqual(randomMixtureSpec({ ...o, rng: createRng(2) }));
    const s = randomMixtureSpec({ ...o, rng: createRng(1) });
    expect(s.name).toBe("r");
    expect(s.noiseStd).toBe(0.5);
    for (const p of (s.mixing as { points: number[][] }).points) expect(Math.hypot(...p)).toBeLessThanOrEqual(6);
  });
  it("rejects impossible requests with INVALID_OPTION naming the option", () => {
    const rng = createRng(1);
    expect(() => randomMixtureSpec({ k: 3, dim: 2, minSeparation: 1, minWeight: 0.5, rng })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", location: { path: "minWeight" } }),
    );
    expect(() => randomMixtureSpec({ k: 50, dim: 1, minSeparation: 1, minWeight: 0, radius: 2, rng })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", location: { path: "radius" } }),
    );
  });
});
