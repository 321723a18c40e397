import type { FitPlan } from "./resolve-plan.js";

/** Denoised points per warm-start update at most (the greedy cover is O(rows²)). */
const COVER_ROWS = 800;
/**
 * Clean points per warm-start update at most. The greedy cover is O(rows²): without a cap a 10⁶-point fit spent
 * 100 s of its 111 s in covers of 12 500-point chunks. 2 000 points locate the centres of a cover of radius c to a
 * small fraction of c, for 2·10⁶ distance checks per update; fits of up to 20 000 points (a clustering pool of 2 000
 * points, 4 000 for the paper preset, over several σ²-halvings) are unchanged by the cap.
 */
export const MAX_CHUNK_ROWS = 2000;

/** Chunk size per warm-start update (disjoint chunks while the pool allows) and noise draws per point. */
export function clusterChunk(plan: FitPlan, pool: number, s02: number) {
  const g = plan.grid;
  let updates = 0;
  let last = g[0]!;
  for (let l = 0; l + 1 < g.length; l++) {
    const t = g[l]!;
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
  const rows = Math.max(1, Math.min(pool, MAX_CHUNK_ROWS, Math.max(Math.floor(pool / updates), 400)));
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
