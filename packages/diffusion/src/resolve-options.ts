import { checkNumber, MixdiffError } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import { defaultGrid } from "./default-steps.js";
import { defaultTMax } from "./default-t-max.js";
import type { SampleOptions } from "./sample-options.js";
import { simulatedDim } from "./subspace-model.js";

/** Validates a user grid: finite, strictly decreasing, ≥ 0, at least 2 points (internal helper). */
function checkGrid(fn: string, grid: unknown, model: ScoreModel): Float64Array {
  if (!(grid instanceof Float64Array) || grid.length < 2) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: grid must be a Float64Array of at least 2 VE times`, {
      path: "grid",
    });
  }
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i]!;
    if (!Number.isFinite(v) || v < 0 || (i > 0 && !(v < grid[i - 1]!))) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: grid must be finite, ≥ 0 and strictly decreasing; entry ${i} is ${v}${i > 0 ? ` after ${grid[i - 1]}` : ""}`,
        { path: `grid[${i}]` },
      );
    }
  }
  if (grid[0]! > model.tMax * (1 + 1e-12)) {
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

/**
 * The unknown-option rule (internal): every key of `options` whose value is not `undefined` must be in `allowed`.
 * A key that other samplers use is refused as `<fn>: option "k" is not used by <sampler>; it is used by …`, any
 * other key as unknown; both `INVALID_OPTION` naming the key.
 */
export function checkOptionKeys(
  fn: string,
  sampler: string,
  options: object,
  allowed: readonly string[],
  usersOf: (option: string) => readonly string[],
): void {
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || allowed.includes(k)) continue;
    const users = usersOf(k).filter((u) => u !== sampler);
    throw new MixdiffError(
      "INVALID_OPTION",
      users.length > 0
        ? `${fn}: option "${k}" is not used by ${sampler}; it is used by ${users.join(", ")}`
        : `${fn}: unknown option "${k}"; ${sampler} takes ${allowed.join(", ")}`,
      { path: k },
    );
  }
}

/** Which defined samplers use each sampler-specific option (internal: filled by `defineSampler`, read for messages). */
const optionUsers = new Map<string, Set<string>>();

/** Records that sampler `name` uses `options` (internal, called by `defineSampler`). */
export function registerOptionUsers(name: string, options: readonly string[]): void {
  for (const o of options) {
    const users = optionUsers.get(o) ?? new Set<string>();
    users.add(name);
    optionUsers.set(o, users);
  }
}

/** The defined samplers that use `option` (internal). */
export function optionUsersOf(option: string): readonly string[] {
  return [...(optionUsers.get(option) ?? [])];
}
