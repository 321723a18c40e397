import { createRng } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { estimateMixture, estimateMixtureParameters } from "./estimate-mixture.js";
import { fitScore } from "./fit-score.js";

describe("estimateMixture", () => {
  test("recovers the atoms and weights of a separated 1-D mixture", () => {
    const means = [[-4], [3]];
    const weights = [0.3, 0.7];
    const d = gaussianMixture({ means, weights });
    const model = fitScore(d.sample(4000, createRng(21)).x, { rng: createRng(22), levels: 12 });
    const est = estimateMixtureParameters(model);
    expect(est.means.length).toBe(2);
    const order = est.means.map((m, i) => [m[0]!, i]).sort((a, b) => a[0]! - b[0]!);
    // sampling error of a component mean ≈ σ0/√(N·w) ≤ 0.03 and of a weight ≈ √(w(1−w)/N) ≈ 0.007;
    // the bounds allow the learned-denoiser bias measured by the quality script (≤ 0.1) plus 3 sd.
    order.forEach(([v, i], k) => {
      expectClose(v!, means[k]![0]!, { abs: 0.2 });
      expectClose(est.weights[i!]!, weights[k]!, { abs: 0.04 });
    });
    const dist = estimateMixture(model);
    expect(dist.dim).toBe(1);
    expect(dist.noiseStd).toBe(1);
    expect(() => estimateMixtureParameters(model, { minWeight: 2 })).toThrowError(
      expect.objectContaining({ code: "INVALID_OPTION" }),
    );
  }, 60_000);
});
