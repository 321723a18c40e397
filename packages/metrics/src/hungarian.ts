import { MixdiffError } from "@mixdiff/core";

/**
 * Minimum-cost assignment (Hungarian algorithm with potentials, O(n² m) for n ≤ m) for a row-major cost matrix
 * `cost` `[n, m]`. Returns `assignment` of length n: the column assigned to each row, or −1 for the `n − m`
 * rows left unassigned when n > m. Every column is used at most once and the total cost is minimal
 * (the same optimum as `scipy.optimize.linear_sum_assignment`). Throws `DIMENSION_MISMATCH` when
 * `cost.length ≠ n·m`, `NON_FINITE_INPUT` for a NaN/±Infinity cost.
 *
 * @example
 * ```ts
 * import { hungarian } from "@mixdiff/metrics";
 * hungarian(new Float64Array([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3, 3); // Int32Array [1, 0, 2] (cost 5)
 * ```
 */
export function hungarian(cost: Float64Array, n: number, m: number): Int32Array {
  const fn = "hungarian";
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0 || cost.length !== n * m) {
    throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: cost has length ${cost.length}; expected n × m = ${n} × ${m}`);
  }
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k]!)) {
      throw new MixdiffError(
        "NON_FINITE_INPUT",
        `${fn}: cost at row ${Math.floor(k / m)}, column ${k % m} is ${cost[k]}; all costs must be finite`,
        { row: Math.floor(k / m), column: k % m },
      );
    }
  }
  if (n === 0) return new Int32Array(0);
  if (n <= m) return solve(cost, n, m, false);
  // more rows than columns: solve the transpose and invert
  const colToRow = solve(cost, m, n, true);
  const out = new Int32Array(n).fill(-1);
  for (let j = 0; j < m; j++) out[colToRow[j]!] = j;
  return out;
}

/** e-maxx Hungarian for rows ≤ cols; `transposed` reads cost[j, i] instead of cost[i, j]. */
function solve(cost: Float64Array, rows: number, cols: number, transposed: boolean): Int32Array {
  const at = transposed ? (i: number, j: number) => cost[j * rows + i]! : (i: number, j: number) => cost[i * cols + j]!;
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const p = new Int32Array(cols + 1); // p[j]: row (1-based) matched to column j; p[0] the row being inserted
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j]! > 0) out[p[j]! - 1] = j - 1;
  return out;
}
