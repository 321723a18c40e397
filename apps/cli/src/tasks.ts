/**
 * The CLI's long computations, as plain functions of structured-cloneable inputs. `runTask` (compute.ts) runs them
 * on a worker thread (dist/compute-worker.js), so the main thread — which does all file and terminal I/O — stays
 * free to handle Ctrl-C / SIGTERM at once; without the built worker (tests from source) they run in-process.
 * Streaming tasks hand their output over in chunks (`ctx.chunk`), which the main thread formats and writes.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createRng, MixdiffError, type Points, type Seed } from "@mixdiff/core";
import { sample as diffusionSample, type SamplerName, STEPS_PER_LOG_VARIANCE } from "@mixdiff/diffusion";
import { type FittedEstimator, fromDistribution, fromScoreModel } from "@mixdiff/estimators";
import {
  evaluateSamples,
  klBoundFromScoreErrors,
  type MetricsRow,
  meanAndError,
  type SampleMetricName,
  scoreErrorByLevel,
} from "@mixdiff/metrics";
import { createDistribution, type Distribution, type EmResult, fitEm, fitEmBic } from "@mixdiff/mixtures";
import { type ScheduleKind, schedules } from "@mixdiff/schedules";
import {
  blockCount,
  exactScoreModel,
  type FitProgress,
  type FitScoreOptions,
  fitScore,
  type LearnedModelJSON,
  loadScoreModel,
  type ScoreModel,
} from "@mixdiff/score";
import { fitScoreParallel } from "@mixdiff/score/node";

/** A model the worker can rebuild bit-exactly: a learned model's JSON, or the spec of an exact model. */
export type ModelSource = { kind: "learned"; json: unknown } | { kind: "exact"; spec: unknown };

/** Rebuilds a score model from its source (the same bytes in and out as on the main thread). */
export function buildModel(src: ModelSource): ScoreModel {
  return src.kind === "learned" ? loadScoreModel(src.json) : exactScoreModel(createDistribution(src.spec));
}

/** What a task can send back while it runs. */
export interface TaskContext {
  /** A progress message (not flow-controlled). */
  progress(p: unknown): void;
  /** A chunk of output; resolves when the main thread is ready for more (at most a few chunks in flight). */
  chunk(c: OutputChunk, transfer?: ArrayBuffer[]): Promise<void>;
}

/** A chunk of a streamed output: rows (and, for `generate --labels`, their component labels). */
export interface OutputChunk {
  x: Points;
  labels?: Int32Array;
}

/** Rows per chunk of the diffusion samplers (progress granularity; the output does not depend on it). */
export const SAMPLE_CHUNK = 2048;
/** Rows per chunk of exact draws and of scoring. */
export const DRAW_CHUNK = 16384;

/** Options of the score learner as the CLI passes them (everything but the RNG and callbacks). */
export type LearnerOptions = Omit<FitScoreOptions, "rng" | "onProgress" | "signal">;

/**
 * Worker threads a fit uses when `--workers` is not given: every core (at most 8), but no more than the data has
 * blocks of work (a block is 2 048 rows; with one block the fit runs on this thread).
 */
export function fitWorkers(rows: number, requested?: number): number {
  return Math.max(1, Math.min(requested ?? Math.min(8, availableParallelism()), blockCount(rows)));
}

/**
 * Worker threads `mixdiff sample` draws with when `--workers` is not given: every core (at most 8), but no more than
 * the draw has chunks; one chunk or exact draws (which are fast) run on a single worker.
 */
export function drawWorkers(n: number, exact: boolean, requested?: number): number {
  const chunks = Math.ceil(n / (exact ? DRAW_CHUNK : SAMPLE_CHUNK));
  return Math.max(1, Math.min(requested ?? (exact ? 1 : Math.min(8, availableParallelism())), chunks));
}

/**
 * The fit of the diffusion learner: the model JSON (rebuilt with `loadScoreModel`, bit-exact). With more than one
 * worker the fit's maps run on worker threads (`fitScoreParallel`, dist/score-fit-worker.js): the same bytes as on
 * one thread. From source (tests without the built CLI) the fit runs on this thread.
 */
async function fitScoreTask(
  input: { x: Points; seed: Seed; options: LearnerOptions; workers?: number },
  ctx: TaskContext,
): Promise<LearnedModelJSON> {
  const options: FitScoreOptions = {
    ...input.options,
    rng: createRng(input.seed),
    onProgress: (p: FitProgress) => ctx.progress(p),
  };
  const workers = fitWorkers(input.x.rows, input.workers);
  const workerFile = new URL("./score-fit-worker.js", import.meta.url);
  if (workers > 1 && import.meta.url.endsWith(".js") && existsSync(fileURLToPath(workerFile))) {
    return (await fitScoreParallel(input.x, options, { workers, workerFile })).toJSON();
  }
  return fitScore(input.x, options).toJSON();
}

/** EM with fixed k, or k chosen by BIC in 1..kMax. */
function fitEmTask(input: {
  x: Points;
  seed: Seed;
  noiseStd: number;
  k?: number;
  kMax: number;
  restarts?: number;
  tolerance?: number;
  maxIterations?: number;
}): EmResult {
  const base = {
    rng: createRng(input.seed),
    noiseStd: input.noiseStd,
    ...(input.restarts !== undefined && { restarts: input.restarts }),
    ...(input.tolerance !== undefined && { tolerance: input.tolerance }),
    ...(input.maxIterations !== undefined && { maxIterations: input.maxIterations }),
  };
  if (input.k !== undefined) return fitEm(input.x, { ...base, k: input.k });
  return fitEmBic(input.x, { ...base, kMax: input.kMax }).best;
}

/** One row of the per-level score error table. */
export interface LevelErrorRow {
  t: number;
  mse: number;
  relative: number;
  standardError: number;
}

/** Levels for the score-error table: the model's own learned levels (at most 8), else a fixed ladder. */
export function errorTimes(model: ScoreModel & { levels?: readonly { t: number }[] }): number[] {
  const ts = model.levels?.map((l) => l.t) ?? [0.05, 0.1, 0.3, 1, 3, 10, 30];
  if (ts.length <= 8) return [...ts].sort((a, b) => a - b);
  const out = new Set<number>();
  for (let i = 0; i < 8; i++) out.add(ts[Math.round((i * (ts.length - 1)) / 7)] as number);
  return [...out].sort((a, b) => a - b);
}

/** Metric rows as plain JSON (without the raw estimates). */
export type MetricsRowJson = Omit<MetricsRow, "estimate">;

/**
 * The metrics of `evaluate` and `demo`: each sample set against one reference (given, or `nRef` exact draws of the
 * spec from `rng.stream("reference")`), with the density metrics when a spec is given, and the per-level score error
 * of `model` against the spec's exact score.
 */
function metricsTask(input: {
  sampleSets: Points[];
  reference?: Points;
  spec?: unknown;
  nRef?: number;
  seed: Seed;
  model?: ModelSource;
  metrics?: SampleMetricName[];
}): { tables: MetricsRowJson[][]; referenceRows: number; scoreError?: { levels: LevelErrorRow[]; klBound: number } } {
  const rng = createRng(input.seed);
  const truth: Distribution | undefined = input.spec === undefined ? undefined : createDistribution(input.spec);
  const first = input.sampleSets[0] as Points;
  const reference =
    input.reference ?? (truth as Distribution).sample(input.nRef ?? first.rows, rng.stream("reference")).x;
  const tables = input.sampleSets.map((s) =>
    evaluateSamples(s, {
      reference,
      rng: rng.stream("metrics"),
      ...(truth && { distribution: truth }),
      ...(input.metrics && { metrics: input.metrics }),
    }).rows.map(({ estimate: _e, ...r }) => r),
  );
  if (!input.model || !truth) return { tables, referenceRows: reference.rows };
  const model = buildModel(input.model);
  const levels = scoreErrorByLevel(model, truth, {
    times: errorTimes(model as ScoreModel & { levels?: { t: number }[] }),
    rng: rng.stream("score-error"),
    n: 1000,
  });
  const kl = klBoundFromScoreErrors(
    levels.map((l) => ({ t: l.t, mse: l.mse })),
    { sigma0: truth.noiseStd },
  );
  return {
    tables,
    referenceRows: reference.rows,
    scoreError: {
      levels: levels.map((l) => ({ t: l.t, mse: l.mse, relative: l.relative, standardError: l.standardError })),
      klBound: kl.total,
    },
  };
}

/**
 * Draws `n` rows in chunks: exact draws of a spec (`generate`, EM models; row i uses `rng.stream(i)`) or a
 * reverse-diffusion sampler on a score model (sample i uses noise stream i). Either way the bytes do not depend on
 * the chunking, so the streamed output equals a draw of all n at once.
 */
async function drawTask(
  input: {
    source: { kind: "spec"; spec: unknown; latent?: boolean } | { kind: "sampler"; model: ModelSource };
    n: number;
    seed: Seed;
    /** Draw from `createRng(seed).stream(stream)` instead of `createRng(seed)` (the demo's named streams). */
    stream?: string;
    sampler?: SamplerName;
    steps?: number;
    /** A `schedules` kind, for the samplers that take a schedule (checked by the caller). */
    schedule?: ScheduleKind;
    simulateSubspace?: boolean;
    /**
     * Lane `lane` of `lanes` parallel draws (`runTask` with `workers`): this call draws only the chunks whose index
     * is `lane` mod `lanes`; the consumer interleaves the lanes back into row order (same bytes: row i uses stream i).
     */
    lane?: number;
    lanes?: number;
  },
  ctx: TaskContext,
): Promise<{ simulatedDim?: number; steps?: number }> {
  const lane = input.lane ?? 0;
  const lanes = input.lanes ?? 1;
  const rng = input.stream === undefined ? createRng(input.seed) : createRng(input.seed).stream(input.stream);
  const src = input.source;
  if (src.kind === "spec") {
    const dist = createDistribution(src.spec);
    for (let off = lane * DRAW_CHUNK; off < input.n; off += lanes * DRAW_CHUNK) {
      const m = Math.min(DRAW_CHUNK, input.n - off);
      const r = dist.sample(m, rng, { latent: !!src.latent, offset: off });
      const transfer = [r.x.data.buffer as ArrayBuffer, ...(r.labels ? [r.labels.buffer as ArrayBuffer] : [])];
      await ctx.chunk({ x: r.x, ...(r.labels && src.latent && { labels: r.labels }) }, transfer);
    }
    return {};
  }
  const model = buildModel(src.model);
  let simulatedDim: number | undefined;
  let steps: number | undefined;
  for (let off = lane * SAMPLE_CHUNK; off < input.n; off += lanes * SAMPLE_CHUNK) {
    const m = Math.min(SAMPLE_CHUNK, input.n - off);
    const r = diffusionSample(model, {
      n: m,
      rng,
      offset: off,
      ...(input.sampler !== undefined && { sampler: input.sampler }),
      ...(input.steps !== undefined && { steps: input.steps }),
      ...(input.schedule !== undefined && { schedule: schedules[input.schedule]() }),
      ...(input.simulateSubspace === false && { simulateSubspace: false }),
    });
    simulatedDim = r.simulatedDim;
    steps = r.grid.length - 1;
    await ctx.chunk({ x: r.samples }, [r.samples.data.buffer as ArrayBuffer]);
  }
  return {
    ...(simulatedDim !== undefined && { simulatedDim }),
    ...(steps !== undefined && { steps }),
  };
}

/** Rows per chunk of a learned model's log-density (the probability-flow ODE: a few hundred model evaluations per row). */
export const ODE_CHUNK = 1024;

/** The estimator of a model source: closed forms for specs and EM files, the probability-flow ODE for learned models. */
export function estimatorOf(src: ModelSource): FittedEstimator {
  return src.kind === "exact" ? fromDistribution(createDistribution(src.spec)) : fromScoreModel(buildModel(src));
}

/** How an estimator's log-density is computed, for summaries. */
export function densityMethod(est: FittedEstimator): string {
  return est.kind === "diffusion"
    ? `probability-flow ODE with the exact divergence (RK4, ${STEPS_PER_LOG_VARIANCE} steps per unit of ln σ²)`
    : "closed form";
}

/** Scores, posterior means or log-densities of `points` at time t, in chunks of rows. */
async function scoreTask(
  input: { model: ModelSource; points: Points; t: number; what: "score" | "posterior-mean" | "log-density" },
  ctx: TaskContext,
): Promise<{ method: string }> {
  const y = input.points;
  const dim = y.cols;
  const est = estimatorOf(input.model);
  const model = est.scoreModel;
  const chunk = input.what === "log-density" && est.kind === "diffusion" ? ODE_CHUNK : DRAW_CHUNK;
  for (let off = 0; off < y.rows; off += chunk) {
    const m = Math.min(chunk, y.rows - off);
    const part: Points = { data: y.data.subarray(off * dim, (off + m) * dim), rows: m, cols: dim };
    let x: Points;
    try {
      if (input.what === "log-density") x = { data: est.logDensity(part, input.t), rows: m, cols: 1 };
      else x = input.what === "score" ? est.score(part, input.t) : model.posteriorMean(part, input.t);
    } catch (e) {
      throw withRowOffset(e, off);
    }
    await ctx.chunk({ x }, [x.data.buffer as ArrayBuffer]);
  }
  return { method: input.what === "log-density" ? densityMethod(est) : "the model's own" };
}

/** Mean and standard error of `v`. */
function meanSe(v: Float64Array, what: string): { mean: number; standardError: number } {
  const { mean, standardError } = meanAndError(v, "evaluate", what);
  return { mean, standardError };
}

/**
 * The held-out log-likelihood of `evaluate --held-out`: the mean of `ln p̂(x)` over the points (closed form, or the
 * probability-flow ODE for a learned model), with its standard error; with a spec, the truth's too and the paired
 * gap `mean(ln p − ln p̂)`, an estimate of KL(truth ‖ model). Progress after each chunk of rows.
 */
function logLikelihoodTask(
  input: { model: ModelSource; points: Points; spec?: unknown },
  ctx: TaskContext,
): {
  method: string;
  mean: number;
  standardError: number;
  truth?: { mean: number; standardError: number };
  gap?: { mean: number; standardError: number };
} {
  const est = estimatorOf(input.model);
  const y = input.points;
  const lp = new Float64Array(y.rows);
  const chunk = est.kind === "diffusion" ? ODE_CHUNK : DRAW_CHUNK;
  for (let off = 0; off < y.rows; off += chunk) {
    const m = Math.min(chunk, y.rows - off);
    const part: Points = { data: y.data.subarray(off * y.cols, (off + m) * y.cols), rows: m, cols: y.cols };
    try {
      lp.set(est.logDensity(part), off);
    } catch (e) {
      throw withRowOffset(e, off);
    }
    ctx.progress({ done: off + m, n: y.rows });
  }
  const out = { method: densityMethod(est), ...meanSe(lp, "the model's log-density") };
  if (input.spec === undefined) return out;
  const truth = createDistribution(input.spec).logDensity(y);
  const gap = truth.map((v, i) => v - (lp[i] as number));
  return { ...out, truth: meanSe(truth, "the truth's log-density"), gap: meanSe(gap, "the log-likelihood gap") };
}

/** An error about row r of a chunk that starts at row `off`, restated for row `off + r` of the whole input. */
function withRowOffset(e: unknown, off: number): unknown {
  if (off === 0 || !(e instanceof MixdiffError) || e.location.row === undefined) return e;
  const row = e.location.row + off;
  return new MixdiffError(
    e.code,
    e.message.replace(/\brow \d+/, `row ${row}`),
    { ...e.location, row },
    { ...e.details },
  );
}

/** The task registry (one entry per computation; `runTask` looks tasks up by name). */
export const tasks = {
  fitScore: fitScoreTask,
  fitEm: fitEmTask,
  metrics: metricsTask,
  draw: drawTask,
  score: scoreTask,
  logLikelihood: logLikelihoodTask,
} as const;

export type TaskName = keyof typeof tasks;
export type TaskInput<K extends TaskName> = Parameters<(typeof tasks)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof tasks)[K]>>;
