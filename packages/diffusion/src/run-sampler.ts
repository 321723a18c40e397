import { checkNumber, createPoints, MixdiffError, type Points, type Rng } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import { assertFiniteState, bindStepper, type SamplerRule } from "./bind-stepper.js";
import { defaultGrid } from "./default-steps.js";
import { defaultTMax } from "./default-t-max.js";
import type { SampleOptions, SampleResult } from "./sample-options.js";
import { reduceToSubspace, simulatedDim } from "./subspace-model.js";

const DEFAULT_CHUNK = 4096;

/** Validates a user grid: finite, strictly decreasing, ≥ 0, at least 2 points (internal helper). */
function checkGrid(fn: string, grid: unknown, model: ScoreModel): Float64Array {
  if (!(grid instanceof Float64Array) || grid.length < 2) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: grid must be a Float64Array of at least 2 VE times`, {
      path: "grid",
    });
  }
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i] as number;
    if (!Number.isFinite(v) || v < 0 || (i > 0 && !(v < (grid[i - 1] as number)))) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: grid must be finite, ≥ 0 and strictly decreasing; entry ${i} is ${v}${i > 0 ? ` after ${grid[i - 1]}` : ""}`,
        { path: `grid[${i}]` },
      );
    }
  }
  if ((grid[0] as number) > model.tMax * (1 + 1e-12)) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: grid starts at ${grid[0]}, above the model's tMax = ${model.tMax}`,
      { path: "grid[0]" },
    );
  }
  return grid;
}

/**
 * Resolves the VE grid from the options (internal helper, shared with the node pool). The default step count
 * follows the number of *simulated* coordinates: m when the model declares a subspace that the sampler uses
 * (`simulateSubspace` not `false`), since the n − m complement coordinates are drawn exactly.
 */
export function resolveGrid(fn: string, model: ScoreModel, options: Omit<SampleOptions, "rng" | "n">): Float64Array {
  if (options.grid !== undefined) {
    for (const k of ["steps", "tMax", "tMin"] as const) {
      if (options[k] !== undefined) {
        throw new MixdiffError("INVALID_OPTION", `${fn}: grid conflicts with ${k}; give one or the other`, {
          path: k,
        });
      }
    }
    return checkGrid(fn, options.grid, model);
  }
  const s0 = model.sigma0 * model.sigma0;
  const tMin = checkNumber(options.tMin ?? 1e-3 * s0, fn, "tMin", { min: 0, exclusiveMin: true });
  const tMax = checkNumber(options.tMax ?? defaultTMax(model), fn, "tMax", { min: tMin, exclusiveMin: true });
  if (tMax > model.tMax * (1 + 1e-12)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: tMax = ${tMax} is above the model's tMax = ${model.tMax}`, {
      path: "tMax",
    });
  }
  const steps =
    options.steps === undefined ? undefined : checkNumber(options.steps, fn, "steps", { min: 1, integer: true });
  const dim = steps === undefined ? simulatedDim(fn, model, options.simulateSubspace) : model.dim;
  return defaultGrid({ dim, tMax, tMin, steps, sigma0: model.sigma0 });
}

/** Validates the parts of a model every sampler reads (internal helper). */
export function checkModel(fn: string, model: ScoreModel): void {
  if (typeof model !== "object" || model === null || typeof model.score !== "function") {
    throw new MixdiffError("INVALID_INPUT", `${fn}: model must be a ScoreModel`);
  }
  checkNumber(model.dim, fn, "model.dim", { min: 1, integer: true });
  checkNumber(model.sigma0, fn, "model.sigma0", { min: 0, exclusiveMin: true });
  if (!(model.mean instanceof Float64Array) || model.mean.length !== model.dim) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `${fn}: model.mean must be a Float64Array of length dim = ${model.dim}`,
    );
  }
}

/**
 * The corrector of a run (internal helper): `options.corrector` validated (steps 0…100, snr > 0, default 0.16), else
 * the sampler's own default, else none.
 */
export function resolveCorrector(
  fn: string,
  given: { steps: number; snr?: number } | undefined,
  fallback: { steps: number; snr: number } | undefined,
): { steps: number; snr: number } {
  if (given === undefined) return fallback ?? { steps: 0, snr: 0.16 };
  const steps = checkNumber(given?.steps, fn, "corrector.steps", { min: 0, integer: true, max: 100 });
  const snr = checkNumber(given.snr ?? 0.16, fn, "corrector.snr", { min: 0, exclusiveMin: true });
  return { steps, snr };
}

/** Refuses a `schedule` option that is not a NoiseSchedule (internal helper). */
export function checkSchedule(fn: string, schedule: unknown): void {
  const sch = schedule as { sigmaInv?: unknown; scale?: unknown } | undefined;
  if (
    sch !== undefined &&
    (typeof sch !== "object" || sch === null || typeof sch.sigmaInv !== "function" || typeof sch.scale !== "function")
  ) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: schedule must be a NoiseSchedule (e.g. vpSchedule())`, {
      path: "schedule",
    });
  }
}

/**
 * Runs a sampler kernel over `n` samples in chunks (internal driver shared by every sampler): validates
 * the options, builds the grid, draws `y ~ N(mean, (T + σ0²) I)` and all step noise from per-sample streams
 * `rng.stream(offset + i)`, applies corrector steps, records trajectories, reports progress and checks
 * that every step stays finite.
 */
export function runSampler(fn: string, model: ScoreModel, options: SampleOptions, rule: SamplerRule): SampleResult {
  checkModel(fn, model);
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options are required ({ n, rng, ... })`);
  }
  const n = checkNumber(options.n, fn, "n", { min: 1, integer: true });
  const rng = options.rng as Rng | undefined;
  if (!rng || typeof rng.stream !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: rng must be an Rng (createRng(seed))`, { path: "rng" });
  }
  const chunkSize = checkNumber(options.chunkSize ?? DEFAULT_CHUNK, fn, "chunkSize", { min: 1, integer: true });
  const offset = checkNumber(options.offset ?? 0, fn, "offset", { min: 0, integer: true });
  const every =
    options.trajectoryEvery === undefined
      ? 0
      : checkNumber(options.trajectoryEvery, fn, "trajectoryEvery", { min: 1, integer: true });
  const corrector = resolveCorrector(fn, options.corrector, rule.corrector);
  checkSchedule(fn, options.schedule);
  const dim = model.dim;
  const dataBytes = 8 * n * dim;
  if (!Number.isSafeInteger(n * dim) || dataBytes > 2 ** 31) {
    throw new MixdiffError(
      "RESOURCE_LIMIT",
      `${fn}: n × dim = ${n} × ${dim} samples need ${(dataBytes / 1e9).toFixed(2)} GB, above the 2 GB limit of one output array; sample in parts with \`offset\``,
      { path: "n" },
    );
  }
  const grid = resolveGrid(fn, model, options);
  const steps = grid.length - 1;
  const recorded: number[] = [];
  if (every) {
    for (let k = 0; k <= steps; k += every) recorded.push(k);
    if (recorded[recorded.length - 1] !== steps) recorded.push(steps);
    if (8 * n * dim * recorded.length > 2 ** 31) {
      throw new MixdiffError(
        "RESOURCE_LIMIT",
        `${fn}: a trajectory of ${recorded.length} snapshots of ${n} × ${dim} needs more than 2 GB; raise trajectoryEvery`,
        { path: "trajectoryEvery" },
      );
    }
  }
  const kernel = rule.kernel(options);
  kernel.prepare?.(grid);
  // PAPER.md R8: with a declared subspace, simulate its m coordinates only; the complement is drawn exactly.
  const reduction = options.simulateSubspace === false ? undefined : reduceToSubspace(fn, model);
  const sim = reduction?.reduced ?? model;
  const sdim = sim.dim;
  // Every registered sampler steps through the stepper of the public step API (createStepper), on the simulated model.
  const stepper = bindStepper(fn, sim, grid, kernel, corrector);

  const samples = createPoints(n, dim);
  const trajPoints = recorded.map(() => createPoints(n, dim));
  const rows = Math.min(chunkSize, n);
  const full = reduction ? createPoints(rows, dim) : undefined;
  const complement = reduction ? new Float64Array(rows * dim) : undefined;
  const trajReduced = reduction ? recorded.map(() => new Float64Array(rows * sdim)) : [];
  const tMin = grid[steps] as number;

  for (let start = 0; start < n; start += rows) {
    const m = Math.min(rows, n - start);
    const state = stepper.init({ n: m, rng, offset: offset + start });
    const yc = state.y;
    let rec = 0;
    const record = (k: number) => {
      if (rec < recorded.length && recorded[rec] === k) {
        if (reduction) (trajReduced[rec] as Float64Array).set(yc.data);
        else (trajPoints[rec] as Points).data.set(yc.data, start * dim);
        rec++;
      }
    };
    record(0);
    for (let k = 0; k < steps; k++) {
      if (options.signal?.aborted) {
        throw new MixdiffError(
          "INTERRUPTED",
          `${fn}: aborted at step ${k} of ${steps} (${start} of ${n} samples done)`,
        );
      }
      stepper.step(state);
      record(k + 1);
      options.onProgress?.({ step: k + 1, steps, done: start, n });
    }
    let out = yc;
    if (reduction && complement && full) {
      out = m === rows ? full : { data: full.data.subarray(0, m * dim), rows: m, cols: dim };
      // The complement of Y_tMin is X⊥ + W⊥_tMin: P⊥(σ0 ξ) + P⊥(√tMin ξ'), two draws so that the samples do not
      // depend on whether a trajectory is recorded. Along a recorded trajectory the complement follows the
      // forward Brownian path backwards, W_t = W_t' + √(t − t')·P⊥ξ (the reverse process has the same path law).
      const streams = state.streams;
      reduction.complementNoise(streams, m, model.sigma0, complement, false);
      reduction.complementNoise(streams, m, Math.sqrt(tMin), complement, true);
      reduction.lift(yc.data, m, out.data, complement);
      for (let j = recorded.length - 1; j >= 0; j--) {
        if (j < recorded.length - 1) {
          const h = (grid[recorded[j] as number] as number) - (grid[recorded[j + 1] as number] as number);
          reduction.complementNoise(streams, m, Math.sqrt(h), complement, true);
        }
        const tp = (trajPoints[j] as Points).data.subarray(start * dim, (start + m) * dim);
        reduction.lift(trajReduced[j] as Float64Array, m, tp, complement);
      }
    }
    if (options.denoiseFinal) {
      // Tweedie: E[X | Y_t = y] = y + t·∇ln p_t(y).
      const s = model.score(out, tMin).data;
      for (let i = 0; i < m * dim; i++) out.data[i] = (out.data[i] as number) + tMin * (s[i] as number);
      assertFiniteState(fn, out, steps, tMin, offset + start);
    }
    samples.data.set(out.data, start * dim);
  }
  const result: SampleResult = { samples, grid, simulatedDim: sdim };
  if (every) {
    result.trajectory = { steps: recorded, times: recorded.map((k) => grid[k] as number), points: trajPoints };
  }
  return result;
}
