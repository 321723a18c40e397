import { createRng, MixdiffError, type Rng } from "@mixdiff/core";
import { CORRECTION_OFF, createGateScratch, evaluateGates, GATE_CUTOFF, GATE_LOG, logOf } from "./gates.js";
import { gatedLayout, levelFeatures } from "./level-features.js";
import {
  accumulateShard,
  createLevelStatistics,
  createShardScratch,
  type LevelSpec,
  type LevelStatistics,
} from "./level-statistics.js";
import type { RefitInput } from "./refit-levels.js";
import type { TrialInput } from "./select-atoms.js";

/**
 * Points per shard: the unit of noise streams (`rng.stream(tag, level, shard)`) and of the folds.
 *
 * @example
 * ```ts
 * import { SHARD_ROWS, BLOCK_SHARDS } from "@mixdiff/score";
 * const rowsPerBlock = SHARD_ROWS * BLOCK_SHARDS; // 2 048
 * ```
 */
export const SHARD_ROWS = 256;
/**
 * Shards per block: the unit of work of a map (one block's partial sums are merged in block order).
 *
 * @example
 * ```ts
 * import { BLOCK_SHARDS } from "@mixdiff/score";
 * BLOCK_SHARDS; // 8
 * ```
 */
export const BLOCK_SHARDS = 8;
/**
 * Folds of the cross-validated choice; shard s belongs to fold s mod FOLDS.
 *
 * @example
 * ```ts
 * import { FOLDS } from "@mixdiff/score";
 * const fold = (shard: number) => shard % FOLDS;
 * ```
 */
export const FOLDS = 5;
/** A gate's box covers the standardised inputs of the rows where its weight is at least this. */
const BOX_WEIGHT = 0.01;

/**
 * A zeroed array for a fit's pools: backed by a `SharedArrayBuffer` where the runtime has one (Node, isolated
 * pages), so that `fitScoreParallel` hands the same memory to every worker thread instead of a copy each; a plain
 * array elsewhere. The values, and so the model's bytes, are the same either way.
 *
 * @example
 * ```ts
 * import { poolArray } from "@mixdiff/score";
 * const z = poolArray(20_000 * 2); // [rows, m] projected points
 * ```
 */
export function poolArray(length: number): Float64Array {
  if (typeof SharedArrayBuffer === "function") {
    try {
      return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
    } catch {
      // not allowed here (or too large for a shared buffer): a plain array
    }
  }
  return new Float64Array(length);
}

/**
 * Clean projected points `[rows, m]`.
 *
 * @example
 * ```ts
 * import type { Pool } from "@mixdiff/score";
 * const pool: Pool = { x: new Float64Array([0, 1, 2, 3]), rows: 2 };
 * ```
 */
export interface Pool {
  readonly x: Float64Array;
  readonly rows: number;
}

/**
 * The data a fit's maps read: the regression and held-out pools and all points (projected).
 *
 * @example
 * ```ts
 * import type { FitData, FitStep } from "@mixdiff/score";
 * const dataOf = (step: FitStep): FitData | undefined => (step.task === "init" ? step.data : undefined);
 * ```
 */
export interface FitData {
  readonly m: number;
  readonly pools: Readonly<Record<PoolName, Pool>>;
}

/**
 * The pools of a fit: regression rows, held-out rows (cross-validation and error estimates), all rows (EM).
 *
 * @example
 * ```ts
 * import type { PoolName } from "@mixdiff/score";
 * const p: PoolName = "all";
 * ```
 */
export type PoolName = "reg" | "held" | "all";

/**
 * Number of blocks a pool of `rows` points has.
 *
 * @example
 * ```ts
 * import { blockCount } from "@mixdiff/score";
 * blockCount(20_000); // 10 (blocks of 8 shards of 256 rows)
 * ```
 */
export function blockCount(rows: number): number {
  return Math.ceil(Math.ceil(rows / SHARD_ROWS) / BLOCK_SHARDS);
}

/**
 * EM sums of one block: `s0[k] = Σ π_k`, `s1[k] = Σ π_k·y`, `ll = Σ ln Σ_k w_k N(y; c_k, σ²I)` (+ const).
 *
 * @example
 * ```ts
 * import type { EmSums } from "@mixdiff/score";
 * const total = (parts: EmSums[]) => parts.reduce((a, p) => a + p.ll, 0);
 * ```
 */
export interface EmSums {
  s0: Float64Array;
  s1: Float64Array;
  ll: number;
}

/**
 * Gate boxes of one block: per gate the box of standardised inputs and the count of (row, gate) corrections.
 *
 * @example
 * ```ts
 * import type { BoxSums } from "@mixdiff/score";
 * const corrections = (parts: BoxSums[]) => parts.reduce((a, p) => a + p.active, 0);
 * ```
 */
export interface BoxSums {
  lower: Float64Array;
  upper: Float64Array;
  active: number;
}

/**
 * One map of a fit, over the blocks of a pool. Every field is plain data (typed arrays, numbers, strings), so a
 * worker thread can run it: the regression's statistics, EM's sums and the gates' boxes are sums (or minima and
 * maxima) over blocks, merged in block order by the caller — the same bytes for any number of workers.
 *
 * @example
 * ```ts
 * import type { FitStep } from "@mixdiff/score";
 * const describe = (s: FitStep) => ("blocks" in s ? `${s.task}: ${s.blocks} blocks` : s.task);
 * ```
 */
export type FitStep =
  | { readonly task: "init"; readonly data: FitData }
  | { readonly task: "window"; readonly reg: Window; readonly held: Window }
  | { readonly task: "em"; readonly pool: PoolName; readonly input: EmInput; readonly blocks: number }
  | { readonly task: "box"; readonly pool: PoolName; readonly input: EmInput; readonly blocks: number }
  | { readonly task: "accumulate"; readonly input: AccumulateInput; readonly blocks: number }
  | { readonly task: "refit"; readonly input: RefitInput; readonly blocks: number }
  | { readonly task: "trials"; readonly input: TrialInput; readonly blocks: number };

/**
 * `rows` points of a base pool from `start`, wrapping around (a level's share of a large pool).
 *
 * @example
 * ```ts
 * import type { Window } from "@mixdiff/score";
 * const w: Window = { start: 30_000, rows: 30_000 };
 * ```
 */
export interface Window {
  readonly start: number;
  readonly rows: number;
}

/**
 * A level's window of a pool of `poolRows` points: `rows` from `(level·rows) mod poolRows`, or all of it (internal).
 */
export function windowAt(poolRows: number, level: number, rows: number): Window {
  return poolRows <= rows ? { start: 0, rows: poolRows } : { start: (level * rows) % poolRows, rows };
}

/**
 * The window of `base` (all of it when the window covers it from 0).
 *
 * @example
 * ```ts
 * import { windowOf } from "@mixdiff/score";
 * windowOf({ x: new Float64Array([1, 2, 3]), rows: 3 }, 1, { start: 2, rows: 2 }).x; // [3, 1]
 * ```
 */
export function windowOf(base: Pool, m: number, w: Window): Pool {
  if (w.start === 0 && w.rows === base.rows) return base;
  // A window that does not wrap is a view of the pool (no copy).
  if (w.start + w.rows <= base.rows) return { x: base.x.subarray(w.start * m, (w.start + w.rows) * m), rows: w.rows };
  const x = new Float64Array(w.rows * m);
  for (let i = 0; i < w.rows; i++) {
    const r = (w.start + i) % base.rows;
    x.set(base.x.subarray(r * m, r * m + m), i * m);
  }
  return { x, rows: w.rows };
}

/**
 * Gates of a level and how its rows are noised (`y = x + √t·ξ`, ξ from `rng.stream(shard)`).
 *
 * @example
 * ```ts
 * import type { EmInput } from "@mixdiff/score";
 * const atZero = (i: EmInput) => i.t === 0;
 * ```
 */
export interface EmInput {
  readonly m: number;
  readonly t: number;
  readonly sigma0: number;
  readonly centers: Float64Array;
  readonly mass: Float64Array;
  /** Key of the noise stream (`Rng.key`); ignored at t = 0. */
  readonly rngKey: string;
}

/**
 * A level's regression map: its spec, its layout's sizes and its noise.
 *
 * @example
 * ```ts
 * import type { AccumulateInput } from "@mixdiff/score";
 * const cells = (i: AccumulateInput) => i.K;
 * ```
 */
export interface AccumulateInput {
  readonly spec: LevelSpec;
  readonly m: number;
  readonly K: number;
  readonly degree: number;
  readonly draws: number;
  readonly level: number;
  /** Key of the fit's Rng: shard i of pool `reg` draws from `stream("noise", level, i)`, of `held` from `"held"`. */
  readonly rngKey: string;
  /** Block of the shard sequence that the map's block 0 is (a level adds rows in rounds; default 0). */
  readonly firstBlock?: number;
}

/**
 * The generator a key names (`createRng(seed).stream(k1, …)` has key `seed/k1/…`).
 *
 * @example
 * ```ts
 * import { rngFromKey } from "@mixdiff/score";
 * const r = rngFromKey("7/noise/3"); // createRng("7").stream("noise", "3")
 * ```
 */
export function rngFromKey(key: string): Rng {
  const [seed, ...rest] = key.split("/");
  const base = createRng(seed as string);
  return rest.length > 0 ? base.stream(...rest) : base;
}

/**
 * Block b of one of the data maps (EM sums, gate boxes, regression statistics) on `data` (internal: `runBlock`
 * dispatches every map, the refit's too).
 */
export function mapBlock(
  data: FitData,
  step: Extract<FitStep, { task: "em" | "box" | "accumulate" }>,
  b: number,
): unknown {
  if (step.task === "accumulate") return accumulateBlock(data, step.input, b);
  const pool = data.pools[step.pool];
  return step.task === "em" ? emBlock(pool, step.input, b) : boxBlock(pool, step.input, b);
}

/** Shards `[first, last)` of block b of a pool with `rows` points. */
function shardsOf(rows: number, b: number): [number, number] {
  const total = Math.ceil(rows / SHARD_ROWS);
  return [b * BLOCK_SHARDS, Math.min(total, (b + 1) * BLOCK_SHARDS)];
}

/** The noisy copy of shard `s` of a pool into `y` (`[rows, m]`); returns its number of rows. */
function noisyShard(pool: Pool, e: EmInput, rng: Rng | undefined, s: number, y: Float64Array): number {
  const m = e.m;
  const b0 = s * SHARD_ROWS;
  const bn = Math.min(SHARD_ROWS, pool.rows - b0);
  const sqt = Math.sqrt(e.t);
  if (e.t > 0) (rng as Rng).stream(s).fillNormal(y, 0, bn * m);
  for (let q = 0; q < bn * m; q++) y[q] = pool.x[b0 * m + q]! + (e.t > 0 ? sqt * y[q]! : 0);
  return bn;
}

function emBlock(pool: Pool, e: EmInput, b: number): EmSums {
  const { m, centers } = e;
  const K = e.mass.length;
  const logMass = logOf(e.mass);
  const inv2s2 = 0.5 / (e.sigma0 * e.sigma0 + e.t);
  const rng = e.t > 0 ? rngFromKey(e.rngKey) : undefined;
  const y = new Float64Array(SHARD_ROWS * m);
  const g = createGateScratch(m, K);
  const out: EmSums = { s0: new Float64Array(K), s1: new Float64Array(K * m), ll: 0 };
  const [first, last] = shardsOf(pool.rows, b);
  for (let s = first; s < last; s++) {
    const bn = noisyShard(pool, e, rng, s, y);
    for (let i = 0; i < bn; i++) {
      evaluateGates(y, i * m, centers, logMass, K, m, inv2s2, g, GATE_CUTOFF, GATE_LOG);
      out.ll += g.logNormaliser;
      for (let j = 0; j < g.count; j++) {
        const k = g.active[j]!;
        const p = g.pi[j]!;
        out.s0[k] = out.s0[k]! + p;
        for (let c = 0; c < m; c++) out.s1[k * m + c] = out.s1[k * m + c]! + p * y[i * m + c]!;
      }
    }
  }
  return out;
}

function boxBlock(pool: Pool, e: EmInput, b: number): BoxSums {
  const { m, centers } = e;
  const K = e.mass.length;
  const logMass = logOf(e.mass);
  const sigma2 = e.sigma0 * e.sigma0 + e.t;
  const inv = 1 / Math.sqrt(sigma2);
  const rng = e.t > 0 ? rngFromKey(e.rngKey) : undefined;
  const y = new Float64Array(SHARD_ROWS * m);
  const g = createGateScratch(m, K);
  const out: BoxSums = {
    lower: new Float64Array(K * m).fill(Infinity),
    upper: new Float64Array(K * m).fill(-Infinity),
    active: 0,
  };
  const [first, last] = shardsOf(pool.rows, b);
  for (let s = first; s < last; s++) {
    const bn = noisyShard(pool, e, rng, s, y);
    for (let i = 0; i < bn; i++) {
      evaluateGates(y, i * m, centers, logMass, K, m, 0.5 / sigma2, g, GATE_CUTOFF, 0);
      for (let j = 0; j < g.count; j++) {
        const p = g.pi[j]!;
        if (p > CORRECTION_OFF) out.active++;
        if (p < BOX_WEIGHT) continue;
        const k = g.active[j]!;
        for (let c = 0; c < m; c++) {
          const v = (y[i * m + c]! - centers[k * m + c]!) * inv;
          if (v < out.lower[k * m + c]!) out.lower[k * m + c] = v;
          if (v > out.upper[k * m + c]!) out.upper[k * m + c] = v;
        }
      }
    }
  }
  return out;
}

/**
 * The regression statistics of block b of the shard sequence (regression pool, then held-out pool): one partial
 * sum per fold (shard s → fold s mod FOLDS; undefined where the block has no shard of that fold), in gate-major
 * order, unfinished (see `finishStatistics`).
 */
function accumulateBlock(data: FitData, a: AccumulateInput, b: number): (LevelStatistics | undefined)[] {
  const { m, K, degree } = a;
  const feats = levelFeatures(m, degree);
  const raised = levelFeatures(m, degree + 1);
  const layout = gatedLayout(K, feats, raised);
  const P = layout.sizeByDegree[degree]!;
  const rng = rngFromKey(a.rngKey);
  const reg = data.pools.reg;
  const held = data.pools.held;
  const regShards = Math.ceil(reg.rows / SHARD_ROWS);
  const total = regShards + Math.ceil(held.rows / SHARD_ROWS);
  const out: (LevelStatistics | undefined)[] = new Array(FOLDS).fill(undefined);
  const scratch = createShardScratch(m, raised, K, feats.size);
  const block = b + (a.firstBlock ?? 0);
  for (let s = block * BLOCK_SHARDS; s < Math.min(total, (block + 1) * BLOCK_SHARDS); s++) {
    const inReg = s < regShards;
    const pool = inReg ? reg : held;
    const i = inReg ? s : s - regShards;
    const b0 = i * SHARD_ROWS;
    const bn = Math.min(SHARD_ROWS, pool.rows - b0);
    const x = pool.x.subarray(b0 * m, (b0 + bn) * m);
    const f = s % FOLDS;
    out[f] ??= createLevelStatistics(P, m);
    accumulateShard(
      a.spec,
      layout,
      feats,
      raised,
      x,
      bn,
      a.draws,
      rng.stream(inReg ? "noise" : "held", a.level, i),
      out[f]!,
      scratch,
    );
  }
  return out;
}

/**
 * Number of blocks of the regression map (the shard sequence of both pools).
 *
 * @example
 * ```ts
 * import { accumulateBlocks, fitScoreSteps } from "@mixdiff/score";
 * const first = fitScoreSteps(samples, { rng }).next().value; // the "init" step carries the fit's data
 * if ("task" in first && first.task === "init") accumulateBlocks(first.data); // blocks of the regression map
 * ```
 */
export function accumulateBlocks(data: FitData): number {
  const shards = Math.ceil(data.pools.reg.rows / SHARD_ROWS) + Math.ceil(data.pools.held.rows / SHARD_ROWS);
  return Math.ceil(shards / BLOCK_SHARDS);
}

/**
 * Generator of a fit's steps: yields maps, receives their per-block results in block order.
 *
 * @example
 * ```ts
 * import { fitScoreSteps, type LearnedScoreModel, type Steps } from "@mixdiff/score";
 * const steps: Steps<LearnedScoreModel> = fitScoreSteps(samples, { rng });
 * ```
 */
export type Steps<T> = Generator<FitStep, T, unknown[]>;

/**
 * The data a map runs on after a step: `init` sets the base pools, `window` a level's share of them. Every runner
 * (this thread, worker threads, another machine) applies this rule before running blocks.
 *
 * @example
 * ```ts
 * import { applyDataStep, type FitData, fitScoreSteps } from "@mixdiff/score";
 * const state: { base?: FitData; data?: FitData } = {};
 * const step = fitScoreSteps(samples, { rng }).next().value;
 * if ("task" in step && (step.task === "init" || step.task === "window")) applyDataStep(state, step);
 * ```
 */
export function applyDataStep(
  state: { base?: FitData; data?: FitData },
  step: Extract<FitStep, { task: "init" | "window" }>,
): void {
  if (step.task === "init") {
    state.base = step.data;
    state.data = step.data;
    return;
  }
  const base = state.base;
  if (!base) throw new MixdiffError("NUMERICAL_FAILURE", "fitScore: a window step came before the data");
  const m = base.m;
  state.data = {
    m,
    pools: {
      reg: windowOf(base.pools.reg, m, step.reg),
      held: windowOf(base.pools.held, m, step.held),
      all: base.pools.all,
    },
  };
}
