import { checkNumber, MixdiffError } from "@mixdiff/core";

/** The result of {@link klBoundFromScoreErrors}. */
export interface KlBound {
  /** Σ of the terms. */
  total: number;
  /** One term per interval `[t_k, t_{k+1}]` of the sorted levels, labelled by its left end `t = t_k`. */
  terms: { t: number; tNext: number; term: number }[];
}

/**
 * The score-error part of the reverse-process KL bound (PAPER.md §4.2, Theorem 3.1 discretised), from per-level
 * mean squared score errors (e.g. {@link scoreErrorByLevel}):
 *
 * `total = Σ_k ln(σ²_{k+1}/σ²_k) · σ²_k · mse_k`, with `σ²_k = σ0² + t_k` and the levels sorted by `t`.
 *
 * Why this form: along the VE process the reverse SDE has unit diffusion in t, so Girsanov gives
 * `KL ≤ ½ ∫ E‖ŝ_t − ∇ln p_t‖² dt`, and `dt = σ² d ln σ²`; each term is the left-point rule for
 * `∫ σ² mse d ln σ²` over one interval (twice the Girsanov integrand, matching the theorem up to its constant).
 * `σ²_k · mse_k` is the error of the score in units of the noise scale, so the term is dimensionless.
 * The largest term is the level that limits quality. Only relative sizes and orders of magnitude are
 * meaningful (the theorem holds up to universal constants and adds discretisation and initialisation terms).
 * Throws `INVALID_OPTION` for fewer than 2 levels, a repeated or negative `t`, a negative `mse` or `sigma0 ≤ 0`.
 *
 * @example
 * ```ts
 * import { klBoundFromScoreErrors } from "@mixdiff/metrics";
 * const b = klBoundFromScoreErrors([{ t: 0, mse: 0.1 }, { t: 3, mse: 0.01 }], { sigma0: 1 });
 * // one term: ln(4/1) · 1 · 0.1 ≈ 0.139
 * ```
 */
export function klBoundFromScoreErrors(
  levels: readonly { t: number; mse: number }[],
  o: { sigma0?: number } = {},
): KlBound {
  const fn = "klBoundFromScoreErrors";
  const sigma0 = checkNumber(o.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true });
  if (!Array.isArray(levels) || levels.length < 2) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: need at least 2 levels; got ${levels?.length ?? 0}`, {
      path: "levels",
    });
  }
  levels.forEach((l, i) => {
    checkNumber(l.t, fn, `levels[${i}].t`, { min: 0 });
    checkNumber(l.mse, fn, `levels[${i}].mse`, { min: 0 });
  });
  const sorted = [...levels].sort((a, b) => a.t - b.t);
  const s0 = sigma0 * sigma0;
  const terms: KlBound["terms"] = [];
  let total = 0;
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k]!;
    const b = sorted[k + 1]!;
    if (b.t === a.t) {
      throw new MixdiffError("INVALID_OPTION", `${fn}: noise level t = ${a.t} appears twice`, { path: "levels" });
    }
    const sk = s0 + a.t;
    const term = Math.log((s0 + b.t) / sk) * sk * a.mse;
    terms.push({ t: a.t, tNext: b.t, term });
    total += term;
  }
  return { total, terms };
}
