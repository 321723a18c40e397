import { describe, expect, it } from "vitest";
import { clusterChunk, MAX_CHUNK_ROWS } from "./cluster-chunks.js";
import type { FitPlan } from "./resolve-plan.js";

/** A plan with a geometric grid from 300 down to 0.01 (30 levels) and the σ²-halving cadence. */
const grid = Array.from({ length: 30 }, (_, i) => 300 * (0.01 / 300) ** (i / 29));
const plan = { grid, cadence: "sigma-halving" } as unknown as FitPlan;

describe("clusterChunk", () => {
  it("counts one update per halving of σ² = σ0² + t", () => {
    // σ0 = 1: σ² runs from 301 to 1.01; each update needs σ² ≤ half the last update's
    let updates = 0;
    let last = 301;
    for (const t of grid.slice(0, -1)) {
      if (1 + t <= last / 2) {
        updates++;
        last = 1 + t;
      }
    }
    expect(clusterChunk(plan, 2000, 1).updates).toBe(updates);
  });

  it("splits a small pool into disjoint chunks of at least 400 points, with noise draws up to 800 denoised points", () => {
    const c = clusterChunk(plan, 2000, 1);
    expect(c.rows).toBe(Math.max(400, Math.floor(2000 / c.updates)));
    expect(c.draws).toBe(Math.floor(800 / c.rows));
  });

  it("caps a large pool's chunks at MAX_CHUNK_ROWS clean points (the greedy cover is quadratic in them)", () => {
    const c = clusterChunk(plan, 100_000, 1);
    expect(Math.floor(100_000 / c.updates)).toBeGreaterThan(MAX_CHUNK_ROWS);
    expect(c.rows).toBe(MAX_CHUNK_ROWS);
    expect(c.draws).toBe(1);
    expect(c.warnings).toEqual([]);
  });
});
