import type { Rng } from "@mixdiff/core";
import { CORRECTION_OFF, correctionWeight, createGateScratch, evaluateGates, type GateScratch } from "./gates.js";
import type { GatedLayout, LevelFeatures } from "./level-features.js";

/**
 * Sufficient statistics of one gated level on a set of rows — the *map* of the level's regression: a
 * shard of clean points gives `(rows, Gram, rhs)`; statistics of disjoint shards add ({@link mergeLevelStatistics}),
 * and every candidate fit and its held-out loss are functions of the sums. For features ψ_{k,a} = π_k·φ_a(u_k)
 * (graded layout, `P = K·p(d)` per output):
 *
 * - `gram = Σ ψψᵀ` (`[P, P]`, symmetric and graded after {@link finishStatistics});
 * - `rhs[:, c] = Σ ψ·(target_c − b_c)` with the mixture base b = Σπ_k c_k, where for the
 *   **implicit score matching** estimator (`"ism"`, Hyvärinen 2005) the noisy target is integrated out:
 *   `E[ψ(y)(z_c − b_c)|y] = ψ(y_c − b_c) − σ²∂_cψ = π_k·σ·(u_c φ_a(u) − ∂φ_a/∂u_c)`, which for
 *   normalised Hermite features is `π_k·σ·√(a_c+1)·φ_{a+e_c}(u)` (an input clipped to the gate's box
 *   has ∂φ/∂u_c = 0); for the **denoising** estimator (`"dsm"`, the paper's) it is ψ·(y − σ²ξ/√t − b);
 * - the **Stein** estimator (`"stein"`, the default) takes the clean point as target and integrates out only the
 *   σ0² part: since `E[X|y] = f(y) − σ0²∇ln p_t(y)`, `E[ψ(f − b)] = E[ψ(y)(x − b(y))] − σ0²E[∂_cψ(y)]`. Its row
 *   variance is bounded by `Var(X|y)` — no σ²σ0²/t blow-up as t → 0 (DSM), no σ² growth at large t (ISM); at t = 0
 *   it is ISM, and for σ0 → 0 it regresses x on y;
 * - all three share the population minimiser (the L²(p_t) projection of f − b on the features) and differ only
 *   in variance (DESIGN.md "Lowering the variance").
 *
 * For coefficients β the loss relative to the base, `ΔL(β) = Σ_c (β_cᵀ G β_c − 2β_cᵀ R_c)/rows`, estimates
 * `E|f̂_β − f|² − E|b − f|²` without bias on rows the fit did not see (internal).
 */
export interface LevelStatistics {
  rows: number;
  readonly gram: Float64Array;
  readonly rhs: Float64Array;
}

export function createLevelStatistics(P: number, m: number): LevelStatistics {
  return { rows: 0, gram: new Float64Array(P * P), rhs: new Float64Array(P * m) };
}

/** `into += from` (fixed order of shards ⇒ identical bytes for any worker count). */
export function mergeLevelStatistics(into: LevelStatistics, from: LevelStatistics): void {
  into.rows += from.rows;
  const g = into.gram;
  const fg = from.gram;
  for (let i = 0; i < g.length; i++) g[i] = g[i]! + fg[i]!;
  const r = into.rhs;
  const fr = from.rhs;
  for (let i = 0; i < r.length; i++) r[i] = r[i]! + fr[i]!;
}

/**
 * Finishes merged statistics for solving: shards accumulate the upper triangle in **gate-major** order
 * (parameter `k·p + a`: the rows of one gate pair are one dense block, so the per-row update runs over
 * contiguous memory); this mirrors the triangle and permutes to the graded layout (`layout.col`), in place.
 */
export function finishStatistics(stats: LevelStatistics, layout: GatedLayout, p: number): void {
  const P = layout.K * p;
  const { gram, rhs } = stats;
  const m = layout.m;
  const col = layout.col;
  const g = new Float64Array(P * P);
  for (let i = 0; i < P; i++) {
    const ci = col[i]!;
    for (let j = i; j < P; j++) {
      const v = gram[i * P + j]!;
      const cj = col[j]!;
      g[ci * P + cj] = v;
      g[cj * P + ci] = v;
    }
  }
  gram.set(g);
  const r = new Float64Array(P * m);
  for (let i = 0; i < P; i++) r.set(rhs.subarray(i * m, i * m + m), col[i]! * m);
  rhs.set(r);
}

/** What a shard needs to know about its level (all plain data, so a worker can rebuild it). */
export interface LevelSpec {
  readonly t: number;
  readonly sigma0: number;
  readonly estimator: "stein" | "ism" | "dsm";
  readonly centers: Float64Array;
  readonly logMass: Float64Array;
  /** Per-gate box of the standardised inputs `[K, m]`; inputs are clipped to it. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Reusable buffers of {@link accumulateShard}. */
export interface ShardScratch {
  readonly gates: GateScratch;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly u: Float64Array;
  readonly clipped: Uint8Array;
  readonly phi: Float64Array;
  /** Active gates of the row (indices) and their correction features `[A, p]`. */
  gatesOf: Int32Array;
  vals: Float64Array;
  noise: Float64Array;
}

export function createShardScratch(m: number, raised: LevelFeatures, K: number, p: number): ShardScratch {
  return {
    gates: createGateScratch(m, K),
    y: new Float64Array(m),
    z: new Float64Array(m),
    u: new Float64Array(m),
    clipped: new Uint8Array(m),
    phi: new Float64Array(raised.size),
    gatesOf: new Int32Array(K),
    vals: new Float64Array(K * p),
    noise: new Float64Array(0),
  };
}

/**
 * Adds the rows of one shard — clean points `x` (`[rows, m]`), each noised `draws` times as
 * `y = x + √t·ξ` with ξ from `noise` (t = 0: y = x, one draw) — to `stats`.
 */
export function accumulateShard(
  spec: LevelSpec,
  layout: GatedLayout,
  feats: LevelFeatures,
  raised: LevelFeatures,
  x: Float64Array,
  rows: number,
  draws: number,
  noise: Rng | undefined,
  stats: LevelStatistics,
  s: ShardScratch,
): void {
  const m = layout.m;
  const K = layout.K;
  const P = layout.sizeByDegree[layout.degree]!;
  const p = feats.size;
  const { t, centers, logMass, lower, upper } = spec;
  const sigma2 = spec.sigma0 * spec.sigma0 + t;
  const inv = 1 / Math.sqrt(sigma2);
  const inv2s2 = 0.5 / sigma2;
  const sqt = Math.sqrt(t);
  const kappa = t > 0 ? sigma2 / sqt : 0;
  const est = spec.estimator === "stein" ? 0 : spec.estimator === "ism" ? 1 : 2;
  const s02 = spec.sigma0 * spec.sigma0;
  const inv2 = 1 / sigma2;
  const nd = t > 0 ? draws : 1;
  const need = rows * nd * m;
  if (t > 0) {
    if (s.noise.length < need) s.noise = new Float64Array(need);
    (noise as Rng).fillNormal(s.noise, 0, need);
  }
  const { gates, y, z, u, clipped, phi, gatesOf, vals } = s;
  const { gram, rhs } = stats;
  const { raise, raiseScale } = layout;
  for (let r = 0; r < rows * nd; r++) {
    const i = Math.floor(r / nd);
    for (let c = 0; c < m; c++) {
      const xi = t > 0 ? s.noise[r * m + c]! : 0;
      const xc = x[i * m + c]!;
      const yc = xc + sqt * xi;
      y[c] = yc;
      z[c] = est === 2 ? yc - kappa * xi : xc;
    }
    evaluateGates(y, 0, centers, logMass, K, m, inv2s2, gates);
    let A = 0;
    for (let j = 0; j < gates.count; j++) {
      const pi = gates.pi[j]!;
      if (pi <= CORRECTION_OFF) continue;
      const k = gates.active[j]!;
      const { w: pk, dw } = correctionWeight(pi);
      const co = k * m;
      for (let c = 0; c < m; c++) {
        const v = (y[c]! - centers[co + c]!) * inv;
        const lo = lower[co + c]!;
        const hi = upper[co + c]!;
        clipped[c] = v < lo || v > hi ? 1 : 0;
        u[c] = v < lo ? lo : Math.min(v, hi);
      }
      raised.basis.evaluate(u, 1, phi);
      gatesOf[A] = k;
      const vo = A * p;
      A++;
      for (let a = 0; a < p; a++) {
        const fa = phi[a]!;
        vals[vo + a] = pk * fa;
        const ro = (k * p + a) * m;
        for (let c = 0; c < m; c++) {
          // ∂φ_a/∂u_c = u_c·φ_a − √(a_c+1)·φ_{a+e_c} (normalised Hermite); 0 where the input is clipped.
          const dphi = clipped[c] === 0 ? u[c]! * fa - raiseScale[c * p + a]! * phi[raise[c * p + a]!]! : 0;
          // ψ·(target − b) − s²·∂_cψ, ψ = w(π)·φ_a, ∂_cψ = w′(π)·π(c_k,c − c̄_c)/σ²·φ_a + w(π)·∂φ_a/σ.
          let r = pk * fa * ((est === 1 ? y[c]! : z[c]!) - gates.mean[c]!);
          if (est !== 2) {
            const dpi = pi * (centers[co + c]! - gates.mean[c]!) * inv2;
            r -= (est === 0 ? s02 : sigma2) * (dw * dpi * fa + pk * dphi * inv);
          }
          rhs[ro + c] = rhs[ro + c]! + r;
        }
      }
    }
    // Gram, upper triangle in gate-major order: one dense p×p block per pair of active gates (ascending).
    for (let j1 = 0; j1 < A; j1++) {
      const b1 = gatesOf[j1]! * p;
      const v1 = j1 * p;
      for (let j2 = j1; j2 < A; j2++) {
        const b2 = gatesOf[j2]! * p;
        const v2 = j2 * p;
        for (let a = 0; a < p; a++) {
          const va = vals[v1 + a]!;
          if (va === 0) continue;
          const go = (b1 + a) * P + b2;
          for (let b = j1 === j2 ? a : 0; b < p; b++) gram[go + b] = gram[go + b]! + va * vals[v2 + b]!;
        }
      }
    }
  }
  stats.rows += rows * nd;
}
