import { MixdiffError, type Points, toPoints } from "@mixdiff/core";
import { assignNearest } from "./assign-nearest.js";
import type { PiecewiseModel } from "./piecewise-accumulator.js";
import { checkOut, predictRows } from "./predict-polynomial.js";

/**
 * Evaluates a {@link PiecewiseModel} on `x` (`[rows, dim]`) → `[rows, outputs]`: each row by the polynomial of its
 * nearest centre (ties → lowest index). Rows are grouped by cell and evaluated in batches.
 *
 * @example
 * ```ts
 * import { fitPiecewise, predictPiecewise } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const m = fitPiecewise([[-1], [-0.9], [0.9], [1]], [[0], [0], [1], [1]], { centers: [[-1], [1]], scale: 1, degree: 0 });
 * predictPiecewise(m, toPoints([[-2], [2]])).data; // [0, 1]
 * ```
 */
export function predictPiecewise(m: PiecewiseModel, x: Points, out?: Points): Points {
  const xs = toPoints(x, { name: "predictPiecewise: x", expectedCols: m.dim, allowEmpty: true });
  const res = checkOut(out, xs.rows, m.outputs, "predictPiecewise");
  const { order, starts, gathered } = groupByCell(m, xs);
  const q = m.outputs;
  const tmp = new Float64Array(xs.rows * q);
  for (let j = 0; j < m.cells.length; j++) {
    if (starts[j + 1]! > starts[j]!) predictRows(m.cells[j]!, gathered, starts[j]!, starts[j + 1]!, tmp, starts[j]!);
  }
  for (let r = 0; r < xs.rows; r++) {
    const i = order[r]!;
    for (let o = 0; o < q; o++) res.data[i * q + o] = tmp[r * q + o]!;
  }
  return res;
}

/** Rows of `x` sorted by cell (stable): `gathered` row r is `x` row `order[r]`; cell j owns `[starts[j], starts[j+1])`. */
export function groupByCell(
  m: PiecewiseModel,
  x: Points,
): { order: Int32Array; starts: Int32Array; gathered: Float64Array } {
  const k = m.cells.length;
  if (m.centers.length !== k || k === 0) {
    throw new MixdiffError("MODEL_FORMAT", "piecewise model: centers and cells must be non-empty and equally long");
  }
  const dim = m.dim;
  const centers = { data: Float64Array.from(m.centers.flat()), rows: k, cols: dim };
  const cell = assignNearest(x, centers);
  const starts = new Int32Array(k + 1);
  for (let i = 0; i < x.rows; i++) starts[cell[i]! + 1]!++;
  for (let j = 0; j < k; j++) starts[j + 1]! += starts[j]!;
  const fill = starts.slice(0, k);
  const order = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) order[fill[cell[i]!]!++] = i;
  const gathered = new Float64Array(x.rows * dim);
  for (let r = 0; r < x.rows; r++) gathered.set(x.data.subarray(order[r]! * dim, (order[r]! + 1) * dim), r * dim);
  return { order, starts, gathered };
}
