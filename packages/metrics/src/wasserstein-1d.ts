import { MixdiffError } from "@mixdiff/core";

/**
 * Exact p-Wasserstein distance between two 1-D empirical distributions (equal weights per point; the sizes
 * may differ): `W_p = (∫₀¹ |F⁻¹(u) − G⁻¹(u)|^p du)^{1/p}`, computed by merging the sorted samples
 * (O((n+m) log(n+m))). Symmetric; 0 for equal multisets. Matches `scipy.stats.wasserstein_distance` for p = 1.
 * Throws `INVALID_INPUT` for an empty input, `NON_FINITE_INPUT` for NaN/±Infinity, `INVALID_OPTION` for p ∉ {1, 2}.
 *
 * @example
 * ```ts
 * import { wasserstein1d } from "@mixdiff/metrics";
 * wasserstein1d([0, 1, 3], [5, 6, 8]); // 5 (a shift)
 * wasserstein1d([0, 2], [1], { p: 2 }); // 1
 * ```
 */
export function wasserstein1d(a: ArrayLike<number>, b: ArrayLike<number>, o: { p?: 1 | 2 } = {}): number {
  const fn = "wasserstein1d";
  const p = o.p ?? 1;
  if (p !== 1 && p !== 2) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: p must be 1 or 2; got ${String(p)}`, { path: "p" });
  }
  const sa = sortedCopy(a, fn, "a");
  const sb = sortedCopy(b, fn, "b");
  return wassersteinSorted(sa, sb, p);
}

function sortedCopy(v: ArrayLike<number>, fn: string, name: string): Float64Array {
  if (v === null || typeof v !== "object" || typeof v.length !== "number" || v.length === 0) {
    throw new MixdiffError("INVALID_INPUT", `${fn}: ${name} must be a non-empty array of numbers`);
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new MixdiffError("NON_FINITE_INPUT", `${fn}: ${name}[${i}] is ${String(x)}; all values must be finite`, {
        row: i,
      });
    }
    out[i] = x;
  }
  return out.sort();
}

/**
 * `W_p` between two *sorted* 1-D samples (no validation; used by {@link wasserstein1d} and the sliced distance).
 *
 * @example
 * ```ts
 * import { wassersteinSorted } from "@mixdiff/metrics";
 * wassersteinSorted(new Float64Array([0, 1]), new Float64Array([1, 2]), 1); // 1
 * ```
 */
export function wassersteinSorted(a: Float64Array, b: Float64Array, p: 1 | 2): number {
  const n = a.length;
  const m = b.length;
  // breakpoints i/n and j/m compared exactly on the common denominator n·m
  let i = 0;
  let j = 0;
  let cur = 0;
  let acc = 0;
  while (i < n && j < m) {
    const ni = (i + 1) * m;
    const nj = (j + 1) * n;
    const next = Math.min(ni, nj);
    const diff = Math.abs(a[i]! - b[j]!);
    acc += (next - cur) * (p === 1 ? diff : diff * diff);
    cur = next;
    if (ni === next) i++;
    if (nj === next) j++;
  }
  const wp = acc / (n * m);
  return p === 1 ? wp : Math.sqrt(wp);
}
