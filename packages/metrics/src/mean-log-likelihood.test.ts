import { createRng, isMixdiffError } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { meanLogLikelihood } from "./mean-log-likelihood.js";

describe("meanLogLikelihood", () => {
  const p = gaussianMixture({ means: [[0, 0]], weights: [1], noiseStd: 1 });

  test("exact at a point: ln N(0; 0, I₂) = −ln 2π", () => {
    const r = meanLogLikelihood([[0, 0]], p);
    expect(r.value).toBeCloseTo(-Math.log(2 * Math.PI), 12);
    expect([r.n, r.m]).toEqual([1, 0]);
  });

  test("E ln p(X) = −ln 2π − 1 (minus the entropy) within 4 SE", () => {
    // 4 SE: false-failure rate ≈ 6e-5 (CLT for a mean of 4000 terms with finite variance)
    const x = p.sample(4000, createRng(3)).x;
    const r = meanLogLikelihood(x, p);
    expect(Math.abs(r.value - (-Math.log(2 * Math.PI) - 1))).toBeLessThan(4 * (r.standardError as number));
  });

  test("rejects a wrong dimension", () => {
    let err: unknown;
    try {
      meanLogLikelihood([[0]], p);
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "DIMENSION_MISMATCH")).toBe(true);
  });
});
