import { checkNumber, MixdiffError } from "@mixdiff/core";

/**
 * The number of multi-indices of total degree ≤ `d` in `m` variables, `C(m + d, d)`: the size of a
 * polynomial basis. Computed exactly with integer (BigInt) arithmetic, so it never overflows silently;
 * throws `RESOURCE_LIMIT` when the count exceeds 2^53 − 1 and `INVALID_OPTION` for a bad `m` or `d`.
 *
 * @example
 * ```ts
 * import { featureCount } from "@mixdiff/polyreg";
 * featureCount(2, 8); // 45
 * featureCount(4, 5); // 126
 * ```
 */
export function featureCount(m: number, d: number): number {
  checkNumber(m, "featureCount", "m", { min: 1, integer: true });
  checkNumber(d, "featureCount", "d", { min: 0, integer: true });
  const k = Math.min(m, d);
  const n = m + d;
  let c = 1n;
  for (let i = 1; i <= k; i++) {
    // c = C(n - k + i, i) stays an integer at every step.
    c = (c * BigInt(n - k + i)) / BigInt(i);
    if (c > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MixdiffError(
        "RESOURCE_LIMIT",
        `featureCount: C(${m} + ${d}, ${d}) exceeds 2^53 − 1 features`,
        {},
        { m, d, estimate: Number.POSITIVE_INFINITY },
      );
    }
  }
  return Number(c);
}
