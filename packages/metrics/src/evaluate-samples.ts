import { MixdiffError, type PointsLike, type Rng, toPoints } from "@mixdiff/core";
import { type SampleMetric, type SampleMetricName, sampleMetricNames, sampleMetrics } from "./sample-metrics.js";
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
 * Options of {@link evaluateSamples}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import type { EvaluateSamplesOptions } from "@mixdiff/metrics";
 * declare const reference: number[][];
 * const o: EvaluateSamplesOptions = { reference, rng: createRng(1), metrics: ["energyDistance", "slicedWasserstein"] };
 * ```
 */
export interface EvaluateSamplesOptions {
  /** The reference sample (same dimension as the samples). */
  reference: PointsLike;
  /** The known distribution: enables the likelihood metrics. */
  distribution?: KnownDistribution;
  /** Each metric draws from `rng.stream(name)`. */
  rng: Rng;
  /** Cap on the points per sample for the O(n²) metrics (their default otherwise). */
  maxSamples?: number;
  /**
   * The metrics to run, in this order: names from {@link sampleMetrics} and/or your own {@link SampleMetric}
   * objects. Default: every entry of {@link sampleMetrics} that applies (dimension ≤ `maxDim`; likelihood
   * metrics only with `distribution`). A metric listed here that does not apply is an `INVALID_OPTION` error.
   */
  metrics?: readonly (SampleMetricName | SampleMetric)[];
}

/**
 * Runs the metric suite on `samples` against a `reference` sample: by default every entry of {@link sampleMetrics}
 * that supports the dimension, the likelihood metrics ({@link meanLogLikelihood}, {@link nllGap}) when
 * `distribution` is given; or the `metrics` you list, which may include your own {@link SampleMetric} objects.
 * Each metric draws from its own stream `rng.stream(name)`, so rows are reproducible individually. `maxSamples`
 * caps the O(n²) metrics (their default otherwise). A row's note is the metric's description, the subsampling,
 * and the fields the metric reports with a note (its `reports`).
 *
 * @throws MixdiffError `DIMENSION_MISMATCH` for inputs of different dimensions; `INVALID_OPTION` naming
 * `metrics[i]` for an unknown name, a duplicate, a dimension above the metric's `maxDim`, or a likelihood metric
 * without `distribution`.
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { evaluateSamples, sampleMetrics } from "@mixdiff/metrics";
 * declare const generated: number[][], reference: number[][];
 * const table = evaluateSamples(generated, { reference, rng: createRng(1) });
 * for (const r of table.rows) console.log(r.name, r.value, r.standardError, r.note);
 * // a subset, plus a metric of your own (any object with the SampleMetric interface)
 * const custom = { ...sampleMetrics.energyDistance, name: "energy500", run: sampleMetrics.energyDistance.run };
 * evaluateSamples(generated, { reference, rng: createRng(1), metrics: ["mmd2", custom], maxSamples: 500 });
 * ```
 */
export function evaluateSamples(samplesIn: PointsLike, o: EvaluateSamplesOptions): MetricsTable {
  const fn = "evaluateSamples";
  const samples = toPoints(samplesIn, { name: `${fn}: samples`, expectedCols: o.distribution?.dim });
  const reference = toPoints(o.reference, { name: `${fn}: reference`, expectedCols: samples.cols });
  const rows: MetricsRow[] = [];
  for (const metric of resolveMetrics(o, samples.cols)) {
    const e = metric.run(samples, reference, {
      rng: o.rng.stream(metric.name),
      maxSamples: o.maxSamples,
      ...(o.distribution !== undefined && { distribution: o.distribution }),
    });
    rows.push({
      name: metric.name,
      value: e.value,
      standardError: e.standardError ?? null,
      note: noteFor(metric, e),
      estimate: e,
    });
  }
  return { rows };
}

/** The metrics to run: the applicable registry entries by default, else the listed ones (checked). */
function resolveMetrics(o: EvaluateSamplesOptions, dim: number): SampleMetric[] {
  const fn = "evaluateSamples";
  const hasDistribution = o.distribution !== undefined;
  if (o.metrics === undefined) {
    return sampleMetricNames
      .map((name): SampleMetric => sampleMetrics[name])
      .filter((m) => dim <= m.maxDim && (hasDistribution || !m.likelihood));
  }
  if (!Array.isArray(o.metrics)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: metrics must be an array of names or metric objects`, {
      path: "metrics",
    });
  }
  const seen = new Set<string>();
  return o.metrics.map((item: unknown, i): SampleMetric => {
    const path = `metrics[${i}]`;
    let m: SampleMetric;
    if (typeof item === "string") {
      if (!Object.hasOwn(sampleMetrics, item)) {
        throw new MixdiffError(
          "INVALID_OPTION",
          `${fn}: ${path} is ${JSON.stringify(item)}, not a metric; known: ${sampleMetricNames.join(", ")}`,
          { path },
        );
      }
      m = sampleMetrics[item as SampleMetricName];
    } else if (isMetric(item)) m = item;
    else {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: ${path} must be a metric name or an object with name, description, maxDim, likelihood, reports and run`,
        { path },
      );
    }
    if (seen.has(m.name))
      throw new MixdiffError("INVALID_OPTION", `${fn}: ${path}: metric ${JSON.stringify(m.name)} is listed twice`, {
        path,
      });
    seen.add(m.name);
    if (dim > m.maxDim) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: ${path}: ${m.name} supports at most ${m.maxDim} dimensions; the samples have ${dim}`,
        { path },
      );
    }
    if (m.likelihood && !hasDistribution) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: ${path}: ${m.name} is a likelihood metric and needs distribution`,
        { path },
      );
    }
    return m;
  });
}

function isMetric(v: unknown): v is SampleMetric {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    typeof m.name === "string" &&
    m.name.length > 0 &&
    typeof m.description === "string" &&
    typeof m.maxDim === "number" &&
    typeof m.likelihood === "boolean" &&
    Array.isArray(m.reports) &&
    typeof m.run === "function"
  );
}

function noteFor(metric: SampleMetric, e: Estimate): string {
  const parts: string[] = [metric.description];
  if (e.subsampled) parts.push(`subsampled to ${e.n} × ${e.m}`);
  for (const f of metric.reports) {
    const v = (e as unknown as Record<string, unknown>)[f.key];
    if (f.note !== undefined && typeof v === "number") parts.push(f.note(v));
  }
  return parts.join("; ");
}
