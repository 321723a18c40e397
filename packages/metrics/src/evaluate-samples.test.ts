import { createRng, isMixdiffError } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { evaluateSamples } from "./evaluate-samples.js";

describe("evaluateSamples", () => {
  const d = gaussianMixture({
    means: [
      [-3, 0],
      [3, 0],
    ],
    weights: [0.5, 0.5],
    noiseStd: 1,
  });

  test("runs the sample metrics and, with a distribution, the density metrics", () => {
    const samples = d.sample(200, createRng(1)).x;
    const reference = d.sample(200, createRng(2)).x;
    const t = evaluateSamples(samples, { reference, distribution: d, rng: createRng(3), maxSamples: 150 });
    expect(t.rows.map((r) => r.name)).toEqual([
      "mmd2",
      "energyDistance",
      "slicedWasserstein",
      "knnTwoSampleTest",
      "histogramTV",
      "meanLogLikelihood",
      "nllGap",
    ]);
    for (const r of t.rows) {
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.note.length).toBeGreaterThan(0);
    }
    expect(t.rows[0]?.note).toContain("subsampled to 150 × 150");
  });

  test("skips histogram TV above 2 dimensions and checks shapes", () => {
    const g = gaussianMixture({ means: [[0, 0, 0]], weights: [1] });
    const t = evaluateSamples(g.sample(50, createRng(1)).x, {
      reference: g.sample(50, createRng(2)).x,
      rng: createRng(0),
    });
    expect(t.rows.map((r) => r.name)).not.toContain("histogramTV");
    let err: unknown;
    try {
      evaluateSamples([[0, 0]], { reference: [[0, 0, 0]], rng: createRng(0) });
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "DIMENSION_MISMATCH")).toBe(true);
  });
});
