import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gaussianSample, shuffleRows } from "../test/helpers.js";
import { slicedWasserstein } from "./sliced-wasserstein.js";
import { wasserstein1d } from "./wasserstein-1d.js";

describe("slicedWasserstein", () => {
  test("in 1-D equals the exact W_p with zero direction error", () => {
    const x = gaussianSample(100, [0], 1, "a");
    const y = gaussianSample(70, [1], 2, "b");
    for (const p of [1, 2] as const) {
      const r = slicedWasserstein(x, y, { rng: createRng(0), projections: 3, p });
      expect(r.value).toBeCloseTo(wasserstein1d(x.data, y.data, { p }), 12);
      expect(r.standardError).toBeCloseTo(0, 12);
    }
  });

  test("SW2² between isotropic Gaussians matches ‖δ‖²/d + (s1 − s2)²", () => {
    const x = gaussianSample(20000, [0, 0, 0], 1, "gx");
    const y = gaussianSample(20000, [2, 0, 0], 1.5, "gy");
    const exact = 4 / 3 + 0.25;
    const r = slicedWasserstein(x, y, { rng: createRng(1), projections: 50, p: 2 });
    const sw2 = r.details?.perDirectionMean as number;
    const seSq = 2 * r.value * (r.standardError as number);
    // 4 direction-SEs (false-failure rate ≈ 6e-5) plus 0.05 for the sampling error of the empirical W2², which
    // the direction SE does not cover: the shift estimate alone moves ‖δ‖²/d by sd ≈ 4·√(3.25/20000)/3 ≈ 0.017.
    expect(Math.abs(sw2 - exact)).toBeLessThan(4 * seSq + 0.05);
  });

  test("symmetric and invariant to row order for the same directions", () => {
    const x = gaussianSample(60, [0, 0], 1, "c");
    const y = gaussianSample(50, [1, 1], 1, "d");
    const v = slicedWasserstein(x, y, { rng: createRng(2) }).value;
    expect(slicedWasserstein(y, x, { rng: createRng(2) }).value).toBeCloseTo(v, 12);
    expect(slicedWasserstein(shuffleRows(x, 1), y, { rng: createRng(2) }).value).toBeCloseTo(v, 12);
  });

  test("is 0 for identical samples", () => {
    const x = gaussianSample(40, [0, 0], 1, "e");
    expect(slicedWasserstein(x, shuffleRows(x, 5), { rng: createRng(3) }).value).toBeCloseTo(0, 12);
  });

  test("rejects p = 3", () => {
    let err: unknown;
    try {
      slicedWasserstein([[0]], [[1]], { rng: createRng(0), p: 3 as 2 });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "INVALID_OPTION")).toBe(true);
  });
});
