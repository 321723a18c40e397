import type { LevelChoice } from "./choose-candidate.js";
import { levelError } from "./kl-term.js";

/**
 * Share of its error by which a level would still have to improve for more rows to be worth adding
 * (see {@link enoughRows}).
 */
export const ROWS_GAIN = 0.05;
/** Largest standard error of a level's error estimate, relative to the estimate, at which its rows may stop. */
export const ERROR_PRECISION = 0.5;

/**
 * Whether a level's rows so far are enough: the rule that bounds per-level work by what the estimator needs,
 * not by N. A level adds its rows in rounds (¼, ½, all of them); after each it cross-validates, and stops
 * once its regression variance is below its approximation error by this measure:
 *
 * - with F folds, each candidate's CV loss (relative to the mixture base, trained on (F−1)/F of the rows) has
 *   mean `A − B + F/(F−1)·V`, where A is its approximation error, B the base's error and V the jackknife
 *   variance of its fit on the rows so far (`kl-term.ts`), so `CV − F/(F−1)·V` estimates `A − B`: what the
 *   candidate would reach with unlimited rows;
 * - the chosen fit's loss now is `CV − V/(F−1)` = `A − B + V` (0 for the base alone);
 * - their difference against the best `A − B` of any candidate or 0 (the base alone)
 *   is the most that more rows could buy: the chosen fit's variance plus what a richer candidate would gain
 *   once its own variance is gone. It must be at most {@link ROWS_GAIN} (5 %) of the level's error now,
 *   `B + loss now`, with B bounded below by the richest candidate's `F/(F−1)·V − CV` (a low B only makes the
 *   rule add rows);
 * - given the base's delta-method error (`baseVariance`, the refit's levels), the level's error is `levelError`'s
 *   estimate, which the KL term sums, and it must also be precise: its standard error at most
 *   {@link ERROR_PRECISION} (half) of itself — where the richest candidate sets B and is still unstable on few
 *   rows, the level takes more.
 *
 * The candidates' variance is credited in full, not as `V·rows/all rows`: on few rows a ridge fit's variance
 * falls faster than 1/rows (measured: 60× for 3× the rows at a disks2d level), and the 1/rows projection stopped
 * levels whose correction the full rows choose (the true Theorem 3.1 term on disks2d rose from 0.0022 to 0.0030).
 * A level whose corrections cannot beat the base (a discrete Q0, or atoms dense enough for its σ) stops at the
 * first round. Internal; `fitGatedLevel` applies it to the levels chosen by the one-standard-error rule.
 */
export function enoughRows(cv: LevelChoice, folds: number, baseVariance?: number): boolean {
  const F = folds;
  if (F < 2) return false;
  const now = cv.chosen ? cv.chosen.loss - cv.chosen.variance / (F - 1) : 0;
  let best = 0; // the base alone (the one-standard-error rule may keep it)
  for (const c of cv.candidates) {
    const unlimited = c.loss - (F / (F - 1)) * c.variance;
    if (unlimited < best) best = unlimited;
  }
  if (baseVariance === undefined) {
    const base = cv.richest ? Math.max(0, (F / (F - 1)) * cv.richest.variance - cv.richest.loss) : 0;
    return now - best <= ROWS_GAIN * Math.max(0, base + now);
  }
  const e = levelError({ chosen: cv.chosen, richest: cv.richest, folds: F, baseVariance });
  return now - best <= ROWS_GAIN * e.mse && e.standardError <= ERROR_PRECISION * e.mse;
}
