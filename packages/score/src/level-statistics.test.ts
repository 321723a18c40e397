import { createRng } from "@mixdiff/core";
import { expectWithinSe, meanAndSe } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { solveCandidates } from "./level-candidates.js";
import { gatedLayout, levelFeatures } from "./level-features.js";
import {
  accumulateShard,
  createLevelStatistics,
  createShardScratch,
  finishStatistics,
  type LevelSpec,
  mergeLevelStatistics,
} from "./level-statistics.js";

// Q0 = N(0, s²) in 1-D with σ0 = 1: p_t = N(0, s² + σ²), σ² = 1 + t, and f(y) = E[μ | y] = s²·y/(s² + σ²) is
// linear — exactly representable with one gate at 0 and degree-1 features φ = (1, u), u = y/σ. So every
// estimator's population solution is β = (0, s²σ/(s² + σ²)) and the sample estimates differ only in variance.
const s2 = 4;
const feats = levelFeatures(1, 1);
const raised = levelFeatures(1, 2);
const layout = gatedLayout(1, feats, raised);

function estimate(estimator: LevelSpec["estimator"], t: number, seed: number, rows = 4000): number {
  const spec: LevelSpec = {
    t,
    sigma0: 1,
    estimator,
    centers: new Float64Array([0]),
    logMass: new Float64Array([0]),
    lower: new Float64Array([-1e9]),
    upper: new Float64Array([1e9]),
  };
  const x = new Float64Array(rows);
  createRng(seed).fillNormal(x, 0, rows);
  for (let i = 0; i < rows; i++) x[i] = x[i]! * Math.sqrt(s2 + 1);
  const stats = createLevelStatistics(2, 1);
  // two shards, merged: the map/merge form of the level's work
  for (const [from, to] of [
    [0, rows / 2],
    [rows / 2, rows],
  ] as const) {
    const shard = createLevelStatistics(2, 1);
    accumulateShard(
      spec,
      layout,
      feats,
      raised,
      x.subarray(from, to),
      to - from,
      1,
      createRng(seed).stream("noise", from),
      shard,
      createShardScratch(1, raised, 1, 2),
    );
    mergeLevelStatistics(stats, shard);
  }
  finishStatistics(stats, layout, 2);
  const fit = solveCandidates(stats, 1, layout.sizeByDegree, 1, [0]).find((f) => f.degree === 1);
  if (fit === undefined) throw new Error("no degree-1 candidate");
  return fit.coef[1]!;
}

function summary(estimator: LevelSpec["estimator"], t: number) {
  const v = Array.from({ length: 40 }, (_, i) => estimate(estimator, t, 1000 + i));
  return meanAndSe(v);
}

describe("level statistics: the three estimators share the population solution and differ in variance", () => {
  for (const t of [0.05, 1, 20]) {
    const sigma2 = 1 + t;
    const exact = (s2 * Math.sqrt(sigma2)) / (s2 + sigma2);
    test.each(["stein", "ism", "dsm"] as const)(`t = ${t}: %s is unbiased (mean of 40 fits within 4 SE)`, (est) => {
      const r = summary(est, t);
      expectWithinSe(r.mean, exact, r.se, { k: 4, slack: 1e-12 });
    });
  }
  test("Stein has the smallest sd: below DSM at small t (DSM ∝ σ²σ0²/t) and below ISM at large t (ISM ∝ σ²)", () => {
    // Per-row variances: DSM ≈ Var(x|y)(1 + σ0²/t)², ISM ≈ σ², Stein ≈ Var(x|y) + O(σ0⁴/σ²); at t = 0.05 DSM's is
    // ≈ 400× Stein's and at t = 20 ISM's ≈ 4×, far outside the sd estimates' own ±25 % (40 fits).
    expect(summary("stein", 0.05).sd).toBeLessThan(0.5 * summary("dsm", 0.05).sd);
    expect(summary("stein", 20).sd).toBeLessThan(0.7 * summary("ism", 20).sd);
  });
  test("at t = 0 Stein is ISM (y = x): identical statistics", () => {
    expect(estimate("stein", 0, 7)).toBe(estimate("ism", 0, 7));
  });
});
