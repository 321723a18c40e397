import type { Rng } from "@mixdiff/core";
import {
  CORRECTION_OFF,
  correctionWeight,
  createGateScratch,
  evaluateGates,
  GATE_CUTOFF,
  GATE_MEAN,
  type GateScratch,
} from "./gates.js";
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
  readonly residual: Float64Array;
  readonly dpi: Float64Array;
  /** A gate's correction weight and its slope (`correctionWeight`). */
  readonly cw: Float64Array;
  /** The shard's rows, kept for its Gram: each row's active gates (`rowStart` indexes `gatesOf`) and their correction features `[A, p]` (`vals`, same order). */
  gatesOf: Int32Array;
  vals: Float64Array;
  rowStart: Int32Array;
  /** Per gate pair (k1 ≤ k2, index `k1·K + k2`): the rows holding both, as offsets of their two features in `vals` (`pairStart`, `off1`, `off2`). */
  readonly pairStart: Int32Array;
  readonly pairFill: Int32Array;
  off1: Int32Array;
  off2: Int32Array;
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
    residual: new Float64Array(m),
    dpi: new Float64Array(m),
    cw: new Float64Array(2),
    gatesOf: new Int32Array(K),
    vals: new Float64Array(K * p + 1), // +1: the Gram's 2×2 sums may read one past the last feature
    rowStart: new Int32Array(1),
    pairStart: new Int32Array(K * K + 1),
    pairFill: new Int32Array(K * K),
    off1: new Int32Array(0),
    off2: new Int32Array(0),
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
  const { gates, y, z, u, clipped, phi, residual, dpi, cw } = s;
  const shrink = est === 0 ? s02 : sigma2;
  const { rhs } = stats;
  const { raise, raiseScale } = layout;
  const R = rows * nd;
  if (s.rowStart.length < R + 1) s.rowStart = new Int32Array(R + 1);
  const rowStart = s.rowStart;
  // Blocks of p ≥ TILED_MIN features are summed per gate pair over the whole shard (`accumulateGram`); smaller
  // ones, whose pair lists would cost more than the products, row by row (`addRowGram`). Same sums either way.
  const tiled = p >= TILED_MIN;
  let kept = 0; // active gates kept so far (the shard's rows when tiled, else the row's own)
  for (let r = 0; r < R; r++) {
    const i = Math.floor(r / nd);
    for (let c = 0; c < m; c++) {
      const xi = t > 0 ? s.noise[r * m + c]! : 0;
      const xc = x[i * m + c]!;
      const yc = xc + sqt * xi;
      y[c] = yc;
      z[c] = est === 2 ? yc - kappa * xi : xc;
    }
    evaluateGates(y, 0, centers, logMass, K, m, inv2s2, gates, GATE_CUTOFF, GATE_MEAN);
    rowStart[r] = kept;
    if (s.gatesOf.length < kept + gates.count) {
      const size = Math.max(2 * s.gatesOf.length, kept + gates.count);
      const g = new Int32Array(size);
      g.set(s.gatesOf);
      s.gatesOf = g;
      const v = new Float64Array(size * p + 1);
      v.set(s.vals);
      s.vals = v;
    }
    const gatesOf = s.gatesOf;
    const vals = s.vals;
    let A = kept;
    for (let j = 0; j < gates.count; j++) {
      const pi = gates.pi[j]!;
      if (pi <= CORRECTION_OFF) continue;
      const k = gates.active[j]!;
      correctionWeight(pi, cw);
      const pk = cw[0]!;
      const dw = cw[1]!;
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
      // Per coordinate, the same for every feature: target − b, and ∂π/∂y_c = π(c_k,c − c̄_c)/σ².
      for (let c = 0; c < m; c++) {
        residual[c] = (est === 1 ? y[c]! : z[c]!) - gates.mean[c]!;
        dpi[c] = pi * (centers[co + c]! - gates.mean[c]!) * inv2;
      }
      for (let a = 0; a < p; a++) {
        const fa = phi[a]!;
        vals[vo + a] = pk * fa;
        const ro = (k * p + a) * m;
        for (let c = 0; c < m; c++) {
          // ∂φ_a/∂u_c = u_c·φ_a − √(a_c+1)·φ_{a+e_c} (normalised Hermite); 0 where the input is clipped.
          const dphi = clipped[c] === 0 ? u[c]! * fa - raiseScale[c * p + a]! * phi[raise[c * p + a]!]! : 0;
          // ψ·(target − b) − s²·∂_cψ, ψ = w(π)·φ_a, ∂_cψ = w′(π)·∂π/∂y_c·φ_a + w(π)·∂φ_a/σ.
          let r = pk * fa * residual[c]!;
          if (est !== 2) r -= shrink * (dw * dpi[c]! * fa + pk * dphi * inv);
          rhs[ro + c] = rhs[ro + c]! + r;
        }
      }
    }
    if (tiled) kept = A;
    else addRowGram(stats.gram, gatesOf, vals, kept, A, p, P);
  }
  if (tiled) {
    rowStart[R] = kept;
    accumulateGram(stats.gram, s, R, K, p, P);
  }
  stats.rows += rows * nd;
}

/** Smallest block (features per gate) whose Gram is summed per gate pair: below it the pair lists cost more than they save (measured on the public cases' refits, where most levels at large t have p = 1 or 3 and a dozen active gates). */
const TILED_MIN = 6;

/** Adds one row (its active gates in `gatesOf[from..to)`, their features in `vals`) to the Gram's upper triangle in gate-major order: one dense p×p block per pair of active gates (ascending). */
function addRowGram(
  gram: Float64Array,
  gatesOf: Int32Array,
  vals: Float64Array,
  from: number,
  to: number,
  p: number,
  P: number,
): void {
  if (p === 1) {
    for (let j1 = from; j1 < to; j1++) {
      const va = vals[j1]!;
      if (va === 0) continue;
      const go = gatesOf[j1]! * P;
      for (let j2 = j1; j2 < to; j2++) {
        const g = go + gatesOf[j2]!;
        gram[g] = gram[g]! + va * vals[j2]!;
      }
    }
    return;
  }
  if (p === 3) {
    // Degree 1 in 2-D, the usual block at large t: the 3×3 products written out (same sums, same order); the
    // gate's own block (j2 = j1) keeps its upper triangle.
    for (let j1 = from; j1 < to; j1++) {
      const v1 = j1 * 3;
      const x0 = vals[v1]!;
      const x1 = vals[v1 + 1]!;
      const x2 = vals[v1 + 2]!;
      const row = gatesOf[j1]! * 3 * P;
      for (let j2 = j1; j2 < to; j2++) {
        const own = j2 === j1;
        const v2 = j2 * 3;
        const y0 = vals[v2]!;
        const y1 = vals[v2 + 1]!;
        const y2 = vals[v2 + 2]!;
        let h = row + gatesOf[j2]! * 3;
        if (x0 !== 0) {
          gram[h] = gram[h]! + x0 * y0;
          gram[h + 1] = gram[h + 1]! + x0 * y1;
          gram[h + 2] = gram[h + 2]! + x0 * y2;
        }
        h += P;
        if (x1 !== 0) {
          if (!own) gram[h] = gram[h]! + x1 * y0;
          gram[h + 1] = gram[h + 1]! + x1 * y1;
          gram[h + 2] = gram[h + 2]! + x1 * y2;
        }
        h += P;
        if (x2 !== 0) {
          if (!own) {
            gram[h] = gram[h]! + x2 * y0;
            gram[h + 1] = gram[h + 1]! + x2 * y1;
          }
          gram[h + 2] = gram[h + 2]! + x2 * y2;
        }
      }
    }
    return;
  }
  for (let j1 = from; j1 < to; j1++) {
    const b1 = gatesOf[j1]! * p;
    const v1 = j1 * p;
    for (let j2 = j1; j2 < to; j2++) {
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

/**
 * Adds the shard's rows to the Gram's upper triangle in gate-major order: one dense p×p block per pair of active
 * gates. The rows of each gate pair are listed first (in row order), then each block is summed 2×2 entries at a
 * time with the sums held in locals — two loads per product instead of the load, add and store of a rank-1 update
 * per row. Every entry still adds its rows' products one by one in row order, so the sums are bit for bit those
 * of the row-by-row update.
 */
function accumulateGram(gram: Float64Array, s: ShardScratch, R: number, K: number, p: number, P: number): void {
  const { rowStart, gatesOf, pairStart, pairFill } = s;
  pairFill.fill(0);
  let pairs = 0;
  for (let r = 0; r < R; r++) {
    const e = rowStart[r + 1]!;
    for (let j1 = rowStart[r]!; j1 < e; j1++) {
      const q = gatesOf[j1]! * K;
      for (let j2 = j1; j2 < e; j2++) pairFill[q + gatesOf[j2]!]!++;
      pairs += e - j1;
    }
  }
  if (s.off1.length < pairs) {
    s.off1 = new Int32Array(pairs);
    s.off2 = new Int32Array(pairs);
  }
  const { off1, off2 } = s;
  pairStart[0] = 0;
  for (let q = 0; q < K * K; q++) {
    pairStart[q + 1] = pairStart[q]! + pairFill[q]!;
    pairFill[q] = pairStart[q]!;
  }
  for (let r = 0; r < R; r++) {
    const e = rowStart[r + 1]!;
    for (let j1 = rowStart[r]!; j1 < e; j1++) {
      const q = gatesOf[j1]! * K;
      for (let j2 = j1; j2 < e; j2++) {
        const i = pairFill[q + gatesOf[j2]!]!++;
        off1[i] = j1 * p;
        off2[i] = j2 * p;
      }
    }
  }
  const v = s.vals;
  for (let k1 = 0; k1 < K; k1++) {
    for (let k2 = k1; k2 < K; k2++) {
      const q = k1 * K + k2;
      const from = pairStart[q]!;
      const to = pairStart[q + 1]!;
      if (from === to) continue;
      const diag = k1 === k2;
      const go = k1 * p * P + k2 * p;
      for (let a = 0; a < p; a += 2) {
        const a2 = a + 1 < p;
        for (let b = diag ? a : 0; b < p; b += 2) {
          const b2 = b + 1 < p;
          const g = go + a * P + b;
          let c00 = gram[g]!;
          let c01 = b2 ? gram[g + 1]! : 0;
          let c10 = a2 ? gram[g + P]! : 0;
          let c11 = a2 && b2 ? gram[g + P + 1]! : 0;
          for (let i = from; i < to; i++) {
            const o1 = off1[i]! + a;
            const o2 = off2[i]! + b;
            // Past the block's edge (odd p) these read the next features, into sums that are never stored.
            const x0 = v[o1]!;
            const x1 = v[o1 + 1]!;
            const y0 = v[o2]!;
            const y1 = v[o2 + 1]!;
            c00 = c00 + x0 * y0;
            c01 = c01 + x0 * y1;
            c10 = c10 + x1 * y0;
            c11 = c11 + x1 * y1;
          }
          gram[g] = c00;
          if (b2) gram[g + 1] = c01;
          if (a2) {
            if (!diag || b > a) gram[g + P] = c10;
            if (b2) gram[g + P + 1] = c11;
          }
        }
      }
    }
  }
}
