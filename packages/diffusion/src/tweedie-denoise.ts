import type { Points } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";

/**
 * The final Tweedie (denoising) step, in place: `y ← y + t·s_t(y) = E[X | Y_t = y]`, the posterior mean of the
 * clean point given a state at VE time `t`. This is what `denoiseFinal: true` applies at `tMin`; it changes the
 * target (posterior means, not samples of P0).
 *
 * @param model - the score model (VE time).
 * @param y - the states, shape `[rows, dim]`; overwritten.
 * @param t - their VE time.
 * @returns `y`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sample, tweedieDenoise } from "@mixdiff/diffusion";
 * const { samples, grid } = sample(model, { n: 100, rng: createRng(1) });
 * tweedieDenoise(model, samples, grid[grid.length - 1]!); // = sample(model, { ..., denoiseFinal: true }).samples
 * ```
 */
export function tweedieDenoise(model: ScoreModel, y: Points, t: number): Points {
  const s = model.score(y, t).data;
  const d = y.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! + t * s[i]!;
  return y;
}
