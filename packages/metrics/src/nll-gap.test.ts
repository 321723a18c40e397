import { createRng } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { gaussianSample } from "../test/helpers.js";
import { nllGap } from "./nll-gap.js";

describe("nllGap", () => {
  // Each assertion allows 4 SE: false-failure rate ≈ 6e-5 (CLT, two independent means)
  test("≈ 0 for samples from the distribution itself", () => {
    const p = gaussianMixture({ means: [[-3], [3]], weights: [0.3, 0.7], noiseStd: 1 });
    const x = p.sample(3000, createRng(1)).x;
    const r = nllGap(x, p, { rng: createRng(2) });
    expect(Math.abs(r.value)).toBeLessThan(4 * (r.standardError as number));
    expect(r.m).toBe(3000);
  });

  test("x ~ N(0, 2²) under p = N(0, 1): gap = E_q[−ln p] − H(p) = 2 − ½ = 1.5", () => {
    const p = gaussianMixture({ means: [[0]], weights: [1], noiseStd: 1 });
    const x = gaussianSample(4000, [0], 2, "wide");
    const r = nllGap(x, p, { rng: createRng(3) });
    expect(Math.abs(r.value - 1.5)).toBeLessThan(4 * (r.standardError as number));
  });

  test("uses a given reference and is reproducible", () => {
    const p = gaussianMixture({ means: [[0]], weights: [1], noiseStd: 1 });
    const r = nllGap([[0], [1]], p, { rng: createRng(0), reference: [[0], [1]] });
    expect(r.value).toBeCloseTo(0, 14);
    expect(r.details?.referenceGiven).toBe(true);
    const x = p.sample(50, createRng(5)).x;
    expect(nllGap(x, p, { rng: createRng(4) })).toEqual(nllGap(x, p, { rng: createRng(4) }));
  });
});
