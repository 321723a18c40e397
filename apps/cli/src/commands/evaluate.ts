import { createRng, type Points, type Rng, type Seed } from "@mixdiff/core";
import { evaluateSamples, klBoundFromScoreErrors, type MetricsRow, scoreErrorByLevel } from "@mixdiff/metrics";
import type { Distribution } from "@mixdiff/mixtures";
import { exactScoreModel, type ScoreModel } from "@mixdiff/score";
import { specSource } from "../examples.js";
import { CliError } from "../exit-codes.js";
import { displayName, parseIntOption, readCsvFile, resolveSeed } from "../input.js";
import { loadModelFile } from "../model-file.js";
import { writeStdout } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import { showSeed } from "./common.js";

export interface EvaluateOptions {
  spec?: string;
  example?: string;
  reference?: string;
  model?: string;
  nRef?: string;
  seed?: string;
  json?: boolean;
}

/** One row of the per-level score error table. */
export interface LevelErrorRow {
  t: number;
  mse: number;
  relative: number;
  standardError: number;
}

/** The machine-readable result of `evaluate --json`. */
export interface EvaluateSummary {
  command: "evaluate";
  version: string;
  seed: Seed;
  seedDrawn: boolean;
  samples: { file: string; rows: number; dim: number };
  against: { spec?: string; reference?: string; referenceRows: number };
  metrics: { name: string; value: number; standardError: number | null; note: string }[];
  scoreError?: { model: string; levels: LevelErrorRow[]; klBound: number };
}

/** Metric rows (plain JSON) for samples against a known distribution or a reference sample. */
export function metricsTable(
  samples: Points,
  reference: Points,
  distribution: Distribution | undefined,
  rng: Rng,
): MetricsRow[] {
  return evaluateSamples(samples, { reference, rng, ...(distribution && { distribution }) }).rows;
}

/** Per-level score error of `model` against the exact score of `truth`, and the KL-bound term. */
export function scoreErrorTable(model: ScoreModel, truth: Distribution, times: readonly number[], rng: Rng, n = 1000) {
  const levels = scoreErrorByLevel(model, truth, { times, rng, n });
  const kl = klBoundFromScoreErrors(
    levels.map((l) => ({ t: l.t, mse: l.mse })),
    { sigma0: truth.noiseStd },
  );
  return {
    levels: levels.map((l) => ({ t: l.t, mse: l.mse, relative: l.relative, standardError: l.standardError })),
    klBound: kl.total,
  };
}

/** Levels for the score-error table: the model's own learned levels (at most 8), else a fixed ladder. */
export function errorTimes(model: ScoreModel & { levels?: readonly { t: number }[] }): number[] {
  const ts = model.levels?.map((l) => l.t) ?? [0.05, 0.1, 0.3, 1, 3, 10, 30];
  if (ts.length <= 8) return [...ts].sort((a, b) => a - b);
  const out = new Set<number>();
  for (let i = 0; i < 8; i++) out.add(ts[Math.round((i * (ts.length - 1)) / 7)]!);
  return [...out].sort((a, b) => a - b);
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

/** `mixdiff evaluate <samples.csv> (--spec spec.json | --example NAME | --reference ref.csv) [--model model.json] [--json]`. */
export async function evaluate(samplesPath: string, opts: EvaluateOptions): Promise<void> {
  const specSrc =
    opts.spec === undefined && opts.example === undefined ? undefined : specSource(opts.spec, opts.example, "--spec");
  if ((specSrc === undefined) === (opts.reference === undefined)) {
    throw new CliError(
      "usage",
      "evaluate needs exactly one of --spec <spec.json>, --example <name> or --reference <ref.csv>",
    );
  }
  if (opts.model !== undefined && specSrc === undefined)
    throw new CliError("usage", "--model needs --spec or --example (the exact score comes from the spec)");
  if (opts.nRef !== undefined && specSrc === undefined)
    throw new CliError("usage", "--n-ref applies to --spec or --example only");
  const nRef = opts.nRef === undefined ? undefined : parseIntOption("--n-ref", opts.nRef, 2, 10_000_000);
  const { seed, drawn } = resolveSeed(opts.seed);
  const log = new Reporter(!!opts.json);
  const spec = specSrc?.load();
  const dim = spec?.distribution.dim;
  const model = opts.model === undefined ? undefined : loadModelFile(opts.model);
  const { points: samples } = readCsvFile(samplesPath, {
    what: "samples",
    ...(dim !== undefined && { expectedCols: dim }),
  });
  if (samples.rows < 2)
    throw new CliError("input", `${displayName(samplesPath)}: evaluate needs at least 2 samples; got ${samples.rows}`);
  if (drawn) log.info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const rng = createRng(seed);
  let reference: Points;
  if (spec) reference = spec.distribution.sample(nRef ?? samples.rows, rng.stream("reference")).x;
  else reference = readCsvFile(opts.reference!, { what: "reference samples", expectedCols: samples.cols }).points;
  const rows = metricsTable(samples, reference, spec?.distribution, rng.stream("metrics"));
  const summary: EvaluateSummary = {
    command: "evaluate",
    version: CLI_VERSION,
    seed,
    seedDrawn: drawn,
    samples: { file: displayName(samplesPath), rows: samples.rows, dim: samples.cols },
    against: {
      ...(specSrc && { spec: specSrc.label }),
      ...(opts.reference && { reference: opts.reference }),
      referenceRows: reference.rows,
    },
    metrics: rows.map((r) => ({ name: r.name, value: r.value, standardError: r.standardError, note: r.note })),
  };
  if (model && spec) {
    const m: ScoreModel = model.kind === "learned" ? model.model : exactScoreModel(model.distribution);
    const dimM = m.dim;
    if (dimM !== spec.distribution.dim) {
      throw new CliError(
        "input",
        `${opts.model}: model dimension ${dimM} differs from the spec's dimension ${spec.distribution.dim}`,
      );
    }
    const se = scoreErrorTable(
      m,
      spec.distribution,
      errorTimes(m as ScoreModel & { levels?: { t: number }[] }),
      rng.stream("score-error"),
    );
    summary.scoreError = { model: opts.model!, ...se };
  }
  if (opts.json) {
    writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const head = `evaluate: ${summary.samples.file} (${samples.rows} × ${samples.cols}) against ${specSrc ? `${specSrc.label} (${reference.rows} exact draws)` : `${opts.reference} (${reference.rows} rows)`}, seed ${showSeed(seed)}`;
  writeStdout(`${head}\n${formatMetrics(summary.metrics)}\n`);
  if (summary.scoreError) writeStdout(`\n${formatLevels(summary.scoreError.levels, summary.scoreError.klBound)}\n`);
}
