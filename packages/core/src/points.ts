import { Matrix } from "ml-matrix";
import { checkAllocation } from "./allocation.js";
import { MixdiffError } from "./errors.js";

/**
 * A batch of `rows` points in R^`cols`, row-major: element (i, j) is `data[i * cols + j]`. Shape `[rows, cols]`.
 * The one batch type of every mixdiff package; hot loops work on `data` directly.
 */
export interface Points {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** What public functions accept for a batch: a {@link Points}, an array of rows, or an ml-matrix `Matrix`. */
export type PointsLike = Points | readonly (readonly number[])[] | Matrix;

/**
 * A zero-filled batch of shape `[rows, cols]`. Refuses with `RESOURCE_LIMIT`, before allocating, a batch above
 * the 2 GiB limit of one array (`MAX_ARRAY_BYTES`), so V8's bare `RangeError` never escapes.
 *
 * @example
 * ```ts
 * import { createPoints } from "@mixdiff/core";
 * const p = createPoints(3, 2); // p.data.length === 6
 * ```
 */
export function createPoints(rows: number, cols: number): Points {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 1) {
    throw new MixdiffError("INVALID_INPUT", `createPoints: need integer rows ≥ 0 and cols ≥ 1; got ${rows} × ${cols}`);
  }
  checkAllocation("createPoints", `${rows} × ${cols} points`, rows * cols);
  return { data: new Float64Array(rows * cols), rows, cols };
}

/**
 * Wraps an existing row-major `Float64Array` (no copy) after checking its length.
 *
 * @example
 * ```ts
 * import { pointsFrom } from "@mixdiff/core";
 * const p = pointsFrom(new Float64Array([1, 2, 3, 4]), 2); // 2 points in R^2
 * ```
 */
export function pointsFrom(data: Float64Array, cols: number): Points {
  if (!Number.isInteger(cols) || cols < 1 || data.length % cols !== 0) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `pointsFrom: data length ${data.length} is not a multiple of cols = ${cols}`,
    );
  }
  return { data, rows: data.length / cols, cols };
}

/** True when `x` has the shape of a {@link Points}. */
export function isPoints(x: unknown): x is Points {
  return (
    typeof x === "object" &&
    x !== null &&
    (x as Points).data instanceof Float64Array &&
    Number.isInteger((x as Points).rows) &&
    Number.isInteger((x as Points).cols)
  );
}

/**
 * Converts any {@link PointsLike} to a validated {@link Points}, once, at a public boundary.
 * Throws `INVALID_INPUT` for ragged or empty input, `NON_FINITE_INPUT` naming the first bad row
 * and column, and `DIMENSION_MISMATCH` when `expectedCols` is given and differs.
 * A `Points` input is returned as is (after the finiteness check), never copied.
 *
 * @example
 * ```ts
 * import { toPoints } from "@mixdiff/core";
 * const p = toPoints([[0, 1], [2, 3]], { name: "samples" }); // { rows: 2, cols: 2, data: Float64Array [0,1,2,3] }
 * ```
 */
export function toPoints(
  input: PointsLike,
  opts: { name?: string; expectedCols?: number; allowEmpty?: boolean; checkFinite?: boolean } = {},
): Points {
  const name = opts.name ?? "points";
  let p: Points;
  if (isPoints(input)) {
    if (input.data.length !== input.rows * input.cols) {
      throw new MixdiffError(
        "DIMENSION_MISMATCH",
        `${name}: data length ${input.data.length} ≠ rows × cols = ${input.rows} × ${input.cols}`,
      );
    }
    p = input;
  } else if (Matrix.isMatrix(input)) {
    const m = input as Matrix;
    p = { data: Float64Array.from(m.to1DArray()), rows: m.rows, cols: m.columns };
  } else if (Array.isArray(input)) {
    const rows = input.length;
    if (rows === 0) {
      if (opts.allowEmpty && opts.expectedCols) return createPoints(0, opts.expectedCols);
      throw new MixdiffError("INVALID_INPUT", `${name}: expected at least one point; got an empty array`);
    }
    const first = input[0];
    if (!Array.isArray(first)) {
      throw new MixdiffError("INVALID_INPUT", `${name}: row 0 must be an array of numbers`, { row: 0 });
    }
    const cols = first.length;
    if (cols === 0) throw new MixdiffError("INVALID_INPUT", `${name}: row 0 is empty`, { row: 0 });
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = input[i];
      if (!Array.isArray(r) || r.length !== cols) {
        throw new MixdiffError(
          "DIMENSION_MISMATCH",
          `${name}: row ${i} has ${Array.isArray(r) ? r.length : "no"} columns; expected ${cols} (as row 0)`,
          { row: i },
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = r[j];
        if (typeof v !== "number") {
          throw new MixdiffError("INVALID_INPUT", `${name}: row ${i}, column ${j} is not a number`, {
            row: i,
            column: j,
          });
        }
        data[i * cols + j] = v;
      }
    }
    p = { data, rows, cols };
  } else {
    throw new MixdiffError("INVALID_INPUT", `${name}: expected Points, number[][] or a Matrix; got ${typeof input}`);
  }
  if (p.rows === 0 && !opts.allowEmpty) {
    throw new MixdiffError("INVALID_INPUT", `${name}: expected at least one point; got 0 rows`);
  }
  if (opts.expectedCols !== undefined && p.cols !== opts.expectedCols) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `${name}: points have ${p.cols} columns; expected ${opts.expectedCols}`,
      {},
      { expected: opts.expectedCols, actual: p.cols },
    );
  }
  if (opts.checkFinite !== false) assertFinite(p, name);
  return p;
}

/**
 * Throws `NON_FINITE_INPUT` naming the first NaN/±Infinity entry by row and column.
 *
 * @example
 * ```ts
 * import { assertFinite, pointsFrom } from "@mixdiff/core";
 * assertFinite(pointsFrom(new Float64Array([1, 2]), 2), "y"); // ok
 * ```
 */
export function assertFinite(p: Points, name = "points"): void {
  const d = p.data;
  for (let k = 0; k < d.length; k++) {
    if (!Number.isFinite(d[k]!)) {
      const row = Math.floor(k / p.cols);
      const column = k % p.cols;
      throw new MixdiffError(
        "NON_FINITE_INPUT",
        `${name}: row ${row}, column ${column} is ${d[k]}; all values must be finite`,
        { row, column },
      );
    }
  }
}

/**
 * A zero-copy view of row `i` (length `cols`).
 *
 * @example
 * ```ts
 * import { row, toPoints } from "@mixdiff/core";
 * row(toPoints([[1, 2], [3, 4]]), 1); // Float64Array [3, 4]
 * ```
 */
export function row(p: Points, i: number): Float64Array {
  return p.data.subarray(i * p.cols, (i + 1) * p.cols);
}

/**
 * A zero-copy view of rows `[start, end)`.
 *
 * @example
 * ```ts
 * import { sliceRows, toPoints } from "@mixdiff/core";
 * sliceRows(toPoints([[1], [2], [3]]), 1, 3).rows; // 2
 * ```
 */
export function sliceRows(p: Points, start: number, end: number): Points {
  const s = Math.max(0, Math.min(start, p.rows));
  const e = Math.max(s, Math.min(end, p.rows));
  return { data: p.data.subarray(s * p.cols, e * p.cols), rows: e - s, cols: p.cols };
}

/**
 * Converts a batch to an array of plain rows (for JSON, tables and plots).
 *
 * @example
 * ```ts
 * import { toArrays, toPoints } from "@mixdiff/core";
 * toArrays(toPoints([[1, 2]])); // [[1, 2]]
 * ```
 */
export function toArrays(p: Points): number[][] {
  const out: number[][] = new Array(p.rows);
  for (let i = 0; i < p.rows; i++) out[i] = Array.from(row(p, i));
  return out;
}

/**
 * Converts a batch to an ml-matrix `Matrix` (copies).
 *
 * @example
 * ```ts
 * import { toMatrix, toPoints } from "@mixdiff/core";
 * toMatrix(toPoints([[1, 2]])).get(0, 1); // 2
 * ```
 */
export function toMatrix(p: Points): Matrix {
  return Matrix.from1DArray(p.rows, p.cols, p.data);
}
