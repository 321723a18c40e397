import { baseVariance } from "./base-variance.js";
import { fitGatedLevel, type GatedLevelReport, type GatedLevelSettings } from "./fit-gated-level.js";
import { type FitData, rngFromKey, type Steps, windowAt } from "./fit-tasks.js";
import type { GatedLevel } from "./gated-level.js";

/**
 * The refit of a practical fit: every level of the grid fitted again with the same fixed atoms as its mixture base.
 * The levels do not depend on each other, so each is **one block** of the refit map — fitted whole wherever the
 * block runs (its rows, its cross-validation and its solve), which lets a fit's threads work on different levels at
 * once instead of waiting on each level's serial steps.
 *
 * @example
 * ```ts
 * import type { RefitInput } from "@mixdiff/score";
 * const levels = (i: RefitInput) => i.grid.length; // one block per level
 * ```
 */
export interface RefitInput {
  /** VE time of each level (block b fits level b). */
  readonly grid: readonly number[];
  /** The atoms every level's gates start from (and keep: the refit runs no EM on them). */
  readonly centers: Float64Array;
  readonly mass: Float64Array;
  /** Asymptotic covariance of the atoms when they were fitted at t = 0 (`atomCovariance`): the level's base error is then estimated (`baseVariance`). */
  readonly covariance?: Float64Array;
  readonly settings: GatedLevelSettings;
  /** A level's window of the regression and held-out pools (`windowAt`). */
  readonly regRows: number;
  readonly heldRows: number;
  /** Key of the fit's Rng: level l draws its noise from `stream("refit")` and its base-error points from `stream("diag", l)`. */
  readonly rngKey: string;
}

/**
 * One refit level: the fitted level, its report, and the base's delta-method error at its t (0 without a covariance).
 *
 * @example
 * ```ts
 * import type { RefitResult } from "@mixdiff/score";
 * const rows = (r: RefitResult) => r.report.rows;
 * ```
 */
export interface RefitResult {
  readonly level: GatedLevel;
  readonly report: GatedLevelReport;
  readonly baseVariance: number;
}

/**
 * The steps of refit level b on the whole pools `data` (internal): its base error, a `window` step (its share of
 * the pools) and its data maps; returns the level. `runBlock` runs them on this thread (`runLocally`);
 * `fitScoreAsync` runs them in slices.
 */
export function* refitLevelSteps(data: FitData, input: RefitInput, b: number): Steps<RefitResult> {
  const { m } = data;
  const t = input.grid[b]!;
  const fit = rngFromKey(input.rngKey);
  const variance = input.covariance
    ? baseVariance({
        t,
        centers: input.centers,
        mass: input.mass,
        covariance: input.covariance,
        held: data.pools.held,
        m,
        sigma0: input.settings.sigma0,
        rng: fit.stream("diag", b),
      })
    : 0;
  const reg = windowAt(data.pools.reg.rows, b, input.regRows);
  const held = windowAt(data.pools.held.rows, b, input.heldRows);
  yield { task: "window", reg, held };
  const fitted = yield* fitGatedLevel({
    level: b,
    t,
    warm: { centers: input.centers, mass: input.mass },
    regRows: reg.rows,
    heldRows: held.rows,
    settings: input.settings,
    baseVariance: variance,
    rng: fit.stream("refit"),
  });
  return { ...fitted, baseVariance: variance };
}
