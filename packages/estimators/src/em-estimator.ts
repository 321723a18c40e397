import { checkNumber, MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import { type EmOptions, fitEm, fitEmBic } from "@mixdiff/mixtures";
import type { Estimator, EstimatorFitOptions, FittedEstimator } from "./fitted-estimator.js";
import { fromEmResult } from "./from-distribution.js";

/**
 * Options of {@link emEstimator}: a fixed `k`, or k chosen by BIC in `kMin..kMax`, plus EM's own settings.
 *
 * @example
 * ```ts
 * import type { EmEstimatorOptions } from "@mixdiff/estimators";
 * const fixed: EmEstimatorOptions = { k: 3, restarts: 10 };
 * const byBic: EmEstimatorOptions = { kMax: 8 };
 * ```
 */
export interface EmEstimatorOptions extends Omit<EmOptions, "k" | "rng"> {
  /** Number of components; when omitted, chosen by BIC in `kMin..kMax`. */
  k?: number;
  /** Smallest k tried by BIC. @default 1 */
  kMin?: number;
  /** Largest k tried by BIC (capped at the number of rows). @default 8 */
  kMax?: number;
}

/**
 * EM for Gaussian mixtures with a shared spherical covariance σ0²I (the classical baseline) as an {@link Estimator}:
 * `fit(x, { rng })` runs `fitEm` (fixed `k`) or `fitEmBic` (k by BIC) and returns {@link fromEmResult} of the fit.
 *
 * @param options - see {@link EmEstimatorOptions}.
 * @returns an unfitted estimator.
 * @throws MixdiffError `INVALID_OPTION` naming the field for a bad `k`, `kMin` or `kMax`, or `k` together with them.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { emEstimator } from "@mixdiff/estimators";
 * const fitted = emEstimator({ kMax: 6 }).fit(train, { rng: createRng(1) });
 * fitted.emResult?.k; // the k BIC chose
 * fitted.predict(test); // component of each point
 * ```
 */
export function emEstimator(options: EmEstimatorOptions = {}): Estimator {
  const fn = "emEstimator";
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options must be an object`, { path: "options" });
  }
  const { k, kMin, kMax, ...em } = options;
  if (k !== undefined) {
    checkNumber(k, fn, "k", { min: 1, integer: true });
    for (const [name, v] of [
      ["kMin", kMin],
      ["kMax", kMax],
    ] as const) {
      if (v !== undefined) {
        throw new MixdiffError("INVALID_OPTION", `${fn}: k conflicts with ${name}; give a fixed k or a BIC range`, {
          path: name,
        });
      }
    }
  }
  const lo = checkNumber(kMin ?? 1, fn, "kMin", { min: 1, integer: true });
  const hi = checkNumber(kMax ?? Math.max(8, lo), fn, "kMax", { min: lo, integer: true });
  return Object.freeze({
    kind: "em" as const,
    fit(x: PointsLike, o: EstimatorFitOptions): FittedEstimator {
      const rng = o?.rng;
      if (k !== undefined) return fromEmResult(fitEm(x, { ...em, k, rng }));
      const p = toPoints(x, { name: "emEstimator.fit: x" });
      // the default range stops at the number of rows; a kMax given by the caller is checked by fitEmBic
      const top = kMax === undefined ? Math.max(lo, Math.min(hi, p.rows)) : hi;
      return fromEmResult(fitEmBic(p, { ...em, kMin: lo, kMax: top, rng }).best);
    },
  });
}
