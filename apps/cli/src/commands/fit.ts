import { createRng, type Points, type Seed, toArrays } from "@mixdiff/core";
import type { EmResult } from "@mixdiff/mixtures";
import {
  checkFitOptions,
  estimateMixtureParameters,
  type FitProgress,
  type LearnedScoreModel,
  loadScoreModel,
} from "@mixdiff/score";
import { runTask } from "../compute.js";
import { CliError } from "../exit-codes.js";
import { displayName, parseIntOption, parseNumberOption, readDataCsv, resolveSeed } from "../input.js";
import { emFileFrom } from "../model-file.js";
import { OutputFile, writeStdout } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import type { LearnerOptions } from "../tasks.js";
import { showSeed } from "./common.js";

export interface FitOptions {
  out: string;
  method: "diffusion" | "em";
  k?: string;
  seed?: string;
  sigma0?: string;
  degree?: string;
  levels?: string;
  tMin?: string;
  tMax?: string;
  noiseDraws?: string;
  preset?: "practical" | "paper";
  estimator?: "stein" | "ism" | "dsm";
  gating?: "soft" | "hard";
  workers?: string;
  restarts?: string;
  labelColumn?: string;
  json?: boolean;
  quiet?: boolean;
  force?: boolean;
}

/** The machine-readable summary printed by `fit --json` (schema in the README). */
export interface FitSummary {
  command: "fit";
  version: string;
  method: "diffusion" | "em";
  seed: Seed;
  seedDrawn: boolean;
  /** `droppedColumn`: the label column `--label-column` removed. */
  data: { file: string; rows: number; dim: number; droppedColumn?: string };
  out: string;
  fitMs: number;
  diffusion?: {
    levels: { t: number; cells: number; degree: number; heldOutRelError?: number }[];
    subspaceDim: number;
    klTerm: number;
    klTermStandardError: number | null;
    warnings: string[];
    mixtureEstimate: { weights: number[]; means: number[][] } | null;
  };
  em?: {
    k: number;
    weights: number[];
    means: number[][];
    logLikelihood: number;
    bic: number;
    iterations: number;
    converged: boolean;
  };
}

const DIFFUSION_ONLY = [
  "degree",
  "levels",
  "tMin",
  "tMax",
  "noiseDraws",
  "preset",
  "estimator",
  "gating",
  "workers",
] as const;

/** Resolved numeric options (validated before reading the data). */
export function resolveFitOptions(opts: FitOptions) {
  if (opts.json && opts.out === "-") throw new CliError("usage", "--json and --out - both write to stdout; choose one");
  if (opts.method === "em") {
    for (const k of DIFFUSION_ONLY) {
      if (opts[k] !== undefined)
        throw new CliError(
          "usage",
          `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to --method diffusion only`,
        );
    }
  } else if (opts.restarts !== undefined) {
    throw new CliError("usage", "--restarts applies to --method em only");
  }
  return {
    k: opts.k === undefined ? undefined : parseIntOption("--k", opts.k, 1, 10_000),
    sigma0: opts.sigma0 === undefined ? 1 : parseNumberOption("--sigma0", opts.sigma0, { min: 0, exclusiveMin: true }),
    degree: opts.degree === undefined ? undefined : parseIntOption("--degree", opts.degree, 0, 1_000_000),
    // the learner needs two levels at least (a top and a bottom of the grid)
    levels: opts.levels === undefined ? undefined : parseIntOption("--levels", opts.levels, 2, 100_000),
    tMin: opts.tMin === undefined ? undefined : parseNumberOption("--t-min", opts.tMin, { min: 0, exclusiveMin: true }),
    tMax: opts.tMax === undefined ? undefined : parseNumberOption("--t-max", opts.tMax, { min: 0, exclusiveMin: true }),
    noiseDraws: opts.noiseDraws === undefined ? undefined : parseIntOption("--noise-draws", opts.noiseDraws, 1, 10_000),
    restarts: opts.restarts === undefined ? undefined : parseIntOption("--restarts", opts.restarts, 1, 10_000),
    workers: opts.workers === undefined ? undefined : parseIntOption("--workers", opts.workers, 1, 256),
    preset: opts.preset,
    estimator: opts.estimator,
    gating: opts.gating,
  };
}

/** The learner options the CLI passes to `fitScore` (everything but the RNG and callbacks). */
function learnerOptions(o: ReturnType<typeof resolveFitOptions>): LearnerOptions {
  return {
    sigma0: o.sigma0,
    ...(o.k !== undefined && { k: o.k }),
    ...(o.degree !== undefined && { degree: o.degree }),
    ...(o.levels !== undefined && { levels: o.levels }),
    ...(o.tMin !== undefined && { tMin: o.tMin }),
    ...(o.tMax !== undefined && { tMax: o.tMax }),
    ...(o.noiseDraws !== undefined && { noiseDraws: o.noiseDraws }),
    ...(o.preset !== undefined && { preset: o.preset }),
    ...(o.estimator !== undefined && { estimator: o.estimator }),
    ...(o.gating !== undefined && { gating: o.gating }),
  };
}

function progressReporter(log: Reporter) {
  let started = false;
  let phase = "";
  return (p: FitProgress) => {
    if (p.phase !== phase) {
      if (started) log.stop();
      log.start(p.phase === "descent" ? "fit (descent)" : "fit (refit)", p.levels, "noise level");
      started = true;
      phase = p.phase;
    }
    log.update(p.level + 1, `t=${p.t.toPrecision(3)} cells=${p.cells} degree=${p.degree}`);
  };
}

/**
 * Runs the diffusion learner with a progress bar (noise level i of L, cells, ETA) on the compute worker, so Ctrl-C
 * stops it at once; the model is rebuilt on this thread with `loadScoreModel` (bit-exact). With `transfer` the
 * data's buffer is handed to the worker (no copy; `x` is unusable afterwards).
 */
export async function fitDiffusion(
  x: Points,
  seed: Seed,
  o: ReturnType<typeof resolveFitOptions>,
  log: Reporter,
  transfer = false,
): Promise<LearnedScoreModel> {
  const options = learnerOptions(o);
  checkFitOptions({ rng: createRng(seed), ...options }, x.cols);
  const json = await runTask(
    "fitScore",
    { x, seed, options, ...(o.workers !== undefined && { workers: o.workers }) },
    {
      onProgress: progressReporter(log) as (p: unknown) => void,
      ...(transfer && { transfer: [x.data.buffer as ArrayBuffer] }),
    },
  );
  log.stop();
  return loadScoreModel(json);
}

/** Runs EM (fixed k, or k by BIC in 1..8) on the compute worker. */
export async function fitEmModel(
  x: Points,
  seed: Seed,
  o: ReturnType<typeof resolveFitOptions>,
  log: Reporter,
  extra: { kMax?: number; tolerance?: number; maxIterations?: number; transfer?: boolean } = {},
): Promise<EmResult> {
  const kMax = Math.min(extra.kMax ?? 8, x.rows);
  if (o.k === undefined) log.info(`EM: choosing k in 1..${kMax} by BIC`);
  else log.info(`EM: k = ${o.k}`);
  return runTask(
    "fitEm",
    {
      x,
      seed,
      noiseStd: o.sigma0,
      kMax,
      ...(o.k !== undefined && { k: o.k }),
      ...(o.restarts !== undefined && { restarts: o.restarts }),
      ...(extra.tolerance !== undefined && { tolerance: extra.tolerance }),
      ...(extra.maxIterations !== undefined && { maxIterations: extra.maxIterations }),
    },
    extra.transfer ? { transfer: [x.data.buffer as ArrayBuffer] } : {},
  );
}

function emSummary(r: EmResult): NonNullable<FitSummary["em"]> {
  return {
    k: r.k,
    weights: Array.from(r.weights),
    means: toArrays(r.means),
    logLikelihood: r.logLikelihood,
    bic: r.bic,
    iterations: r.iterations,
    converged: r.converged,
  };
}

/** Summary of a learned model (for --json and the demo). */
export function diffusionSummary(model: LearnedScoreModel): NonNullable<FitSummary["diffusion"]> {
  let mixtureEstimate: { weights: number[]; means: number[][] } | null = null;
  try {
    mixtureEstimate = estimateMixtureParameters(model);
  } catch {
    mixtureEstimate = null;
  }
  const d = model.diagnostics;
  return {
    levels: d.levels.map((l) => ({
      t: l.t,
      cells: l.cells,
      degree: l.degree,
      ...(l.heldOutRelError !== undefined && { heldOutRelError: l.heldOutRelError }),
    })),
    subspaceDim: d.subspaceDim,
    klTerm: d.klTerm,
    klTermStandardError: d.klTermStandardError ?? null,
    warnings: [...d.warnings],
    mixtureEstimate,
  };
}

const fmtVec = (v: readonly number[]) => `(${v.map((x) => x.toFixed(2)).join(", ")})`;

/** The one-screen human summary. */
export function formatFitSummary(s: FitSummary): string {
  const L: string[] = [];
  const dropped = s.data.droppedColumn === undefined ? "" : `, label column ${s.data.droppedColumn} dropped`;
  L.push(
    `fit: ${s.method} on ${s.data.file} (${s.data.rows} × ${s.data.dim}${dropped}), seed ${showSeed(s.seed)}, ${(s.fitMs / 1000).toFixed(1)} s`,
  );
  if (s.diffusion) {
    const d = s.diffusion;
    L.push(
      `  levels: ${d.levels.length}, subspace dimension: ${d.subspaceDim}, KL term (Theorem 3.1, held-out estimate): ${d.klTerm.toPrecision(3)} ± ${(d.klTermStandardError ?? Number.NaN).toPrecision(2)}`,
    );
    L.push("  level        t  cells  degree  held-out rel. error");
    const idx = d.levels.length <= 10 ? d.levels.map((_, i) => i) : pick(d.levels.length, 10);
    for (const i of idx) {
      const l = d.levels[i]!;
      L.push(
        `  ${String(i + 1).padStart(5)} ${l.t.toPrecision(3).padStart(8)} ${String(l.cells).padStart(6)} ${String(l.degree).padStart(7)} ${(l.heldOutRelError === undefined ? "—" : `${(100 * l.heldOutRelError).toFixed(1)}%`).padStart(11)}`,
      );
    }
    const rated = d.levels.filter((l) => l.heldOutRelError !== undefined);
    const worst = rated.reduce<(typeof rated)[number] | undefined>(
      (a, l) => (a === undefined || (l.heldOutRelError as number) > (a.heldOutRelError as number) ? l : a),
      undefined,
    );
    if (worst)
      L.push(
        `  worst level: t = ${worst.t.toPrecision(3)} (${(100 * (worst.heldOutRelError as number)).toFixed(1)}% error)`,
      );
    if (d.mixtureEstimate) {
      L.push(`  estimated mixture: ${d.mixtureEstimate.weights.length} atoms`);
      d.mixtureEstimate.weights.slice(0, 8).forEach((w, i) => {
        L.push(`    w = ${w.toFixed(3)}  mean = ${fmtVec(d.mixtureEstimate!.means[i]!.slice(0, 6))}`);
      });
    }
    for (const w of d.warnings) L.push(`  warning: ${w}`);
  }
  if (s.em) {
    const e = s.em;
    L.push(
      `  k = ${e.k}, log-likelihood ${e.logLikelihood.toFixed(2)}, BIC ${e.bic.toFixed(2)}, ${e.iterations} iterations${e.converged ? "" : " (NOT converged: raise --restarts or check the data)"}`,
    );
    for (const [i, w] of e.weights.slice(0, 8).entries()) {
      L.push(`    w = ${w.toFixed(3)}  mean = ${fmtVec(e.means[i]!.slice(0, 6))}`);
    }
  }
  L.push(`  model written to ${s.out}`);
  return L.join("\n");
}

function pick(n: number, m: number): number[] {
  const out = new Set<number>();
  for (let i = 0; i < m; i++) out.add(Math.round((i * (n - 1)) / (m - 1)));
  return [...out];
}

/** `mixdiff fit <data.csv> --out model.json [--method diffusion|em] [--k K] [--seed S] …`. */
export async function fit(dataPath: string, opts: FitOptions): Promise<void> {
  const o = resolveFitOptions(opts);
  const { seed, drawn } = resolveSeed(opts.seed);
  // the temp file is created now: an unwritable destination is reported before reading and fitting
  const out = new OutputFile(opts.out, { force: !!opts.force });
  const log = new Reporter(!!opts.quiet || !!opts.json);
  const { points: x, dropped } = await readDataCsv(dataPath, {
    what: "training data",
    ...(opts.labelColumn !== undefined && { labelColumn: opts.labelColumn }),
  });
  const { rows, cols } = x;
  if (rows < 2)
    throw new CliError("input", `${displayName(dataPath)}: fit needs at least 2 samples; got ${rows} sample`);
  if (drawn)
    new Reporter(!!opts.quiet).info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const t0 = Date.now();
  const provenance = {
    writer: `mixdiff-cli ${CLI_VERSION}`,
    command: "fit",
    method: opts.method,
    seed,
    data: displayName(dataPath),
    rows,
    ...(dropped !== undefined && { droppedColumn: dropped }),
  };
  let text: string;
  const summary: FitSummary = {
    command: "fit",
    version: CLI_VERSION,
    method: opts.method,
    seed,
    seedDrawn: drawn,
    data: { file: displayName(dataPath), rows, dim: cols, ...(dropped !== undefined && { droppedColumn: dropped }) },
    out: opts.out,
    fitMs: 0,
  };
  if (opts.method === "em") {
    const r = await fitEmModel(x, seed, o, log, { transfer: true });
    text = `${JSON.stringify(emFileFrom(r, seed), null, 1)}\n`;
    summary.em = emSummary(r);
  } else {
    const model = await fitDiffusion(x, seed, o, log, true);
    text = `${JSON.stringify({ ...model.toJSON(), provenance })}\n`;
    summary.diffusion = diffusionSummary(model);
  }
  summary.fitMs = Date.now() - t0;
  out.write(text);
  out.commit();
  if (opts.json) writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
  else if (!opts.quiet) process.stderr.write(`${formatFitSummary(summary)}\n`);
}
