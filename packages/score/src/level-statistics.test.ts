import { createRng } from "@mixdiff/core";
import { expectWithinSe, meanAndSe } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { CORRECTION_OFF, correctionWeight, GATE_CUTOFF } from "./gates.js";
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

describe("accumulateShard's Gram: every block size gives the row-by-row sums, bit for bit", () => {
  // 2-D, 6 gates on a line 0.8σ apart (several active per row), degrees 0…3: p = 1, 3, 6, 10 features per gate —
  // the p = 1 and p = 3 paths, and the per-gate-pair 2×2 path (p ≥ 6, even and odd block edges via K·p).
  const K = 6;
  const sigma0 = 1;
  const centers = Float64Array.from({ length: 2 * K }, (_, q) => (q % 2 === 0 ? 0.8 * (q / 2) : 0.3 * ((q - 1) / 2)));
  const spec: LevelSpec = {
    t: 0,
    sigma0,
    estimator: "stein",
    centers,
    logMass: new Float64Array(K).fill(Math.log(1 / K)),
    lower: new Float64Array(2 * K).fill(-2),
    upper: new Float64Array(2 * K).fill(2),
  };
  const rows = 300;
  const x = new Float64Array(rows * 2);
  createRng("gram-paths").fillNormal(x, 0, rows * 2);
  for (let i = 0; i < rows; i++) x[2 * i] = x[2 * i]! * 1.5 + 2;

  /** Σ ψψᵀ row by row in row order (upper triangle, gate-major), from the features alone. */
  function reference(degree: number): Float64Array {
    const f = levelFeatures(2, degree);
    const p = f.size;
    const P = K * p;
    const g = new Float64Array(P * P);
    const phi = new Float64Array(p);
    const s2 = sigma0 * sigma0;
    for (let i = 0; i < rows; i++) {
      const logits = Array.from({ length: K }, (_, k) => {
        const d0 = x[2 * i]! - centers[2 * k]!;
        const d1 = x[2 * i + 1]! - centers[2 * k + 1]!;
        return Math.log(1 / K) - (d0 * d0 + d1 * d1) / (2 * s2);
      });
      const mx = Math.max(...logits);
      const e = logits.map((l) => (l - mx > -GATE_CUTOFF ? Math.exp(l - mx) : 0));
      const z = e.reduce((a, b) => a + b, 0);
      const psi: { k: number; v: Float64Array }[] = [];
      for (let k = 0; k < K; k++) {
        const pi = e[k]! * (1 / z); // as the gates normalise: times the reciprocal
        if (!(e[k]! > 0) || pi <= CORRECTION_OFF) continue;
        const u = [0, 1].map((c) => Math.min(2, Math.max(-2, (x[2 * i + c]! - centers[2 * k + c]!) / sigma0)));
        f.basis.evaluate(Float64Array.from(u), 1, phi);
        const cw = new Float64Array(2);
        correctionWeight(pi, cw);
        const w = cw[0]!;
        psi.push({ k, v: phi.map((v) => w * v) });
      }
      for (let j1 = 0; j1 < psi.length; j1++)
        for (let j2 = j1; j2 < psi.length; j2++)
          for (let a = 0; a < p; a++)
            for (let b = j1 === j2 ? a : 0; b < p; b++) {
              const q = (psi[j1]!.k * p + a) * P + psi[j2]!.k * p + b;
              g[q] = g[q]! + psi[j1]!.v[a]! * psi[j2]!.v[b]!;
            }
    }
    return g;
  }

  for (const degree of [0, 1, 2, 3]) {
    test(`degree ${degree} (p = ${levelFeatures(2, degree).size})`, () => {
      const f = levelFeatures(2, degree);
      const r = levelFeatures(2, degree + 1);
      const lay = gatedLayout(K, f, r);
      const P = K * f.size;
      const stats = createLevelStatistics(P, 2);
      accumulateShard(spec, lay, f, r, x, rows, 1, undefined, stats, createShardScratch(2, r, K, f.size));
      const want = reference(degree);
      let active = 0;
      const differ: number[] = [];
      for (let i = 0; i < P; i++)
        for (let j = i; j < P; j++) {
          if (want[i * P + j] !== 0) active++;
          if (!Object.is(stats.gram[i * P + j], want[i * P + j])) differ.push(i * P + j);
        }
      expect(differ).toEqual([]);
      // the rows really share gates: off-diagonal gate blocks are filled
      expect(active).toBeGreaterThan(2 * K * ((f.size * (f.size + 1)) / 2));
      // the lower triangle is left to finishStatistics (never written)
      for (let i = 1; i < P; i++) expect(stats.gram[i * P + i - 1]).toBe(0);
    });
  }
});
