import { createPoints, MixdiffError, type Points } from "@mixdiff/core";
import type { ScoreModel } from "./score-model.js";

function checkSigma(sigma: number, fn: string): void {
  if (!(typeof sigma === "number" && sigma >= 0 && sigma < Infinity)) {
    throw new MixdiffError("INVALID_INPUT", `${fn}: sigma must be a finite number ≥ 0; got ${sigma}`, {
      path: "sigma",
    });
  }
}

/**
 * EDM-style denoiser `D(x, σ) = E[x0 | x]` for the VE process with noise level σ (VE time `t = σ²`):
 * by Tweedie `E[x0 | x] = x + σ²·∇ln p_t(x)`. Note `x0 ~ P0` still contains the σ0 noise.
 *
 * @example
 * ```ts
 * import { toDenoiser, exactScoreModel } from "@mixdiff/score";
 * const D = toDenoiser(model);
 * const x0hat = D(x, 2.0); // [rows, n]
 * ```
 */
export function toDenoiser(model: ScoreModel): (x: Points, sigma: number) => Points {
  return (x, sigma) => {
    checkSigma(sigma, "denoiser");
    const t = sigma * sigma;
    const out = model.score(x, t, createPoints(x.rows, x.cols));
    const d = out.data;
    for (let k = 0; k < d.length; k++) d[k] = x.data[k]! + t * d[k]!;
    return out;
  };
}

/**
 * Noise prediction `ε̂(y, t) = E[ξ | Y_t = y] = −√t·∇ln p_t(y)` for `Y_t = X + √t·ξ`.
 *
 * @example
 * ```ts
 * import { toEpsilon } from "@mixdiff/score";
 * const eps = toEpsilon(model)(y, 0.5); // [rows, n]
 * ```
 */
export function toEpsilon(model: ScoreModel): (y: Points, t: number) => Points {
  return (y, t) => {
    const out = model.score(y, t, createPoints(y.rows, y.cols));
    const s = -Math.sqrt(t);
    const d = out.data;
    for (let k = 0; k < d.length; k++) d[k] = s * d[k]!;
    return out;
  };
}

/**
 * Clean-point prediction `E[X | Y_t = y] = y + t·∇ln p_t(y)` (VE time t).
 *
 * @example
 * ```ts
 * import { toX0 } from "@mixdiff/score";
 * const x0 = toX0(model)(y, 0.5); // [rows, n]
 * ```
 */
export function toX0(model: ScoreModel): (y: Points, t: number) => Points {
  return (y, t) => {
    const out = model.score(y, t, createPoints(y.rows, y.cols));
    const d = out.data;
    for (let k = 0; k < d.length; k++) d[k] = y.data[k]! + t * d[k]!;
    return out;
  };
}
