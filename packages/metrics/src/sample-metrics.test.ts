import { createRng } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gaussianSample } from "../test/helpers.js";
import { type SampleMetricName, sampleMetrics } from "./sample-metrics.js";

// Conformance suite: every registered two-sample metric, in 1-D and 2-D.
describe("sampleMetrics registry", () => {
  const names = Object.keys(sampleMetrics) as SampleMetricName[];

  test("lists the documented metrics", () => {
    expect(names.sort()).toEqual(["energyDistance", "histogramTV", "knnTwoSampleTest", "mmd2", "slicedWasserstein"]);
  });

  for (const name of names) {
    for (const d of [1, 2]) {
      test(`${name} in ${d}-D: finite value and error, sizes, reproducible, larger for different samples`, () => {
        const metric = sampleMetrics[name];
        expect(metric.description.length).toBeGreaterThan(10);
        const mean0 = new Array(d).fill(0);
        const mean1 = new Array(d).fill(0);
        mean1[0] = 3;
        const x = gaussianSample(300, mean0, 1, `${name}-x-${d}`);
        const same = gaussianSample(300, mean0, 1, `${name}-y-${d}`);
        const far = gaussianSample(300, mean1, 1, `${name}-z-${d}`);
        const a = metric.run(x, same, { rng: createRng(1), maxSamples: 200 });
        const b = metric.run(x, far, { rng: createRng(1), maxSamples: 200 });
        for (const e of [a, b]) {
          expect(Number.isFinite(e.value)).toBe(true);
          expect(Number.isFinite(e.standardError as number)).toBe(true);
          expect(e.n).toBeGreaterThan(0);
          expect(e.m).toBeGreaterThan(0);
        }
        // a 3σ shift is many standard errors away from equality for every metric at these sizes
        expect(b.value - a.value).toBeGreaterThan(4 * Math.hypot(a.standardError as number, b.standardError as number));
        expect(metric.run(x, far, { rng: createRng(1), maxSamples: 200 })).toEqual(b);
      });
    }
  }
});
