import { type PointsLike, type Rng, toPoints } from "@mixdiff/core";
import { meanLogLikelihood } from "./mean-log-likelihood.js";
import { nllGap } from "./nll-gap.js";
import { type SampleMetricName, sampleMetrics } from "./sample-metrics.js";
import type { Estimate, KnownDistribution } from "./types.js";

/** One row of a {@link MetricsTable}. */
export interface MetricsRow {
  name: string;
  value: number;
  /** `null` when the metric has no standard error. */
  standardError: number | null;
  /** How to read the value (estimator, subsampling, p-values, bias). */
  note: string;
  /** The full estimate, for programmatic use. */
  estimate: Estimate;
}

/** The result of {@link evaluateSamples}. */
export interface MetricsTable {
  rows: MetricsRow[];
}

/**
 * Runs the metric suite on `samples` against a `reference` sample (every entry of {@link sampleMetrics} that
 * supports the dimension) and, when `distribution` is given, the density metrics ({@link meanLogLikelihood} of the
 * samples and {@link nllGap} against the reference). Each metric draws from its own stream of `rng`, so rows are
 * reproducible individually. `maxSamples` caps the O(n²) metrics (their default otherwise).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { evaluateSamples } from "@mixdiff/metrics";
 * declare const generated: number[][], reference: number[][];
 * const table = evaluateSamples(generated, { reference, rng: createRng(1) });
 * for (const r of table.rows) console.log(r.name, r.value, r.standardError, r.note);
 * ```
 */
export function evaluateSamples(
  samplesIn: PointsLike,
  o: { reference: PointsLike; distribution?: KnownDistribution; rng: Rng; maxSamples?: number },
): MetricsTable {
  const fn = "evaluateSamples";
  const samples = toPoints(samplesIn, { name: `${fn}: samples`, expectedCols: o.distribution?.dim });
  const reference = toPoints(o.reference, { name: `${fn}: reference`, expectedCols: samples.cols });
  const rows: MetricsRow[] = [];
  for (const name of Object.keys(sampleMetrics) as SampleMetricName[]) {
    const metric = sampleMetrics[name];
    if (samples.cols > metric.maxDim) continue;
    const e = metric.run(samples, reference, { rng: o.rng.stream(name), maxSamples: o.maxSamples });
    rows.push({ name, value: e.value, standardError: e.standardError ?? null, note: noteFor(name, e), estimate: e });
  }
  if (o.distribution !== undefined) {
    const ll = meanLogLikelihood(samples, o.distribution);
    rows.push({
      name: "meanLogLikelihood",
      value: ll.value,
      standardError: ll.standardError ?? null,
      note: "mean ln p(x) under the given distribution (higher is better)",
      estimate: ll,
    });
    const gap = nllGap(samples, o.distribution, { rng: o.rng.stream("nllGap"), reference });
    rows.push({
      name: "nllGap",
      value: gap.value,
      standardError: gap.standardError ?? null,
      note: "mean NLL of samples minus that of the reference (≈ 0 when samples ~ distribution)",
      estimate: gap,
    });
  }
  return { rows };
}

function noteFor(name: SampleMetricName, e: Estimate): string {
  const parts: string[] = [sampleMetrics[name].description];
  if (e.subsampled) parts.push(`subsampled to ${e.n} × ${e.m}`);
  const extra = e as Estimate & { bias?: number; pValue?: number; tvLowerBound?: number };
  if (extra.bias !== undefined) parts.push(`H0 bias ≈ ${extra.bias.toPrecision(3)}`);
  if (extra.tvLowerBound !== undefined) parts.push(`TV ≥ ${extra.tvLowerBound.toPrecision(3)} (95%)`);
  if (extra.pValue !== undefined) parts.push(`p = ${extra.pValue.toPrecision(3)}`);
  return parts.join("; ");
}
