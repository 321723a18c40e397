import type { Seed } from "@mixdiff/core";
import { runTask } from "../compute.js";
import { specSource } from "../examples.js";
import { CliError } from "../exit-codes.js";
import { claimStdin, displayName, parseIntOption, readCsvFile, resolveSeed } from "../input.js";
import { loadModelFile } from "../model-file.js";
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
  nRef?: string;
  seed?: string;
  json?: boolean;
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

/**
 * `mixdiff evaluate <samples.csv> (--spec spec.json | --example NAME | --reference ref.csv) [--model model.json] [--json]`. Inputs are
 * read on this thread (streamed); the metrics run on the compute worker, so Ctrl-C / SIGTERM stop them at once.
 */
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
  claimStdin([
    ["<samples.csv>", samplesPath],
    ["--spec", opts.spec],
    ["--reference", opts.reference],
    ["--model", opts.model],
  ]);
  const nRef = opts.nRef === undefined ? undefined : parseIntOption("--n-ref", opts.nRef, 2, 10_000_000);
  const { seed, drawn } = resolveSeed(opts.seed);
  const log = new Reporter(!!opts.json);
  const spec = specSrc === undefined ? undefined : await specSrc.load();
  const dim = spec?.distribution.dim;
  const model = opts.model === undefined ? undefined : await loadModelFile(opts.model);
  if (model && spec) {
    const dimM = model.kind === "learned" ? model.model.dim : model.distribution.dim;
    if (dimM !== spec.distribution.dim) {
      throw new CliError(
        "input",
        `${opts.model}: model dimension ${dimM} differs from the spec's dimension ${spec.distribution.dim}`,
      );
    }
  }
  const { points: samples } = await readCsvFile(samplesPath, {
    what: "samples",
    ...(dim !== undefined && { expectedCols: dim }),
  });
  if (samples.rows < 2)
    throw new CliError("input", `${displayName(samplesPath)}: evaluate needs at least 2 samples; got ${samples.rows}`);
  const reference =
    opts.reference === undefined
      ? undefined
      : (await readCsvFile(opts.reference, { what: "reference samples", expectedCols: samples.cols })).points;
  if (drawn) log.info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  log.info(`evaluate: metrics of ${samples.rows} × ${samples.cols} samples…`);
  const r = await runTask("metrics", {
    sampleSets: [samples],
    seed,
    ...(reference && { reference }),
    ...(spec && { spec: spec.spec }),
    ...(nRef !== undefined && { nRef }),
    ...(model && { model: model.source }),
  });
  const summary: EvaluateSummary = {
    command: "evaluate",
    version: CLI_VERSION,
    seed: seed as Seed,
    seedDrawn: drawn,
    samples: { file: displayName(samplesPath), rows: samples.rows, dim: samples.cols },
    against: {
      ...(specSrc && { spec: specSrc.label }),
      ...(opts.reference && { reference: opts.reference }),
      referenceRows: r.referenceRows,
    },
    metrics: (r.tables[0] ?? []).map((m) => ({
      name: m.name,
      value: m.value,
      standardError: m.standardError,
      note: m.note,
    })),
    ...(r.scoreError && { scoreError: { model: opts.model as string, ...r.scoreError } }),
  };
  if (opts.json) {
    writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const head = `evaluate: ${summary.samples.file} (${samples.rows} × ${samples.cols}) against ${specSrc ? `${specSrc.label} (${r.referenceRows} exact draws)` : `${opts.reference} (${r.referenceRows} rows)`}, seed ${showSeed(seed)}`;
  writeStdout(`${head}\n${formatMetrics(summary.metrics)}\n`);
  if (summary.scoreError) writeStdout(`\n${formatLevels(summary.scoreError.levels, summary.scoreError.klBound)}\n`);
}
