import { createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { gaussianSample } from "../test/helpers.js";
import { sampleMetricNames, sampleMetrics } from "./sample-metrics.js";
import type { Estimate } from "./types.js";

const ESTIMATE_KEYS = new Set(["value", "standardError", "ci", "n", "m", "subsampled", "details"]);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMixdiffError(e) ? e.code : `not a MixdiffError: ${String(e)}`;
  }
  return undefined;
}

// Conformance suite: every registered metric, in 1-D and 2-D. The samples are N(0, I) (x, and `same`, an
// independent sample of the same law) and N(3·e₁, I) (`far`); likelihood metrics get the exact N(0, I).
describe("sampleMetrics registry", () => {
  test("lists the documented metrics, two-sample ones first; each entry's name is its key", () => {
    expect(sampleMetricNames.slice(0, 7)).toEqual([
      "mmd2",
      "energyDistance",
      "slicedWasserstein",
      "knnTwoSampleTest",
      "histogramTV",
      "meanLogLikelihood",
      "nllGap",
    ]);
    for (const [key, metric] of Object.entries(sampleMetrics)) {
      expect(metric.name).toBe(key);
      expect(metric.description.length).toBeGreaterThan(10);
      expect(metric.maxDim).toBeGreaterThanOrEqual(1);
      for (const f of metric.reports) expect(f.doc.length).toBeGreaterThan(5);
    }
    expect(
      Object.values(sampleMetrics)
        .filter((m) => m.likelihood)
        .map((m) => m.name),
    ).toEqual(["meanLogLikelihood", "nllGap"]);
  });

  for (const [name, metric] of Object.entries(sampleMetrics)) {
    for (const d of [1, 2]) {
      describe(`${name} in ${d}-D`, () => {
        const distribution = gaussianMixture({ means: [new Array(d).fill(0)], weights: [1], noiseStd: 1 });
        const mean1 = new Array(d).fill(0);
        mean1[0] = 3;
        const x = gaussianSample(300, new Array(d).fill(0), 1, `${name}-x-${d}`);
        const same = gaussianSample(300, new Array(d).fill(0), 1, `${name}-y-${d}`);
        const far = gaussianSample(300, mean1, 1, `${name}-z-${d}`);
        // a likelihood metric scores its first argument under the distribution: the shifted sample goes first
        const run = (p: Points, q: Points) =>
          metric.run(p, q, { rng: createRng(1), maxSamples: 200, ...(metric.likelihood && { distribution }) });
        const a = run(x, same);
        const b = run(far, x);

        test("same law: a finite estimate with a standard error, used sizes, ≈ its equal-law value", () => {
          for (const e of [a, b]) {
            expect(Number.isFinite(e.value)).toBe(true);
            expect(e.standardError).toBeGreaterThan(0);
            expect(Number.isFinite(e.standardError as number)).toBe(true);
            expect(e.n).toBeGreaterThan(0);
            expect(e.m).toBeGreaterThanOrEqual(metric.likelihood ? 0 : 1);
          }
          const se = a.standardError as number;
          if (metric.equalLawValue) {
            // under equal laws the estimate is ≈ normal about this value with sd ≈ its standard error
            expect(Math.abs(a.value - metric.equalLawValue(a as never))).toBeLessThan(3 * se);
          } else {
            // the one metric without an equal-law value: E ln p(X) for X ~ N(0, I_d) is −(d/2)·ln(2πe)
            expect(name).toBe("meanLogLikelihood");
            expect(Math.abs(a.value + (d / 2) * Math.log(2 * Math.PI * Math.E))).toBeLessThan(3 * se);
          }
        });

        test("detects a 3σ shift by many standard errors, in the metric's direction; reproducible", () => {
          const gap = metric.higherIsBetter ? a.value - b.value : b.value - a.value;
          expect(gap).toBeGreaterThan(4 * Math.hypot(a.standardError as number, b.standardError as number));
          expect(run(far, x)).toEqual(b);
        });

        test("its estimate has the declared fields and no undeclared ones", () => {
          const declared = new Set(metric.reports.map((f) => f.key));
          for (const e of [a, b] as Estimate[]) {
            for (const [k, v] of Object.entries(e)) {
              if (ESTIMATE_KEYS.has(k)) continue;
              expect(declared.has(k), `${name} reports an undeclared field ${k}`).toBe(true);
              expect(Number.isFinite(v as number)).toBe(true);
            }
          }
        });

        test("rejects bad input with a typed error", () => {
          const wide = gaussianSample(10, new Array(d + 1).fill(0), 1, "wide");
          const o = { rng: createRng(1), distribution };
          expect(metric.likelihood ? codeOf(() => metric.run(wide, x, o)) : codeOf(() => metric.run(x, wide, o))).toBe(
            "DIMENSION_MISMATCH",
          );
          const bad = gaussianSample(10, new Array(d).fill(0), 1, "bad");
          bad.data[3] = Number.NaN;
          expect(codeOf(() => metric.run(bad, x, o))).toBe("NON_FINITE_INPUT");
          if (metric.likelihood)
            expect(codeOf(() => metric.run(x, same, { rng: createRng(1) }))).toBe("INVALID_OPTION");
        });
      });
    }
  }
});
