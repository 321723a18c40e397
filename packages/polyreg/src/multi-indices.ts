import { MixdiffError } from "@mixdiff/core";
import { featureCount } from "./feature-count.js";

/**
 * Largest degree a basis supports (exponents are stored as bytes).
 *
 * @example
 * ```ts
 * import { MAX_DEGREE } from "@mixdiff/polyreg";
 * MAX_DEGREE; // 255
 * ```
 */
export const MAX_DEGREE = 255;

/**
 * All multi-indices of total degree ≤ `d` in `m` variables, as a row-major `Uint8Array` of shape `[p, m]`
 * with `p = featureCount(m, d)`, in **graded lexicographic order**: total degree 0, 1, …, d; within one total
 * degree, lexicographically *descending* (the first variable's exponent largest first). For m = 2, d = 2:
 * `1, x₁, x₂, x₁², x₁x₂, x₂²`. Because the order is graded, the multi-indices of degree ≤ d′ are a prefix, so a
 * lower-degree fit uses the leading sub-block of the Gram matrix.
 *
 * Throws `RESOURCE_LIMIT` when the table would exceed `maxBytes` (default 2^30).
 *
 * @example
 * ```ts
 * import { multiIndices } from "@mixdiff/polyreg";
 * multiIndices(2, 2); // Uint8Array [0,0, 1,0, 0,1, 2,0, 1,1, 0,2]
 * ```
 */
export function multiIndices(m: number, d: number, opts: { maxBytes?: number } = {}): Uint8Array {
  const p = featureCount(m, d);
  if (d > MAX_DEGREE) {
    throw new MixdiffError("INVALID_OPTION", `multiIndices: d must be ≤ ${MAX_DEGREE}; got ${d}`, { path: "d" });
  }
  const bytes = p * m;
  const maxBytes = opts.maxBytes ?? 2 ** 30;
  if (bytes > maxBytes) {
    throw new MixdiffError(
      "RESOURCE_LIMIT",
      `multiIndices: ${p} multi-indices × ${m} variables need ${bytes} bytes; the limit is ${maxBytes}`,
      {},
      { estimate: bytes, limit: maxBytes },
    );
  }
  const out = new Uint8Array(bytes);
  const cur = new Uint8Array(m);
  let f = 0;
  // Writes every composition of `rest` into positions j.. of `cur`, first exponent largest first.
  const fill = (j: number, rest: number): void => {
    if (j === m - 1) {
      cur[j] = rest;
      out.set(cur, f * m);
      f++;
      return;
    }
    for (let e = rest; e >= 0; e--) {
      cur[j] = e;
      fill(j + 1, rest - e);
    }
    cur[j] = 0;
  };
  for (let k = 0; k <= d; k++) fill(0, k);
  return out;
}
