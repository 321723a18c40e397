import { expNonPositive } from "./exp-non-positive.js";
import { blockCount, type EmSums, type FitData, type Pool, type Steps } from "./fit-tasks.js";

/** Points of each pool used by {@link selectAtoms} at most (EM and log-likelihoods are O(rows·K) per pass). */
const MAX_ROWS = 6000;
/** Atoms tried per round by each of the two criteria of `suspects`. */
const SUSPECTS = 3;
/** Cap on the EM steps of {@link converge} (a continuous Q0 converges slowly and gains little). */
const MAX_EM_STEPS = 500;
/**
 * {@link converge} stops after two SQUAREM cycles in a row (three EM steps each) that each move the atoms by less
 * than this fraction of their own standard error. A cycle that raises the total log-likelihood Σ_i ln p(x_i) by δ
 * nats moves the D = K(m+1) parameters by √(2δ) in the Fisher metric (the likelihood-ratio statistic 2δ is the
 * squared Mahalanobis length of the move), while the fit's own error has length about √D (χ²_D): a cycle is quiet
 * when `δ < QUIET_MOVE²·D/2` = 0.00045·D nats (0.01 for 7 atoms in 2-D, 0.032 for 24). On a continuous Q0 the atoms
 * creep along a flat ridge of the likelihood: a circle2d draw of 20 000 points gained 0.019 → 0.013 nats per cycle
 * for 160 cycles and ran the 500-step cap under a fixed 0.01 (8 s of a 14 s fit) for a few nats of the ~D/2 = 36
 * that separate a fit from the truth. A tenth of the error (0.005·D nats) stopped that draw in 9 cycles but left
 * disks2d's atoms short enough to raise its true score error by a third (QUALITY.md's oracle check, 0.0022 →
 * 0.0029); 3 % keeps it (0.0022) and stops the circle draw in 11. Measured on atoms on a circle in
 * select-atoms.test.ts.
 */
export const QUIET_MOVE = 0.03;
/** EM steps after each removal. */
const EM_STEPS = 4;

/**
 * Backward selection of the atoms of the mixture base at t = 0, by the error of the score they give: for the
 * base b (the atoms' posterior mean, σ = σ0), `E|b − f|² = E[|b(x) − x|² + 2σ0²(∇·b(x) − m)] + const` (second-order
 * Tweedie: no unknown target), so the per-point value `|b − x|² + 2σ0²(∇·b − m)` on held-out points compares two
 * atom sets without noise from a target. Starting from the atoms the descent ended with (Algorithm 2's covers
 * over-split on purpose), each round tries removing the suspects — EM on the regression pool with the rest — and
 * keeps the removal that raises the loss least, while that rise is within one standard error of the paired
 * per-point differences against the full set (the one-standard-error rule: a spurious atom only adds variance; a
 * continuous Q0 keeps the atoms its score needs). With `k` (an upper bound on the components) atoms are removed
 * until at most k remain, the least harmful first. Returns centres `[K, m]` and weights (internal).
 */
export function* selectAtoms(o: {
  centers: Float64Array;
  mass: Float64Array;
  m: number;
  sigma0: number;
  alphaMin: number;
  /** Upper bound on the number of components (the `k` option): beyond it every atom is a suspect. */
  k?: number | undefined;
}): Steps<{ centers: Float64Array; mass: Float64Array }> {
  const { m } = o;
  const s2 = o.sigma0 * o.sigma0;
  // Each round's trials are independent: one map whose block b is removal b, run wherever the blocks run.
  const trials = (centers: Float64Array, mass: Float64Array, removals: number[]) =>
    ({
      task: "trials",
      input: { centers, mass, m, s2, removals: Int32Array.from(removals) },
      blocks: removals.length,
    }) as const;
  // The full set gets the same EM steps as every trial, so that the comparison is between fitted models.
  const [start] = (yield trials(o.centers, o.mass, [-1])) as Trial[];
  let { centers, mass } = start!;
  const full = start!.loss;
  while (mass.length > 1) {
    let best: { centers: Float64Array; mass: Float64Array; delta: number; se: number } | undefined;
    const over = o.k !== undefined && mass.length > o.k;
    const removals = over ? Array.from(mass, (_, q) => q) : suspects(centers, mass, m, s2, o.alphaMin / 4);
    if (removals.length === 0) break;
    const results = (yield trials(centers, mass, removals)) as Trial[];
    for (const trial of results) {
      const { mean, se } = pairedDifference(full, trial.loss);
      if (!best || mean > best.delta) best = { centers: trial.centers, mass: trial.mass, delta: mean, se };
    }
    // Compared with the full set, not the last accepted one, so that removals cannot drift down step by step;
    // above k the least harmful removal is taken whatever it costs.
    if (!best || (!over && best.delta < -best.se)) break;
    centers = best.centers;
    mass = best.mass;
  }
  return { centers, mass };
}

/**
 * One round of {@link selectAtoms}: the atoms, and the atom each block removes (−1: none).
 *
 * @example
 * ```ts
 * import type { TrialInput } from "@mixdiff/score";
 * const tried = (i: TrialInput) => i.removals.length; // one block per removal
 * ```
 */
export interface TrialInput {
  readonly centers: Float64Array;
  readonly mass: Float64Array;
  readonly m: number;
  /** σ0². */
  readonly s2: number;
  readonly removals: Int32Array;
}

/** A trial: the atoms after the removal and EM, and the base's per-point score-matching loss on held-out points. */
interface Trial {
  readonly centers: Float64Array;
  readonly mass: Float64Array;
  readonly loss: Float64Array;
}

/**
 * Block b of a trials map (internal; `runBlock` calls it): removes atom `removals[b]` (none for −1), runs the EM
 * steps on the head of the regression pool and scores the result on the head of the held-out pool.
 */
export function trialBlock(data: FitData, input: TrialInput, b: number): Trial {
  const { m, s2 } = input;
  const k = input.removals[b]!;
  const c0 = k < 0 ? input.centers : without(input.centers, m, k);
  const w0 = k < 0 ? input.mass : renormalised(input.mass, k);
  const { centers, mass } = em(head(data.pools.reg, m), c0, w0, m, s2);
  return { centers, mass, loss: pointScoreLoss(head(data.pools.held, m), centers, mass, m, s2) };
}

/**
 * The atoms worth trying to remove — a spurious atom splits a component or holds almost no mass: atoms whose
 * nearest neighbour is closer than σ0 (within each other's noise) or whose mass is below α_min/4, at most
 * {@link SUSPECTS} of each kind (the closest and the lightest). Atoms of a continuous Q0 spaced σ0 or more apart
 * are never suspects.
 */
function suspects(c: Float64Array, w: Float64Array, m: number, s2: number, light: number): number[] {
  const K = w.length;
  const near = new Float64Array(K).fill(Infinity);
  for (let a = 0; a < K; a++)
    for (let b = a + 1; b < K; b++) {
      let d = 0;
      for (let j = 0; j < m; j++) d += (c[a * m + j]! - c[b * m + j]!) ** 2;
      near[a] = Math.min(near[a]!, d);
      near[b] = Math.min(near[b]!, d);
    }
  const idx = Array.from({ length: K }, (_, k) => k);
  const lightest = idx
    .filter((k) => w[k]! < light)
    .sort((a, b) => w[a]! - w[b]! || a - b)
    .slice(0, SUSPECTS);
  const crowded = idx
    .filter((k) => near[k]! < s2)
    .sort((a, b) => near[a]! - near[b]! || a - b)
    .slice(0, SUSPECTS);
  return [...new Set([...lightest, ...crowded])].sort((a, b) => a - b);
}

function head(p: Pool, m: number): Pool {
  const rows = Math.min(MAX_ROWS, p.rows);
  return { x: p.x.subarray(0, rows * m), rows };
}

function without(c: Float64Array, m: number, k: number): Float64Array {
  const out = new Float64Array(c.length - m);
  out.set(c.subarray(0, k * m), 0);
  out.set(c.subarray((k + 1) * m), k * m);
  return out;
}

function renormalised(w: Float64Array, k: number): Float64Array {
  const out = new Float64Array(w.length - 1);
  let s = 0;
  for (let j = 0, q = 0; j < w.length; j++) {
    if (j === k) continue;
    out[q++] = w[j]!;
    s += w[j]!;
  }
  for (let j = 0; j < out.length; j++) out[j] = s > 0 ? out[j]! / s : 1 / out.length;
  return out;
}

/**
 * The maximum-likelihood atoms of `x ~ Σ_k w_k N(c_k, σ0²I)` from the given start: EM at the known σ0 on all the
 * points, accelerated by SQUAREM (Varadhan & Roland 2008: two EM steps give r and v, the step
 * `θ0 − 2αr + α²v` with `α = −|r|/|v|` is stabilised by one more EM step and kept only if the likelihood does not
 * fall below the start's; centres and log-weights are the parameters), until the mean log-likelihood gains less than 1e-9 per
 * step — the EM baseline's tolerance — or after 500 EM steps (internal).
 */
export function* converge(o: {
  centers: Float64Array;
  mass: Float64Array;
  /** Points of the map pool "all". */
  rows: number;
  m: number;
  sigma0: number;
  /** Total gain per cycle (nats) below which a cycle is quiet (default `QUIET_MOVE²·D/2`; 0: run to the cap). */
  cycleNats?: number;
}): Steps<{ centers: Float64Array; mass: Float64Array }> {
  const { m } = o;
  const K = o.mass.length;
  const blocks = blockCount(o.rows);
  /** One EM step on all points as a map: the new parameters and the mean log-likelihood of the old ones. */
  function* emStep(
    c: Float64Array,
    w: Float64Array,
  ): Steps<{ centers: Float64Array; mass: Float64Array; logLik: number }> {
    const parts = (yield {
      task: "em",
      pool: "all",
      input: { m, t: 0, sigma0: o.sigma0, centers: c, mass: w, rngKey: "" },
      blocks,
    }) as EmSums[];
    const s0 = new Float64Array(K);
    const s1 = new Float64Array(K * m);
    let ll = 0;
    for (const p of parts) {
      ll += p.ll;
      for (let k = 0; k < K; k++) s0[k] = s0[k]! + p.s0[k]!;
      for (let q = 0; q < K * m; q++) s1[q] = s1[q]! + p.s1[q]!;
    }
    const centers = Float64Array.from(c);
    const mass = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const n = s0[k]!;
      mass[k] = n / o.rows;
      if (n > 0) for (let j = 0; j < m; j++) centers[k * m + j] = s1[k * m + j]! / n;
    }
    return { centers, mass, logLik: ll / o.rows };
  }
  const pack = (c: Float64Array, w: Float64Array) => {
    const th = new Float64Array(K * (m + 1));
    th.set(c, 0);
    for (let k = 0; k < K; k++) th[K * m + k] = Math.log(Math.max(w[k]!, 1e-300));
    return th;
  };
  const unpack = (th: Float64Array) => {
    const c = th.slice(0, K * m);
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, th[K * m + k]!);
    const w = new Float64Array(K);
    let z = 0;
    for (let k = 0; k < K; k++) z += w[k] = Math.exp(th[K * m + k]! - mx);
    for (let k = 0; k < K; k++) w[k] = w[k]! / z;
    return { c, w };
  };
  let cur = { centers: o.centers, mass: o.mass };
  let ll = -Infinity;
  let quiet = 0;
  for (let steps = 0; steps < MAX_EM_STEPS; ) {
    const e1 = yield* emStep(cur.centers, cur.mass);
    const e2 = yield* emStep(e1.centers, e1.mass);
    steps += 2;
    const gain = (e1.logLik - ll) * o.rows; // e1.logLik = LL(cur); total nats
    ll = e1.logLik;
    if (steps > 2 && !(gain > 1e-9 * o.rows)) break;
    // Two quiet cycles in a row, so that one SQUAREM step that stalled cannot end it.
    quiet = gain < (o.cycleNats ?? (QUIET_MOVE * QUIET_MOVE * K * (m + 1)) / 2) ? quiet + 1 : 0;
    if (quiet === 2) break;
    const t0 = pack(cur.centers, cur.mass);
    const t1 = pack(e1.centers, e1.mass);
    const t2 = pack(e2.centers, e2.mass);
    let rr = 0;
    let vv = 0;
    for (let q = 0; q < t0.length; q++) {
      const r = t1[q]! - t0[q]!;
      const v = t2[q]! - t1[q]! - r;
      rr += r * r;
      vv += v * v;
    }
    const alpha = vv > 0 ? Math.min(-1, -Math.sqrt(rr / vv)) : -1;
    const tx = new Float64Array(t0.length);
    for (let q = 0; q < t0.length; q++) {
      const r = t1[q]! - t0[q]!;
      const v = t2[q]! - t1[q]! - r;
      tx[q] = t0[q]! - 2 * alpha * r + alpha * alpha * v;
    }
    const { c, w } = unpack(tx);
    const e3 = yield* emStep(c, w);
    steps += 1;
    // e3.logLik = LL of the extrapolated point: keep its stabilised step unless it lost likelihood against θ0.
    cur = Number.isFinite(e3.logLik) && e3.logLik >= ll ? e3 : e2;
  }
  return { centers: cur.centers, mass: cur.mass };
}

/**
 * `steps` EM steps for the means and weights at the known variance s2; `logLik` is the mean log-likelihood
 * (up to a constant) of the parameters the last step started from.
 */
function em(
  p: Pool,
  c0: Float64Array,
  w0: Float64Array,
  m: number,
  s2: number,
  steps = EM_STEPS,
): { centers: Float64Array; mass: Float64Array; logLik: number } {
  const c = Float64Array.from(c0);
  const w = Float64Array.from(w0);
  const K = w.length;
  const r = new Float64Array(K);
  let logLik = 0;
  for (let step = 0; step < steps; step++) {
    logLik = 0;
    const s0 = new Float64Array(K);
    const s1 = new Float64Array(K * m);
    const lw = Float64Array.from(w, (v) => (v > 0 ? Math.log(v) : -Infinity));
    for (let i = 0; i < p.rows; i++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let d = 0;
        for (let j = 0; j < m; j++) d += (p.x[i * m + j]! - c[k * m + j]!) ** 2;
        const v = lw[k]! - d / (2 * s2);
        r[k] = v;
        if (v > mx) mx = v;
      }
      let z = 0;
      for (let k = 0; k < K; k++) {
        const e = expNonPositive(r[k]! - mx);
        r[k] = e;
        z += e;
      }
      logLik += mx + Math.log(z);
      for (let k = 0; k < K; k++) {
        const q = r[k]! / z;
        s0[k] = s0[k]! + q;
        for (let j = 0; j < m; j++) s1[k * m + j] = s1[k * m + j]! + q * p.x[i * m + j]!;
      }
    }
    for (let k = 0; k < K; k++) {
      const n = s0[k]!;
      w[k] = n / p.rows;
      if (n > 0) for (let j = 0; j < m; j++) c[k * m + j] = s1[k * m + j]! / n;
    }
  }
  return { centers: c, mass: w, logLik: logLik / p.rows };
}

/** Per point `|b(x) − x|² + 2σ²(∇·b(x) − m)` with `∇·b = Σ_k π_k|c_k − b|²/σ²` (the base's score-matching loss). */
function pointScoreLoss(p: Pool, c: Float64Array, w: Float64Array, m: number, s2: number): Float64Array {
  const K = w.length;
  const out = new Float64Array(p.rows);
  const lw = Float64Array.from(w, (v) => (v > 0 ? Math.log(v) : -Infinity));
  const l = new Float64Array(K);
  const b = new Float64Array(m);
  for (let i = 0; i < p.rows; i++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) {
      let d = 0;
      for (let j = 0; j < m; j++) d += (p.x[i * m + j]! - c[k * m + j]!) ** 2;
      const v = lw[k]! - d / (2 * s2);
      l[k] = v;
      if (v > mx) mx = v;
    }
    let z = 0;
    for (let k = 0; k < K; k++) {
      const e = expNonPositive(l[k]! - mx);
      l[k] = e;
      z += e;
    }
    b.fill(0);
    for (let k = 0; k < K; k++) for (let j = 0; j < m; j++) b[j] = b[j]! + (l[k]! / z) * c[k * m + j]!;
    let spread = 0;
    for (let k = 0; k < K; k++) {
      let d = 0;
      for (let j = 0; j < m; j++) d += (c[k * m + j]! - b[j]!) ** 2;
      spread += (l[k]! / z) * d;
    }
    let r = 0;
    for (let j = 0; j < m; j++) r += (b[j]! - p.x[i * m + j]!) ** 2;
    out[i] = r + 2 * s2 * (spread / s2 - m);
  }
  return out;
}

/** Mean of `a − b` per point and its standard error. */
function pairedDifference(a: Float64Array, b: Float64Array): { mean: number; se: number } {
  const n = a.length;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    s += d;
    s2 += d * d;
  }
  const mean = s / n;
  return { mean, se: Math.sqrt(Math.max(0, s2 / n - mean * mean) / Math.max(1, n - 1)) };
}
