import { checkNumber, MixdiffError, type Points, type PointsLike } from "@mixdiff/core";
import { twoSamples } from "./two-samples.js";
import type { Estimate } from "./types.js";

/** Options of {@link histogramTV}. */
export interface HistogramTVOptions {
  /** Bins per axis (default `max(2, round(min(n, m)^{1/(2d)}))`, i.e. about √min(n, m) cells in all). */
  bins?: number;
  /** `[lo, hi]` per axis (default: the pooled min and max). Points outside fall into one overflow cell. */
  range?: [number, number][];
}

/** The result of {@link histogramTV}. */
export type HistogramTVEstimate = Estimate & { bias: number };

/**
 * Total variation between the histograms of `x` `[n, d]` and `y` `[m, d]` on a regular grid, d ∈ {1, 2}:
 * `½ Σ_cells |x_c/n − y_c/m|` (bins are half-open `[lo + iw, lo + (i+1)w)`, the last one closed, as numpy's
 * `histogram`; points outside `range` share one extra cell).
 *
 * **Finite-sample bias.** Binning can only lower TV (coarse-graining), but sampling noise raises it: even for
 * P = Q the expected value is about `bias = ½ Σ_c √(2/π · r_c(1−r_c)(1/n + 1/m))` with `r_c` the pooled cell
 * frequency (the mean of |N(0, v_c)|). `bias` is returned; `value − bias` is a rough debiased figure, and a
 * `value` within a few standard errors of `bias` is consistent with P = Q.
 * `standardError`: delta method with the signs of `x_c/n − y_c/m` held fixed (multinomial variances).
 *
 * Throws `INVALID_INPUT` for d > 2, `INVALID_OPTION` for a bad `bins` or `range`.
 *
 * @example
 * ```ts
 * import { histogramTV } from "@mixdiff/metrics";
 * const r = histogramTV([[0.1], [0.2], [0.7]], [[0.6], [0.8], [0.9]], { bins: 2, range: [[0, 1]] });
 * // cells [0, .5), [.5, 1]: x = (2/3, 1/3), y = (0, 1) → value = 2/3
 * ```
 */
export function histogramTV(xIn: PointsLike, yIn: PointsLike, o: HistogramTVOptions = {}): HistogramTVEstimate {
  const fn = "histogramTV";
  const { x, y } = twoSamples(xIn, yIn, fn, 1);
  const d = x.cols;
  if (d > 2) {
    throw new MixdiffError("INVALID_INPUT", `${fn}: histograms are supported in 1 or 2 dimensions; got ${d}`);
  }
  const n = x.rows;
  const m = y.rows;
  const bins =
    o.bins === undefined
      ? Math.max(2, Math.round(Math.min(n, m) ** (1 / (2 * d))))
      : checkNumber(o.bins, fn, "bins", { min: 1, max: 4096, integer: true });
  const lo = new Float64Array(d);
  const hi = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    if (o.range !== undefined) {
      const r = o.range[c];
      if (!Array.isArray(r) || r.length !== 2 || !(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
        throw new MixdiffError(
          "INVALID_OPTION",
          `${fn}: range[${c}] must be [lo, hi] with finite lo < hi (one pair per dimension, ${d} in all)`,
          { path: `range[${c}]` },
        );
      }
      lo[c] = r[0];
      hi[c] = r[1];
    } else {
      let a = Infinity;
      let b = -Infinity;
      for (const p of [x, y]) {
        for (let i = 0; i < p.rows; i++) {
          const v = p.data[i * d + c]!;
          if (v < a) a = v;
          if (v > b) b = v;
        }
      }
      if (a === b) {
        a -= 0.5;
        b += 0.5;
      }
      lo[c] = a;
      hi[c] = b;
    }
  }
  const cells = bins ** d;
  const cx = count(x, bins, lo, hi, cells);
  const cy = count(y, bins, lo, hi, cells);
  let tv = 0;
  let bias = 0;
  let sp = 0;
  let sp2 = 0;
  let sq = 0;
  let sq2 = 0;
  for (let c = 0; c <= cells; c++) {
    const p = cx[c]! / n;
    const q = cy[c]! / m;
    tv += Math.abs(p - q);
    const r = (cx[c]! + cy[c]!) / (n + m);
    bias += Math.sqrt((2 / Math.PI) * r * (1 - r) * (1 / n + 1 / m));
    const s = Math.sign(p - q);
    sp += s * p;
    sp2 += s * s * p;
    sq += s * q;
    sq2 += s * s * q;
  }
  const value = tv / 2;
  const variance = 0.25 * ((sp2 - sp * sp) / n + (sq2 - sq * sq) / m);
  return {
    value,
    standardError: Math.sqrt(Math.max(0, variance)),
    bias: bias / 2,
    n,
    m,
    subsampled: false,
    details: {
      bins,
      range: Array.from({ length: d }, (_, c) => [lo[c], hi[c]]),
      outsideX: cx[cells]! / n,
      outsideY: cy[cells]! / m,
    },
  };
}

/** Cell counts; index `cells` is the overflow cell. */
function count(p: Points, bins: number, lo: Float64Array, hi: Float64Array, cells: number): Float64Array {
  const d = p.cols;
  const out = new Float64Array(cells + 1);
  for (let i = 0; i < p.rows; i++) {
    let cell = 0;
    let outside = false;
    for (let c = 0; c < d; c++) {
      const v = p.data[i * d + c]!;
      const a = lo[c]!;
      const b = hi[c]!;
      if (v < a || v > b) {
        outside = true;
        break;
      }
      let k = Math.floor(((v - a) / (b - a)) * bins);
      if (k >= bins) k = bins - 1;
      cell = cell * bins + k;
    }
    out[outside ? cells : cell]! += 1;
  }
  return out;
}
