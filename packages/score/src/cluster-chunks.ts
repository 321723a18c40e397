import type { FitPlan } from "./resolve-plan.js";

/** Denoised points per warm-start update at most (the greedy cover is O(rows²)). */
const COVER_ROWS = 800;

/** Chunk size per warm-start update (disjoint chunks while the pool allows) and noise draws per point. */
export function clusterChunk(plan: FitPlan, pool: number, s02: number) {
  const g = plan.grid;
  let updates = 0;
  let last = g[0] as number;
  for (let l = 0; l + 1 < g.length; l++) {
    const t = g[l] as number;
    if (
      plan.cadence === "every-level" ||
      (plan.cadence === "sigma-halving" && s02 + t <= (s02 + last) / 2) ||
      (plan.cadence === "t-halving" && t <= last / 2)
    ) {
      updates++;
      last = t;
    }
  }
  updates = Math.max(1, updates);
  const rows = Math.max(1, Math.min(pool, Math.max(Math.floor(pool / updates), 400)));
  const warnings =
    rows * updates > pool
      ? [`clustering chunks of ${rows} points are reused (${updates} updates, ${pool} clustering points)`]
      : [];
  return { rows, draws: Math.max(1, Math.min(8, Math.floor(COVER_ROWS / rows))), updates, warnings };
}

/** `count` rows of `x` (`[rows, m]`) starting at `start`, wrapping around. */
export function rotate(x: Float64Array, rows: number, m: number, start: number, count: number): Float64Array {
  const out = new Float64Array(count * m);
  for (let i = 0; i < count; i++) out.set(x.subarray(((start + i) % rows) * m, ((start + i) % rows) * m + m), i * m);
  return out;
}
