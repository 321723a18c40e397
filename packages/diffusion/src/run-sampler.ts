import { checkNumber, createPoints, MixdiffError, type Points, type Rng } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import { assertFiniteState, bindStepper, type SamplerKernel } from "./bind-stepper.js";
import { checkModel, checkOptionKeys, optionUsersOf, resolveGrid } from "./resolve-options.js";
import type { SampleOptions, SampleResult } from "./sample-options.js";
import { reduceToSubspace } from "./subspace-model.js";
import { tweedieDenoise } from "./tweedie-denoise.js";

const DEFAULT_CHUNK = 4096;

/**
 * The driver shared by every sampler (internal; `defineSampler` builds samplers on it): validates the common
 * options and refuses any key not in `allowed`, builds the grid, makes the kernel of the run (`makeKernel`, which
 * validates the sampler's own options), and runs it over `n` samples in chunks through the stepper of the public
 * step API — `y ~ N(mean, (T + σ0²) I)` and all step noise from per-sample streams `rng.stream(offset + i)` —
 * recording trajectories, reporting progress, honouring abort, lifting a declared subspace and applying the
 * optional final Tweedie step ({@link tweedieDenoise}). The update rule itself (predictor, corrector) is the kernel's.
 */
export function runSampler(
  fn: string,
  model: ScoreModel,
  options: SampleOptions,
  allowed: readonly string[],
  makeKernel: (options: SampleOptions) => SamplerKernel,
): SampleResult {
  checkModel(fn, model);
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options are required ({ n, rng, ... })`);
  }
  checkOptionKeys(fn, fn, options, allowed, optionUsersOf);
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
  const kernel = makeKernel(options);
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
  kernel.prepare?.(grid);
  // PAPER.md R8: with a declared subspace, simulate its m coordinates only; the complement is drawn exactly.
  const reduction = options.simulateSubspace === false ? undefined : reduceToSubspace(fn, model);
  const sim = reduction?.reduced ?? model;
  const sdim = sim.dim;
  // Every registered sampler steps through the stepper of the public step API (createStepper), on the simulated model.
  const stepper = bindStepper(fn, sim, grid, kernel);

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
      tweedieDenoise(model, out, tMin);
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
