import { createRng, isMixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { evaluateSamples } from "./evaluate-samples.js";
import type { SampleMetric, SampleMetricOptions } from "./sample-metrics.js";
import { sampleMetricNames } from "./sample-metrics.js";

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
    // every registered metric applies here (2-D, a distribution given), in registry order
    expect(t.rows.map((r) => r.name)).toEqual(sampleMetricNames);
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

describe("evaluateSamples({ metrics })", () => {
  const g = gaussianMixture({ means: [[0, 0]], weights: [1] });
  const samples = g.sample(120, createRng(1)).x;
  const reference = g.sample(100, createRng(2)).x;
  // a user's metric: |difference of the sample sizes|, with a reported field shown in the note
  const sizeGap = {
    name: "sizeGap",
    description: "difference of the sample sizes",
    symmetric: false,
    maxDim: Infinity,
    likelihood: false,
    higherIsBetter: false,
    reports: [{ key: "ratio", doc: "n / m", note: (v: number) => `n/m = ${v}` }],
    run: (x: PointsLike, y: PointsLike, o: SampleMetricOptions) => {
      const [p, q] = [toPoints(x), toPoints(y)];
      seen.push(o.rng.uniform());
      return { value: p.rows - q.rows, n: p.rows, m: q.rows, subsampled: false, ratio: p.rows / q.rows };
    },
  } satisfies SampleMetric & Record<string, unknown>;
  const seen: number[] = [];

  test("runs the listed metrics in order, a user's object beside registry names, on its own stream", () => {
    const t = evaluateSamples(samples, { reference, rng: createRng(3), metrics: [sizeGap, "mmd2"] });
    expect(t.rows.map((r) => r.name)).toEqual(["sizeGap", "mmd2"]);
    expect(t.rows[0]).toMatchObject({
      value: 20,
      standardError: null,
      note: "difference of the sample sizes; n/m = 1.2",
    });
    // rng.stream(name): the same draw as a direct call with that stream, and the mmd2 row equals the default run's
    expect(seen[0]).toBe(createRng(3).stream("sizeGap").uniform());
    const all = evaluateSamples(samples, { reference, rng: createRng(3) });
    expect(t.rows[1]).toEqual(all.rows[0]);
  });

  test("rejects unknown names, duplicates, metrics that do not apply and malformed objects", () => {
    const code = (metrics: unknown[], distribution?: typeof g) => {
      try {
        evaluateSamples(samples, { reference, rng: createRng(0), metrics: metrics as never, distribution });
      } catch (e) {
        return isMixdiffError(e) ? `${e.code} ${e.location?.path}` : String(e);
      }
      return "no error";
    };
    expect(code(["mmd2", "wasserstein"])).toBe("INVALID_OPTION metrics[1]");
    expect(code(["toString"])).toBe("INVALID_OPTION metrics[0]");
    expect(code(["mmd2", { ...sizeGap, name: "mmd2" }])).toBe("INVALID_OPTION metrics[1]");
    expect(code(["nllGap"])).toBe("INVALID_OPTION metrics[0]");
    expect(code(["nllGap"], g)).toBe("no error");
    expect(code([{ ...sizeGap, maxDim: 1 }])).toBe("INVALID_OPTION metrics[0]");
    expect(code([{ name: "x", run: () => 0 }])).toBe("INVALID_OPTION metrics[0]");
  });
});
