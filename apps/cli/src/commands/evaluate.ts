import type { Points, Seed } from "@mixdiff/core";
import { type SampleMetricName, sampleMetricNames, sampleMetrics } from "@mixdiff/metrics";
import { runTask } from "../compute.js";
import { specSource } from "../examples.js";
import { CliError } from "../exit-codes.js";
import { claimStdin, displayName, parseIntOption, readDataCsv, resolveSeed } from "../input.js";
import { type LoadedModel, loadModelFile } from "../model-file.js";
import { writeStdout } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import type { LevelErrorRow } from "../tasks.js";
import { showSeed } from "./common.js";

export interface EvaluateOptions {
  spec?: string;
  example?: string;
  reference?: string;
  model?: string;
  heldOut?: string;
  labelColumn?: string;
  nRef?: string;
  /** Comma-separated names from the metrics registry (`sampleMetrics` of `@mixdiff/metrics`). */
  metrics?: string;
  seed?: string;
  json?: boolean;
}

/**
 * Parses `--metrics a,b,…` against the registry: known names, no repeats, likelihood metrics only with a spec.
 * The dimension limits are checked once the samples are read.
 */
export function parseMetrics(list: string, hasSpec: boolean): SampleMetricName[] {
  const names = list
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (names.length === 0) throw new CliError("usage", `--metrics: give one or more of ${sampleMetricNames.join(", ")}`);
  const out: SampleMetricName[] = [];
  for (const n of names) {
    if (!Object.hasOwn(sampleMetrics, n))
      throw new CliError("usage", `--metrics: unknown metric "${n}"; choose from ${sampleMetricNames.join(", ")}`);
    const name = n as SampleMetricName;
    if (out.includes(name)) throw new CliError("usage", `--metrics: ${name} is listed twice`);
    if (sampleMetrics[name].likelihood && !hasSpec)
      throw new CliError("usage", `--metrics: ${name} needs the true density (--spec or --example)`);
    out.push(name);
  }
  return out;
}

/** A mean with its standard error. */
interface MeanSe {
  mean: number;
  standardError: number;
}

/** The machine-readable result of `evaluate --json`. */
export interface EvaluateSummary {
  command: "evaluate";
  version: string;
  seed: Seed;
  seedDrawn: boolean;
  /** The samples evaluated (absent when only `--held-out` is given). */
  samples?: { file: string; rows: number; dim: number };
  against?: { spec?: string; reference?: string; referenceRows: number };
  /** The metrics of the samples (empty without samples). */
  metrics: { name: string; value: number; standardError: number | null; note: string }[];
  scoreError?: { model: string; levels: LevelErrorRow[]; klBound: number };
  /**
   * `--model` with `--held-out`: the mean log-likelihood of the model on the held-out points (higher is better), how
   * it was computed, and with a spec the truth's and the paired gap `mean(ln p − ln p̂)`, an estimate of
   * KL(truth ‖ model) (≥ 0 up to its standard error).
   */
  logLikelihood?: {
    model: string;
    modelKind: "learned" | "em" | "spec";
    heldOut: { file: string; rows: number; dim: number };
    method: string;
    mean: number;
    standardError: number;
    truth?: MeanSe;
    gap?: MeanSe;
  };
}

const num = (v: number | null, digits = 4) =>
  v === null ? "—" : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);

/** The metrics table as text. */
export function formatMetrics(
  rows: readonly { name: string; value: number; standardError: number | null; note: string }[],
): string {
  const w = Math.max(6, ...rows.map((r) => r.name.length));
  const L = [`${"metric".padEnd(w)}  ${"value".padStart(11)}  ${"std.err".padStart(9)}  note`];
  for (const r of rows)
    L.push(`${r.name.padEnd(w)}  ${num(r.value).padStart(11)}  ${num(r.standardError).padStart(9)}  ${r.note}`);
  return L.join("\n");
}

/** The per-level score error table as text. */
export function formatLevels(levels: readonly LevelErrorRow[], klBound: number): string {
  const L = ["score error by noise level (against the exact score):", "         t          mse   relative    std.err"];
  for (const l of levels) {
    L.push(
      `  ${l.t.toPrecision(3).padStart(8)}  ${num(l.mse).padStart(11)}  ${(100 * l.relative).toFixed(2).padStart(8)}%  ${num(l.standardError).padStart(9)}`,
    );
  }
  L.push(`KL bound term Σ ln(σ²ₖ₊₁/σ²ₖ)·σ²ₖ·mseₖ = ${klBound.toPrecision(3)}`);
  return L.join("\n");
}

/** The held-out log-likelihood lines as text. */
export function formatLogLikelihood(ll: NonNullable<EvaluateSummary["logLikelihood"]>): string {
  const pm = (x: MeanSe) => `${num(x.mean)} ± ${num(x.standardError)}`;
  const L = [
    `held-out log-likelihood of ${ll.model} on ${ll.heldOut.file} (${ll.heldOut.rows} points, mean ln p̂ per point ± std.err; ${ll.method}):`,
    `  model  ${pm(ll)}`,
  ];
  if (ll.truth && ll.gap) {
    L.push(`  truth  ${pm(ll.truth)}`);
    L.push(`  gap    ${pm(ll.gap)}  (truth − model: an estimate of KL(truth ‖ model), ≥ 0 up to its error)`);
  }
  return L.join("\n");
}

function dimOf(m: LoadedModel): number {
  return m.kind === "learned" ? m.model.dim : m.distribution.dim;
}

/**
 * `mixdiff evaluate [samples.csv] (--spec spec.json | --example NAME | --reference ref.csv) [--model model.json]
 * [--held-out data.csv] [--metrics a,b,…] [--json]`. Inputs are read on this thread (streamed); the metrics and the likelihood run on
 * the compute worker, so Ctrl-C / SIGTERM stop them at once.
 */
export async function evaluate(samplesPath: string | undefined, opts: EvaluateOptions): Promise<void> {
  const specSrc =
    opts.spec === undefined && opts.example === undefined ? undefined : specSource(opts.spec, opts.example, "--spec");
  if (samplesPath === undefined) {
    if (opts.heldOut === undefined || opts.model === undefined) {
      throw new CliError(
        "usage",
        "evaluate needs <samples.csv> (with --spec, --example or --reference), or --model with --held-out <data.csv>",
      );
    }
    if (opts.reference !== undefined) throw new CliError("usage", "--reference needs <samples.csv> to compare");
  } else if ((specSrc === undefined) === (opts.reference === undefined)) {
    throw new CliError(
      "usage",
      "evaluate needs exactly one of --spec <spec.json>, --example <name> or --reference <ref.csv>",
    );
  }
  if (opts.heldOut !== undefined && opts.model === undefined) {
    throw new CliError("usage", "--held-out needs --model <model.json> (the model whose likelihood is measured)");
  }
  if (opts.model !== undefined && specSrc === undefined && opts.heldOut === undefined)
    throw new CliError(
      "usage",
      "--model needs --spec or --example (the exact score comes from the spec), or --held-out <data.csv>",
    );
  if (opts.nRef !== undefined && (specSrc === undefined || samplesPath === undefined))
    throw new CliError("usage", "--n-ref applies to samples evaluated against --spec or --example only");
  claimStdin([
    ["<samples.csv>", samplesPath],
    ["--spec", opts.spec],
    ["--reference", opts.reference],
    ["--model", opts.model],
    ["--held-out", opts.heldOut],
  ]);
  const nRef = opts.nRef === undefined ? undefined : parseIntOption("--n-ref", opts.nRef, 2, 10_000_000);
  if (opts.metrics !== undefined && samplesPath === undefined)
    throw new CliError("usage", "--metrics applies to <samples.csv> (the held-out log-likelihood has no metric list)");
  const metrics = opts.metrics === undefined ? undefined : parseMetrics(opts.metrics, specSrc !== undefined);
  const { seed, drawn } = resolveSeed(opts.seed);
  const log = new Reporter(!!opts.json);
  const spec = specSrc === undefined ? undefined : await specSrc.load();
  const model = opts.model === undefined ? undefined : await loadModelFile(opts.model);
  if (model && spec && dimOf(model) !== spec.distribution.dim) {
    throw new CliError(
      "input",
      `${opts.model}: model dimension ${dimOf(model)} differs from the spec's dimension ${spec.distribution.dim}`,
    );
  }
  const labelColumn = opts.labelColumn === undefined ? {} : { labelColumn: opts.labelColumn, lenient: true };
  const dim = spec?.distribution.dim ?? (model ? dimOf(model) : undefined);
  const dimWhat = spec ? "the spec's dimension" : "the model's dimension";
  let samples: Points | undefined;
  if (samplesPath !== undefined) {
    samples = (
      await readDataCsv(samplesPath, {
        what: "samples",
        ...labelColumn,
        ...(dim !== undefined && { expectedCols: dim, expectedWhat: dimWhat }),
      })
    ).points;
    if (samples.rows < 2)
      throw new CliError(
        "input",
        `${displayName(samplesPath)}: evaluate needs at least 2 samples; got ${samples.rows}`,
      );
  }
  for (const name of samples ? (metrics ?? []) : []) {
    const maxDim = sampleMetrics[name].maxDim;
    if ((samples as Points).cols > maxDim)
      throw new CliError(
        "usage",
        `--metrics: ${name} supports at most ${maxDim} dimensions; the samples have ${(samples as Points).cols}`,
      );
  }
  const reference =
    opts.reference === undefined || samples === undefined
      ? undefined
      : (
          await readDataCsv(opts.reference, {
            what: "reference samples",
            ...labelColumn,
            expectedCols: samples.cols,
            expectedWhat: "the samples' dimension",
          })
        ).points;
  const heldOut =
    opts.heldOut === undefined
      ? undefined
      : (
          await readDataCsv(opts.heldOut, {
            what: "held-out points",
            ...labelColumn,
            expectedCols: dimOf(model as LoadedModel),
            expectedWhat: "the model's dimension",
          })
        ).points;
  if (heldOut && heldOut.rows < 2)
    throw new CliError(
      "input",
      `${displayName(opts.heldOut as string)}: --held-out needs at least 2 points; got ${heldOut.rows}`,
    );
  // the seed drives the metrics (reference draws, subsampling); the likelihood alone uses none
  if (drawn && samples) log.info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const summary: EvaluateSummary = {
    command: "evaluate",
    version: CLI_VERSION,
    seed: seed as Seed,
    seedDrawn: drawn,
    metrics: [],
  };
  let referenceRows = 0;
  if (samples) {
    log.info(`evaluate: metrics of ${samples.rows} × ${samples.cols} samples…`);
    const r = await runTask("metrics", {
      sampleSets: [samples],
      seed,
      ...(reference && { reference }),
      ...(spec && { spec: spec.spec }),
      ...(nRef !== undefined && { nRef }),
      ...(metrics && { metrics }),
      ...(spec && model && { model: model.source }),
    });
    referenceRows = r.referenceRows;
    summary.samples = { file: displayName(samplesPath as string), rows: samples.rows, dim: samples.cols };
    summary.against = {
      ...(specSrc && { spec: specSrc.label }),
      ...(opts.reference && { reference: opts.reference }),
      referenceRows: r.referenceRows,
    };
    summary.metrics = (r.tables[0] ?? []).map((m) => ({
      name: m.name,
      value: m.value,
      standardError: m.standardError,
      note: m.note,
    }));
    if (r.scoreError) summary.scoreError = { model: opts.model as string, ...r.scoreError };
  }
  if (heldOut && model) {
    log.info(`evaluate: log-likelihood of ${opts.model} on ${heldOut.rows} held-out points…`);
    const rows = heldOut.rows;
    const progress = new Reporter(!!opts.json);
    progress.start("log-likelihood", rows, "points");
    const ll = await runTask(
      "logLikelihood",
      { model: model.source, points: heldOut, ...(spec && { spec: spec.spec }) },
      {
        onProgress: (p) => progress.update((p as { done: number }).done, ""),
        transfer: [heldOut.data.buffer as ArrayBuffer],
      },
    );
    progress.stop();
    summary.logLikelihood = {
      model: opts.model as string,
      modelKind: model.kind,
      heldOut: { file: displayName(opts.heldOut as string), rows, dim: dimOf(model) },
      ...ll,
    };
  }
  if (opts.json) {
    writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  if (samples && summary.samples) {
    const head = `evaluate: ${summary.samples.file} (${samples.rows} × ${samples.cols}) against ${specSrc ? `${specSrc.label} (${referenceRows} exact draws)` : `${opts.reference} (${referenceRows} rows)`}, seed ${showSeed(seed)}`;
    writeStdout(`${head}\n${formatMetrics(summary.metrics)}\n`);
    if (summary.scoreError) writeStdout(`\n${formatLevels(summary.scoreError.levels, summary.scoreError.klBound)}\n`);
  }
  if (summary.logLikelihood) writeStdout(`${samples ? "\n" : ""}${formatLogLikelihood(summary.logLikelihood)}\n`);
}
