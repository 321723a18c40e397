const cache = new Map<number, { nodes: Float64Array; weights: Float64Array }>();

/**
 * Gauss–Legendre nodes and weights on [−1, 1] (n points, exact for polynomials of degree ≤ 2n − 1), by
 * Newton's method on P_n from Tricomi's initial guesses; nodes ascending. Cached per n; do not mutate.
 *
 * @example
 * ```ts
 * import { gaussLegendre } from "@mixdiff/mixtures";
 * const { nodes, weights } = gaussLegendre(8);
 * let s = 0;
 * for (let i = 0; i < 8; i++) s += weights[i]! * Math.exp(nodes[i]!); // ≈ e − 1/e
 * ```
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const hit = cache.get(n);
  if (hit) return hit;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      if (n === 1) p0 = 1;
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    let p0 = 1;
    let p1 = x;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = n === 1 ? 1 : (n * (x * p1 - p0)) / (x * x - 1);
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  if (n % 2 === 1) nodes[(n - 1) / 2] = 0;
  const r = { nodes, weights };
  cache.set(n, r);
  return r;
}
