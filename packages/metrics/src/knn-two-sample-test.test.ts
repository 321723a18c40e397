import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gaussianSample, normalCdf } from "../test/helpers.js";
import { knnTwoSampleTest } from "./knn-two-sample-test.js";

describe("knnTwoSampleTest", () => {
  test("equal distributions: value ≈ 0 within 4 SE and a non-small p-value", () => {
    // false-failure rates: 4 SE ≈ 6e-5 (binomial normal approximation); p ≤ 0.001 has probability 0.1% under H0
    const x = gaussianSample(400, [0, 0], 1, "a");
    const y = gaussianSample(400, [0, 0], 1, "b");
    const r = knnTwoSampleTest(x, y, { rng: createRng(1) });
    expect(Math.abs(r.value)).toBeLessThan(4 * (r.standardError as number));
    expect(r.pValue).toBeGreaterThan(0.001);
    expect(r.tvLowerBound).toBeLessThanOrEqual(0.25);
  });

  test("separated Gaussians: the TV lower bound is below the true TV and clearly positive", () => {
    // TV(N(0, I), N((3, 0), I)) = 2Φ(1.5) − 1 ≈ 0.866. The bound holds with probability ≥ 95% by Hoeffding
    // (in practice far more often: Hoeffding is loose by ~2× here).
    const tv = 2 * normalCdf(1.5) - 1;
    const x = gaussianSample(400, [0, 0], 1, "c");
    const y = gaussianSample(400, [3, 0], 1, "d");
    const r = knnTwoSampleTest(x, y, { rng: createRng(2), k: 7 });
    expect(r.tvLowerBound).toBeLessThanOrEqual(tv);
    expect(r.tvLowerBound).toBeGreaterThan(0.5);
    expect(r.pValue).toBeLessThan(1e-10);
    expect(r.accuracy).toBeCloseTo((r.value + 1) / 2, 14);
  });

  test("uses equal, possibly subsampled, sizes and reports them", () => {
    const r = knnTwoSampleTest(gaussianSample(300, [0], 1, "e"), gaussianSample(100, [0], 1, "f"), {
      rng: createRng(0),
      maxSamples: 80,
    });
    expect([r.n, r.m, r.subsampled]).toEqual([80, 80, true]);
    expect(r.details?.testPerSample).toBe(40);
  });

  test("is reproducible", () => {
    const x = gaussianSample(100, [0], 1, "g");
    const y = gaussianSample(100, [0.5], 1, "h");
    expect(knnTwoSampleTest(x, y, { rng: createRng(7) })).toEqual(knnTwoSampleTest(x, y, { rng: createRng(7) }));
  });

  test("rejects k larger than the training set", () => {
    let err: unknown;
    try {
      knnTwoSampleTest([[0], [1], [2]], [[0], [1], [2]], { rng: createRng(0), k: 5 });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "INVALID_OPTION")).toBe(true);
  });
});
