import type { ArgSorter, Rng } from "@mixdiff/core";
import { projectionBuffers, projectSorted } from "./project-sorted.js";

// The bootstrap part of slicedWasserstein's standard error (internal): the variance of `mean_θ W_p^p` over the
// draw of the two samples, from multinomial resample counts read along each projection's sorted order.

/** Memory bound for the bootstrap counts (bytes): replicates are processed in blocks of at most this much. */
const MAX_COUNT_BYTES = 1 << 25;

export interface BootstrapInput {
  x: Float64Array;
  y: Float64Array;
  n: number;
  m: number;
  d: number;
  thetas: Float64Array;
  Lb: number;
  L: number;
  B: number;
  p: 1 | 2;
  wpDir: Float64Array;
  rng: Rng;
  sorter: ArgSorter;
}

/** Sums of a per-(replicate, direction) quantity q_{bθ}: over directions per replicate, and per direction over replicates. */
class Moments {
  private readonly rep: Float64Array;
  private readonly dirS: Float64Array;
  private readonly dirSS: Float64Array;
  constructor(
    private readonly B: number,
    private readonly Lb: number,
  ) {
    this.rep = new Float64Array(B);
    this.dirS = new Float64Array(Lb);
    this.dirSS = new Float64Array(Lb);
  }
  add(b: number, l: number, q: number): void {
    this.rep[b] = this.rep[b]! + q;
    this.dirS[l] = this.dirS[l]! + q;
    this.dirSS[l] = this.dirSS[l]! + q * q;
  }
  /** Mean over replicates of the L_b-direction average. */
  mean(): number {
    let s = 0;
    for (let b = 0; b < this.B; b++) s += this.rep[b]!;
    return s / (this.B * this.Lb);
  }
  /** Variance over replicates of the L_b-direction average. */
  varOfAverage(): number {
    let s = 0;
    let ss = 0;
    for (let b = 0; b < this.B; b++) {
      const t = this.rep[b]! / this.Lb;
      s += t;
      ss += t * t;
    }
    return Math.max(0, ss - (s * s) / this.B) / (this.B - 1);
  }
  /** Variance over replicates on one direction, averaged over the directions. */
  meanDirectionVar(): number {
    let v = 0;
    for (let l = 0; l < this.Lb; l++) {
      const s = this.dirS[l]!;
      v += Math.max(0, this.dirSS[l]! - (s * s) / this.B) / (this.B - 1);
    }
    return v / this.Lb;
  }
}

/** Bootstrap variance of `mean_θ W_p^p` over the samples, extrapolated to L directions (see {@link slicedWasserstein}). */
export function bootstrapVariance(a: BootstrapInput): { variance: number; nullMean: number } {
  const { n, m, d, Lb, L, B, p } = a;
  const N = n + m;
  // replicate blocks bound the memory of the counts
  const perReplicate = p === 2 ? 3 * N : N;
  const block = Math.min(B, Math.max(2, Math.floor(MAX_COUNT_BYTES / perReplicate)));
  const cx = new Uint8Array(block * n);
  const cy = new Uint8Array(block * m);
  const cxz = new Uint8Array(p === 2 ? block * N : 0);
  const cyz = new Uint8Array(p === 2 ? block * N : 0);
  const { px, py, ix, iy, xs, ys } = projectionBuffers(n, m);
  const zs = new Float64Array(p === 2 ? N : 0);
  const iz = new Uint32Array(p === 2 ? N : 0);
  // end histograms of the current and the previous replicate (see endHistogram)
  let hx = new Int32Array(n + 1);
  let hy = new Int32Array(m + 1);
  let gx = new Int32Array(n + 1);
  let gy = new Int32Array(m + 1);
  const zx = new Int32Array(p === 2 ? n + 1 : 0);
  const zy = new Int32Array(p === 2 ? m + 1 : 0);
  // p = 2: the linear part 2∫Δ̂D* of the two-sample bootstrap and the pooled (null) bootstrap T₀*;
  // p = 1: the two-sample bootstrap replicate itself
  const lin = new Moments(B, Lb);
  const nul = new Moments(B, Lb);
  // consecutive replicates (b − 1, b) of a block form the correction pairs
  const pSum = new Float64Array(B); // Σ_θ ∫D*_{b−1}D*_b, at b
  const isPair = new Uint8Array(B);
  let p2Dir = 0; // Σ_θ Σ_pairs (∫D*_{b−1}D*_b)²
  // one stream drawn replicate by replicate, so the result does not depend on the block size
  const rng = a.rng.stream("bootstrap");
  for (let b0 = 0; b0 < B; b0 += block) {
    const nb = Math.min(block, B - b0);
    for (let k = 0; k < nb; k++) {
      drawCounts(rng, cx, k * n, n, n);
      drawCounts(rng, cy, k * m, m, m);
      if (p === 2) {
        drawCounts(rng, cxz, k * N, N, n);
        drawCounts(rng, cyz, k * N, N, m);
      }
    }
    for (let l = 0; l < Lb; l++) {
      projectSorted(a.x, n, d, a.thetas, l, px, ix, xs, a.sorter);
      projectSorted(a.y, m, d, a.thetas, l, py, iy, ys, a.sorter);
      if (p === 2) mergeSorted(xs, ix, ys, iy, zs, iz);
      for (let k = 0; k < nb; k++) {
        const b = b0 + k;
        endHistogram(cx, k * n, ix, hx);
        endHistogram(cy, k * m, iy, hy);
        const paired = p === 2 && k > 0;
        const r = replicateTerms(xs, ys, hx, hy, gx, gy, p, paired);
        if (p === 1) lin.add(b, l, r.abs);
        else {
          lin.add(b, l, 2 * r.lin);
          if (paired) {
            pSum[b] = pSum[b]! + r.cross;
            isPair[b] = 1;
            p2Dir += r.cross * r.cross;
          }
          endHistogram(cxz, k * N, iz, zx);
          endHistogram(cyz, k * N, iz, zy);
          nul.add(b, l, pooledReplicate(zs, zx, zy, n, m));
        }
        [hx, gx] = [gx, hx];
        [hy, gy] = [gy, hy];
      }
    }
  }
  let vb: number;
  let v1: number;
  if (p === 1) {
    vb = lin.varOfAverage();
    v1 = lin.meanDirectionVar();
  } else {
    // the linear part's variance less its plug-in inflation 4·E(∫D₁D₂)², floored at 0
    let c = 0;
    let pairs = 0;
    for (let b = 0; b < B; b++) {
      if (isPair[b] === 0) continue;
      c += (pSum[b]! / Lb) ** 2;
      pairs++;
    }
    vb = nul.varOfAverage() + Math.max(0, lin.varOfAverage() - (4 * c) / pairs);
    v1 = nul.meanDirectionVar() + Math.max(0, lin.meanDirectionVar() - (4 * p2Dir) / (pairs * Lb));
  }
  const nullMean = p === 2 ? nul.mean() : 0;
  if (Lb === 1 || d === 1) return { variance: vb, nullMean };
  // from the L_b-direction average to L directions through the mean off-direction covariance
  const cov = (Lb * vb - v1) / (Lb - 1);
  return { variance: Math.max(0, cov + (v1 - cov) / L), nullMean };
}

/** Merges two sorted samples into `zs`, with pooled ids (x rows 0..n−1, then y rows n..n+m−1) in `iz`. */
function mergeSorted(
  xs: Float64Array,
  ix: Uint32Array,
  ys: Float64Array,
  iy: Uint32Array,
  zs: Float64Array,
  iz: Uint32Array,
): void {
  const n = xs.length;
  const m = ys.length;
  let i = 0;
  let j = 0;
  for (let k = 0; k < n + m; k++) {
    if (j >= m || (i < n && xs[i]! <= ys[j]!)) {
      zs[k] = xs[i]!;
      iz[k] = ix[i]!;
      i++;
    } else {
      zs[k] = ys[j]!;
      iz[k] = n + iy[j]!;
      j++;
    }
  }
}

/** `W₂²` between the resamples x* (n draws) and y* (m draws) of the pooled sorted sample `zs`, given their end histograms. */
function pooledReplicate(zs: Float64Array, hx: Int32Array, hy: Int32Array, n: number, m: number): number {
  let acc = 0;
  let sx = 0;
  let sy = 0;
  if (n === m) {
    for (let i = 0; i < n; i++) {
      sx += hx[i]!;
      sy += hy[i]!;
      const diff = zs[sx]! - zs[sy]!;
      acc += diff * diff;
    }
    return acc / n;
  }
  let i = 0;
  let j = 0;
  let cur = 0;
  sx = hx[0]!;
  sy = hy[0]!;
  while (i < n && j < m) {
    const ni = (i + 1) * m;
    const nj = (j + 1) * n;
    const next = Math.min(ni, nj);
    const diff = zs[sx]! - zs[sy]!;
    acc += (next - cur) * diff * diff;
    cur = next;
    if (ni === next) sx += hx[++i]!;
    if (nj === next) sy += hy[++j]!;
  }
  return acc / (n * m);
}

/** Multinomial(draws, uniform over `size`) counts of a with-replacement resample into `out[offset .. offset+size)`. */
function drawCounts(rng: Rng, out: Uint8Array, offset: number, size: number, draws: number): void {
  out.fill(0, offset, offset + size);
  for (let k = 0; k < draws; k++) {
    let i = offset + Math.floor(rng.uniform() * size);
    // a count of 255 has probability < 10^-500; redraw rather than overflow the byte
    while (out[i]! === 255) i = offset + Math.floor(rng.uniform() * size);
    out[i] = out[i]! + 1;
  }
}

/**
 * Encodes a resample along the sorted order: with `c_k` the count of the point at sorted position k and
 * `e_k = c_0 + … + c_k`, writes `h[e] = #{k : e_k = e}`, so that the resample's order statistic at position `q` is
 * the sample's at `h[0] + … + h[q]` (branch-free, unlike expanding the counts).
 */
function endHistogram(counts: Uint8Array, offset: number, idx: Uint32Array, h: Int32Array): void {
  const rows = idx.length;
  h.fill(0);
  let cum = 0;
  for (let k = 0; k < rows; k++) {
    cum += counts[offset + idx[k]!]!;
    h[cum] = h[cum]! + 1;
  }
}

/**
 * On the merged quantile grid of two sorted samples, with the resample fluctuation `D* = (x*_(·) − x_(·)) −
 * (y*_(·) − y_(·))` given by the end histograms `hx`, `hy` (and the previous replicate's `gx`, `gy`):
 * `lin = ∫Δ̂D*`, `quad = ∫D*²`, `abs = ∫|Δ̂ + D*|`, `cross = ∫D*·D*_prev` (when `paired`).
 */
function replicateTerms(
  xs: Float64Array,
  ys: Float64Array,
  hx: Int32Array,
  hy: Int32Array,
  gx: Int32Array,
  gy: Int32Array,
  p: 1 | 2,
  paired: boolean,
): { lin: number; quad: number; abs: number; cross: number } {
  const n = xs.length;
  const m = ys.length;
  let lin = 0;
  let quad = 0;
  let abs = 0;
  let cross = 0;
  let sx = 0;
  let sy = 0;
  let tx = 0;
  let ty = 0;
  if (n === m) {
    for (let i = 0; i < n; i++) {
      sx += hx[i]!;
      sy += hy[i]!;
      const a = xs[i]!;
      const b = ys[i]!;
      const delta = a - b;
      const f = xs[sx]! - a - (ys[sy]! - b);
      if (p === 2) {
        lin += delta * f;
        quad += f * f;
        if (paired) {
          tx += gx[i]!;
          ty += gy[i]!;
          cross += f * (xs[tx]! - a - (ys[ty]! - b));
        }
      } else abs += Math.abs(delta + f);
    }
    return { lin: lin / n, quad: quad / n, abs: abs / n, cross: cross / n };
  }
  // breakpoints i/n and j/m compared exactly on the common denominator n·m (as in wassersteinSorted)
  let i = 0;
  let j = 0;
  let cur = 0;
  sx = hx[0]!;
  sy = hy[0]!;
  tx = gx[0]!;
  ty = gy[0]!;
  while (i < n && j < m) {
    const ni = (i + 1) * m;
    const nj = (j + 1) * n;
    const next = Math.min(ni, nj);
    const len = next - cur;
    const a = xs[i]!;
    const b = ys[j]!;
    const delta = a - b;
    const f = xs[sx]! - a - (ys[sy]! - b);
    if (p === 2) {
      lin += len * delta * f;
      quad += len * f * f;
      if (paired) cross += len * f * (xs[tx]! - a - (ys[ty]! - b));
    } else abs += len * Math.abs(delta + f);
    cur = next;
    if (ni === next) {
      i++;
      sx += hx[i]!;
      tx += gx[i]!;
    }
    if (nj === next) {
      j++;
      sy += hy[j]!;
      ty += gy[j]!;
    }
  }
  const nm = n * m;
  return { lin: lin / nm, quad: quad / nm, abs: abs / nm, cross: cross / nm };
}
