import {
  checkAllocation,
  checkNumber,
  createPoints,
  createStreamBank,
  MixdiffError,
  type Points,
  type Rng,
} from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";

/**
 * The state of a sampling run between two steps (diffusers' `sample`, k-diffusion's `x`): a batch of rows in VE
 * coordinates at VE time `grid[k]`, the rows' own noise streams and the scratch the steps use. It belongs to the
 * loop that created it with {@link Stepper.init}; {@link Stepper.step} updates `y` in place and advances `k`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { createStepper } from "@mixdiff/diffusion";
 * const stepper = createStepper(model, { sampler: "ddpm", steps: 100 });
 * const state = stepper.init({ n: 500, rng: createRng(1) });
 * state.k; // 0: at VE time stepper.grid[0] = T
 * state.y.rows; // 500
 * ```
 */
export interface SamplerState {
  /** The score model the steps evaluate (VE time). */
  readonly model: ScoreModel;
  /** Number of rows. */
  readonly rows: number;
  /** Number of coordinates of a row. */
  readonly dim: number;
  /** σ0² of the model. */
  readonly sigma0Sq: number;
  /** Index of the first row: row r draws all its noise from `rng.stream(offset + r)`. */
  readonly offset: number;
  /** The current states, shape `[rows, dim]`; a step updates them in place. */
  readonly y: Points;
  /** Steps taken: the state is at VE time `grid[k]` (`k = steps` once the run is finished). */
  k: number;
  /** Scratch for score values, shape `[rows, dim]`. */
  readonly scoreBuf: Points;
  /** Extra scratch batches of shape `[rows, dim]` (as many as the step rule asked for). */
  readonly work: readonly Points[];
  /**
   * Draws the next `dim` standard normals of every row from that row's own stream into a scratch array (shape
   * `[rows, dim]`, row-major) and returns it; the array is overwritten by the next call.
   */
  noise(): Float64Array;
  /** The rows' noise streams (row r: `rng.stream(offset + r)`), e.g. for draws of a custom step. */
  readonly streams: readonly Rng[];
}

/**
 * One sampler's update rule: `step` moves `state.y` in place from VE time `tCur` to `tNext < tCur` (step index k),
 * drawing its noise with `state.noise()` (so sample i's bytes depend only on its own stream). The driver (or a
 * {@link Stepper}) checks after each step that the state stayed finite. Helpers for the usual lead-in and update:
 * `noiseAndScore`, `scoreAt`, `affineUpdate`; a corrector wraps a kernel (`withLangevinCorrector`).
 *
 * @example
 * ```ts
 * import { affineUpdate, noiseAndScore, type SamplerKernel } from "@mixdiff/diffusion";
 * // DDPM's ancestral step in VE time: y ← y + (t − t')·s(y) + √(t'(t − t')/t)·ξ
 * const ddpmKernel: SamplerKernel = {
 *   scratch: 0,
 *   step(state, _k, tCur, tNext) {
 *     const { y, s, z } = noiseAndScore(state, tCur);
 *     affineUpdate(y, tCur - tNext, s, Math.sqrt((tNext * (tCur - tNext)) / tCur), z);
 *   },
 * };
 * ```
 */
export interface SamplerKernel {
  /** Number of scratch batches `state.work` needs. */
  readonly scratch: number;
  /** Called once with the VE grid, before any step (e.g. to map it to schedule time). */
  prepare?(grid: Float64Array): void;
  /** One step from VE time `tCur = grid[k]` to `tNext = grid[k + 1]`, updating `state.y` in place. */
  step(state: SamplerState, k: number, tCur: number, tNext: number): void;
}

/**
 * A sampler bound to a model and a time grid (diffusers' scheduler after `set_timesteps`): `init` draws the start
 * of a run, `step` takes one step of the sampler's update rule (its kernel, corrector steps included). The stepper holds no
 * run state, so several states can be stepped with one stepper; every state is the caller's.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { createStepper } from "@mixdiff/diffusion";
 * const stepper = createStepper(model, { steps: 200 }); // the paper's exponential integrator
 * const state = stepper.init({ n: 1000, rng: createRng(1) });
 * while (state.k < stepper.steps) stepper.step(state);
 * state.y; // 1000 samples, equal byte for byte to sample(model, { n: 1000, rng: createRng(1), steps: 200 }).samples
 * ```
 */
export interface Stepper {
  /** The registered sampler whose rule `step` applies. */
  readonly sampler: string;
  /** The model (VE time). */
  readonly model: ScoreModel;
  /** The VE time grid, descending from T to tMin, length `steps + 1` (diffusers' `timesteps`). */
  readonly grid: Float64Array;
  /** Number of steps, `grid.length − 1`. */
  readonly steps: number;
  /**
   * Starts a run of `n` rows at T: `y ~ N(mean, (T + σ0²) I)`, row r drawn from `rng.stream(offset + r)` (the same
   * draws as `sample`, so a stepped run equals the whole-run sampler byte for byte).
   *
   * @throws MixdiffError `INVALID_OPTION` for a bad `n`, `rng` or `offset`; `RESOURCE_LIMIT` above 2 GiB.
   */
  init(options: { n: number; rng: Rng; offset?: number }): SamplerState;
  /**
   * One step from `grid[state.k]` to `grid[state.k + 1]`, then the corrector steps; advances `state.k`.
   *
   * @throws MixdiffError `INVALID_INPUT` for a state of another stepper or a finished run; `NUMERICAL_FAILURE`
   *   naming the sample when a state becomes non-finite.
   */
  step(state: SamplerState): SamplerState;
}

/**
 * Binds a sampler kernel, already prepared for `grid`, to a model and that validated grid (internal: shared by
 * {@link createStepper} and the whole-run samplers, which therefore step through exactly this code). `fn` names the
 * sampler in errors.
 */
export function bindStepper(fn: string, model: ScoreModel, grid: Float64Array, kernel: SamplerKernel): Stepper {
  const steps = grid.length - 1;
  const dim = model.dim;
  const sigma0Sq = model.sigma0 * model.sigma0;
  const mean = model.mean;
  const owned = new WeakSet<SamplerState>();
  const init = (options: { n: number; rng: Rng; offset?: number }): SamplerState => {
    const rows = checkNumber(options?.n, fn, "n", { min: 1, integer: true });
    const rng = options.rng as Rng | undefined;
    if (!rng || typeof rng.stream !== "function") {
      throw new MixdiffError("INVALID_OPTION", `${fn}: rng must be an Rng (createRng(seed))`, { path: "rng" });
    }
    const offset = checkNumber(options.offset ?? 0, fn, "offset", { min: 0, integer: true });
    checkAllocation(fn, `n × dim = ${rows} × ${dim} values`, rows * dim, { path: "n", hint: "step smaller batches" });
    // Row r's stream is rng.stream(offset + r); the bank steps them all in one loop per draw.
    const bank = createStreamBank(rng, offset, rows);
    const streams = bank.streams;
    const noiseBuf = new Float64Array(rows * dim);
    const noise = () => {
      bank.fillRows(noiseBuf, dim);
      return noiseBuf;
    };
    const y = createPoints(rows, dim);
    const state: SamplerState = {
      model,
      rows,
      dim,
      sigma0Sq,
      offset,
      y,
      k: 0,
      scoreBuf: createPoints(rows, dim),
      work: Array.from({ length: kernel.scratch }, () => createPoints(rows, dim)),
      noise,
      streams,
    };
    // Start from N(mean, (T + σ0²) I).
    const sd0 = Math.sqrt(grid[0]! + sigma0Sq);
    const z0 = noise();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < dim; c++) y.data[r * dim + c] = mean[c]! + sd0 * z0[r * dim + c]!;
    }
    owned.add(state);
    return state;
  };
  const step = (state: SamplerState): SamplerState => {
    if (!owned.has(state)) {
      throw new MixdiffError("INVALID_INPUT", `${fn}: state was not created by this stepper's init`, {
        path: "state",
      });
    }
    const k = state.k;
    if (!(Number.isInteger(k) && k >= 0 && k < steps)) {
      throw new MixdiffError(
        "INVALID_INPUT",
        `${fn}: state.k = ${k}; a step needs 0 ≤ k < steps = ${steps} (the run is finished at k = steps)`,
        { path: "state.k" },
      );
    }
    const tNext = grid[k + 1]!;
    kernel.step(state, k, grid[k]!, tNext);
    assertFiniteState(fn, state.y, k, tNext, state.offset);
    state.k = k + 1;
    return state;
  };
  return Object.freeze({ sampler: fn, model, grid, steps, init, step });
}

/** Throws `NUMERICAL_FAILURE` naming the sample, the step and the VE time at the first non-finite entry of `y`. */
export function assertFiniteState(fn: string, y: Points, k: number, t: number, firstSample: number): void {
  const d = y.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      const row = Math.floor(i / y.cols);
      throw new MixdiffError(
        "NUMERICAL_FAILURE",
        `${fn}: sample ${firstSample + row} became ${d[i]} at step ${k + 1} (VE time ${t}); check the score model and the grid`,
        { row: firstSample + row, column: i % y.cols },
        { step: k + 1, t },
      );
    }
  }
}
