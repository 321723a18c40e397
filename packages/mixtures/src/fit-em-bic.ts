import { checkNumber, type PointsLike, toPoints } from "@mixdiff/core";
import { type EmOptions, type EmResult, fitEmPoints } from "./fit-em.js";

/**
 * Chooses k by the Bayesian information criterion: runs {@link fitEm} for every k in [kMin, kMax]
 * (k uses `rng.stream("k", k)`) and returns the fit with the smallest BIC plus all candidates.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { fitEmBic, gaussianMixture } from "@mixdiff/mixtures";
 * const { x } = gaussianMixture({ means: [[-5, 0], [5, 0], [0, 6]] }).sample(3000, createRng(1));
 * const { best } = fitEmBic(x, { kMax: 5, rng: createRng(2) }); // best.k === 3
 * ```
 */
export function fitEmBic(
  x: PointsLike,
  o: Omit<EmOptions, "k"> & { kMin?: number; kMax: number },
): { best: EmResult; candidates: EmResult[] } {
  const p = toPoints(x, { name: "fitEmBic: x" });
  const kMin = checkNumber(o?.kMin ?? 1, "fitEmBic", "kMin", { min: 1, max: p.rows, integer: true });
  const kMax = checkNumber(o?.kMax, "fitEmBic", "kMax", { min: kMin, max: p.rows, integer: true });
  const candidates: EmResult[] = [];
  for (let k = kMin; k <= kMax; k++) {
    candidates.push(fitEmPoints(p, k, { ...o, rng: o.rng.stream("k", k) }, "fitEmBic"));
  }
  let best = candidates[0]!;
  for (const c of candidates) if (c.bic < best.bic) best = c;
  return { best, candidates };
}
