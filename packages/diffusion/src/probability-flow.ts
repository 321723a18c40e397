import type { NoiseSchedule } from "@mixdiff/schedules";
import type { SamplerState } from "./bind-stepper.js";
import { scoreAt } from "./step-helpers.js";

/**
 * Writes the probability-flow velocity in y-coordinates scaled to x, `v = f·x − ½g²·s_VE(y)/a` with
 * `x = a·y`, `a = scale(s)`, into `out` (internal helper shared by the Euler and Heun ODE samplers).
 * Uses `state.scoreBuf`; `y` holds VE states at VE time `t = sigma(s)²`.
 */
export function flowVelocity(
  state: SamplerState,
  schedule: NoiseSchedule,
  s: number,
  t: number,
  y: Float64Array,
  out: Float64Array,
): void {
  const a = schedule.scale(s);
  const f = schedule.drift(s);
  const g = schedule.diffusion(s);
  const half = (0.5 * g * g) / a;
  const yPts = { data: y, rows: state.rows, cols: state.dim };
  const sc = scoreAt(state, t, yPts);
  for (let i = 0; i < y.length; i++) out[i] = f * a * (y[i] as number) - half * (sc[i] as number);
}
