import { checkNumber, checkOneOf, MixdiffError, type Points, toPoints } from "@mixdiff/core";
import { assignNearest } from "./assign-nearest.js";
import { BASIS_KINDS, type BasisKind } from "./bases.js";
import { type Basis, createBasis } from "./create-basis.js";
import { featureCount } from "./feature-count.js";
import { MAX_DEGREE } from "./multi-indices.js";
import {
  createNormalEquations,
  type NormalEquations,
  type NormalEquationsState,
  normalEquationsFromState,
} from "./normal-equations.js";
import { type PolynomialModel, plain } from "./polynomial-model.js";
import { solveRidge } from "./solve-ridge.js";

/**
 * A piecewise polynomial on the Voronoi cells of `centers`: row x is predicted by `cells[assignNearest(x)]`.
 * Plain JSON data (see {@link piecewiseFromJSON}).
 *
 * @example
 * ```ts
 * import { fitPiecewise, type PiecewiseModel } from "@mixdiff/polyreg";
 * const m: PiecewiseModel = fitPiecewise([[-1], [-0.5], [0.5], [1]], [[0], [0], [1], [1]],
 *   { centers: [[-1], [1]], scale: 1, degree: 0 });
 * ```
 */
export interface PiecewiseModel {
  kind: "piecewise";
  version: 1;
  dim: number;
  outputs: number;
  /** Cell centres `[k][dim]`. */
  centers: number[][];
  /** One polynomial per cell, centred at its centre. */
  cells: PolynomialModel[];
}

/**
 * Options of {@link PiecewiseAccumulator.finish}.
 *
 * @example
 * ```ts
 * import type { PiecewiseFinishOptions } from "@mixdiff/polyreg";
 * const o: PiecewiseFinishOptions = { ridge: 1e-8, minRowsPerFeature: 5 };
 * ```
 */
export interface PiecewiseFinishOptions {
  /** Ridge λ per row for every cell (default 0; a singular cell then gets Cholesky's jitter). */
  ridge?: number;
  /**
   * A cell with fewer than `minRowsPerFeature · p(d)` rows drops to the largest degree d′ ≤ degree with
   * enough rows, down to 0 (default 5). A non-empty cell always gets at least degree 0 (its mean).
   */
  minRowsPerFeature?: number;
  /**
   * Constant output (length `outputs`) for a cell with no rows. Default: the cell's own centre when
   * `outputs === dim` (the posterior-mean fallback: f(y) ≈ the nearest warm start), zeros otherwise.
   */
  emptyCell?: (j: number) => Float64Array | number[];
}

/**
 * Streaming per-cell regression: rows are assigned to cells, standardised per cell and accumulated into one
 * {@link NormalEquations} per cell. Memory O(k·(p² + 256·p)), independent of the number of rows. Any chunking of
 * `add` gives identical bytes (each cell sees its rows in row order); `merge` appends another accumulator's
 * rows (deterministic for fixed shards merged in a fixed order).
 *
 * @example
 * ```ts
 * import { createPiecewiseAccumulator } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const acc = createPiecewiseAccumulator({ centers: toPoints([[-1], [1]]), scale: 1, degree: 1, outputs: 1 });
 * acc.add(toPoints([[-1.2], [-0.8], [0.9], [1.1], [1.3]]), toPoints([[0], [0], [1], [1], [1]]));
 * const model = acc.finish({ minRowsPerFeature: 1 });
 * ```
 */
export interface PiecewiseAccumulator {
  /** Rows per cell so far. */
  readonly counts: Int32Array;
  /** Streams a chunk: assigns cells (or uses `cells`), standardises, tracks each cell's box, accumulates. */
  add(x: Points, z: Points, cells?: Int32Array): void;
  /** Appends another accumulator's rows (same centres, scale, degree, basis and outputs). */
  merge(other: PiecewiseAccumulator): void;
  /** Solves every cell. */
  finish(o?: PiecewiseFinishOptions): PiecewiseModel;
  /** A structured-cloneable snapshot (for worker transfer); restore with {@link piecewiseAccumulatorFromState}. */
  state(): PiecewiseAccumulatorState;
}

/**
 * Plain snapshot of a {@link PiecewiseAccumulator} (typed arrays and numbers only).
 *
 * @example
 * ```ts
 * import { createPiecewiseAccumulator, piecewiseAccumulatorFromState } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const acc = createPiecewiseAccumulator({ centers: toPoints([[0]]), scale: 1, degree: 2, outputs: 1 });
 * const copy = piecewiseAccumulatorFromState(acc.state()); // e.g. after postMessage from a worker
 * ```
 */
export interface PiecewiseAccumulatorState {
  readonly centers: Float64Array;
  readonly dim: number;
  readonly scale: number;
  readonly degree: number;
  readonly basis: BasisKind;
  readonly outputs: number;
  readonly counts: Int32Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly cells: (NormalEquationsState | null)[];
}

/**
 * Restores a {@link PiecewiseAccumulator} from {@link PiecewiseAccumulator.state} (validates shapes).
 *
 * @example
 * ```ts
 * import { createPiecewiseAccumulator, piecewiseAccumulatorFromState } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const acc = createPiecewiseAccumulator({ centers: toPoints([[0], [1]]), scale: 1, degree: 1, outputs: 1 });
 * const total = piecewiseAccumulatorFromState(acc.state());
 * total.merge(acc);
 * ```
 */
export function piecewiseAccumulatorFromState(s: PiecewiseAccumulatorState): PiecewiseAccumulator {
  const fn = "piecewiseAccumulatorFromState";
  if (!(s.centers instanceof Float64Array) || !Number.isInteger(s.dim) || s.dim < 1 || s.centers.length % s.dim !== 0) {
    throw new MixdiffError("INVALID_INPUT", `${fn}: centers must be a Float64Array of k × dim values`);
  }
  const acc = createPiecewiseAccumulator({
    centers: { data: s.centers, rows: s.centers.length / s.dim, cols: s.dim },
    scale: s.scale,
    degree: s.degree,
    basis: s.basis,
    outputs: s.outputs,
  }) as Accumulator;
  const k = acc.counts.length;
  if (
    s.counts?.length !== k ||
    s.lower?.length !== k * s.dim ||
    s.upper?.length !== k * s.dim ||
    !Array.isArray(s.cells) ||
    s.cells.length !== k
  ) {
    throw new MixdiffError("INVALID_INPUT", `${fn}: state arrays do not match ${k} cells`);
  }
  acc.counts.set(s.counts);
  acc.lower.set(s.lower);
  acc.upper.set(s.upper);
  for (let j = 0; j < k; j++) {
    const c = s.cells[j];
    if (c) {
      if (c.size !== acc.basis.size || c.outputs !== acc.outputs) {
        throw new MixdiffError("INVALID_INPUT", `${fn}: cell ${j} has the wrong size`);
      }
      acc.nes[j] = normalEquationsFromState(c);
    }
  }
  return acc;
}

/**
 * Creates a {@link PiecewiseAccumulator} for cells centred at `centers` (`[k, dim]`) with a common `scale`.
 *
 * @example
 * ```ts
 * import { createPiecewiseAccumulator } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const acc = createPiecewiseAccumulator({ centers: toPoints([[0, 0], [3, 3]]), scale: 1, degree: 3, outputs: 2 });
 * ```
 */
export function createPiecewiseAccumulator(o: {
  centers: Points;
  scale: number;
  degree: number;
  basis?: BasisKind;
  outputs: number;
}): PiecewiseAccumulator {
  const fn = "createPiecewiseAccumulator";
  const centers = toPoints(o.centers, { name: `${fn}: centers` });
  const scale = checkNumber(o.scale, fn, "scale", { min: 0, exclusiveMin: true });
  const degree = checkNumber(o.degree, fn, "degree", { min: 0, max: MAX_DEGREE, integer: true });
  const outputs = checkNumber(o.outputs, fn, "outputs", { min: 1, integer: true });
  const kind = checkOneOf(o.basis ?? "hermite", fn, "basis", BASIS_KINDS);
  const basis = createBasis({ kind, dim: centers.cols, degree });
  return new Accumulator(
    { data: centers.data.slice(), rows: centers.rows, cols: centers.cols },
    scale,
    degree,
    kind,
    outputs,
    basis,
  );
}

class Accumulator implements PiecewiseAccumulator {
  readonly counts: Int32Array;
  readonly nes: (NormalEquations | null)[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  private readonly u: Float64Array;
  private readonly phi: Float64Array;

  constructor(
    readonly centers: Points,
    readonly scale: number,
    readonly degree: number,
    readonly kind: BasisKind,
    readonly outputs: number,
    readonly basis: Basis,
  ) {
    const k = centers.rows;
    this.counts = new Int32Array(k);
    this.nes = new Array(k).fill(null);
    this.lower = new Float64Array(k * centers.cols).fill(Number.POSITIVE_INFINITY);
    this.upper = new Float64Array(k * centers.cols).fill(Number.NEGATIVE_INFINITY);
    this.u = new Float64Array(centers.cols);
    this.phi = new Float64Array(basis.size);
  }

  private ne(j: number): NormalEquations {
    let e = this.nes[j];
    if (!e) {
      e = createNormalEquations(this.basis.size, this.outputs);
      this.nes[j] = e;
    }
    return e;
  }

  add(xIn: Points, zIn: Points, cells?: Int32Array): void {
    const fn = "PiecewiseAccumulator.add";
    const m = this.centers.cols;
    const q = this.outputs;
    const k = this.centers.rows;
    const x = toPoints(xIn, { name: `${fn}: x`, expectedCols: m, allowEmpty: true });
    const z = toPoints(zIn, { name: `${fn}: z`, expectedCols: q, allowEmpty: true });
    if (z.rows !== x.rows) {
      throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: x has ${x.rows} rows but z has ${z.rows}`);
    }
    let cell: Int32Array;
    if (cells) {
      if (cells.length !== x.rows) {
        throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: cells has ${cells.length} entries; x has ${x.rows} rows`);
      }
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i]!;
        if (!(c >= 0 && c < k)) {
          throw new MixdiffError("INVALID_INPUT", `${fn}: cells[${i}] = ${c} is not a cell index in [0, ${k})`, {
            row: i,
          });
        }
      }
      cell = cells;
    } else cell = assignNearest(x, this.centers);
    const inv = 1 / this.scale;
    const u = this.u;
    const phi = this.phi;
    const cd = this.centers.data;
    for (let i = 0; i < x.rows; i++) {
      const j = cell[i]!;
      for (let c = 0; c < m; c++) {
        const v = (x.data[i * m + c]! - cd[j * m + c]!) * inv;
        u[c] = v;
        if (v < this.lower[j * m + c]!) this.lower[j * m + c] = v;
        if (v > this.upper[j * m + c]!) this.upper[j * m + c] = v;
      }
      this.basis.evaluate(u, 1, phi);
      this.ne(j).addRow(phi, 0, z.data, i * q);
      this.counts[j]!++;
    }
  }

  merge(other: PiecewiseAccumulator): void {
    if (
      !(other instanceof Accumulator) ||
      other.centers.rows !== this.centers.rows ||
      other.centers.cols !== this.centers.cols ||
      other.outputs !== this.outputs ||
      other.degree !== this.degree ||
      other.kind !== this.kind ||
      other.scale !== this.scale ||
      !other.centers.data.every((v, i) => v === this.centers.data[i])
    ) {
      throw new MixdiffError(
        "DIMENSION_MISMATCH",
        "PiecewiseAccumulator.merge: accumulators differ in centres, scale, degree, basis or outputs",
      );
    }
    for (let j = 0; j < this.counts.length; j++) {
      const o = other.nes[j];
      if (o) this.ne(j).merge(o);
      this.counts[j]! += other.counts[j]!;
    }
    for (let i = 0; i < this.lower.length; i++) {
      this.lower[i] = Math.min(this.lower[i]!, other.lower[i]!);
      this.upper[i] = Math.max(this.upper[i]!, other.upper[i]!);
    }
  }

  state(): PiecewiseAccumulatorState {
    return {
      centers: this.centers.data.slice(),
      dim: this.centers.cols,
      scale: this.scale,
      degree: this.degree,
      basis: this.kind,
      outputs: this.outputs,
      counts: this.counts.slice(),
      lower: this.lower.slice(),
      upper: this.upper.slice(),
      cells: this.nes.map((e) => (e ? e.state() : null)),
    };
  }

  finish(o: PiecewiseFinishOptions = {}): PiecewiseModel {
    const fn = "PiecewiseAccumulator.finish";
    const ridge = checkNumber(o.ridge ?? 0, fn, "ridge", { min: 0 });
    const minRows = checkNumber(o.minRowsPerFeature ?? 5, fn, "minRowsPerFeature", { min: 0 });
    const m = this.centers.cols;
    const q = this.outputs;
    const k = this.centers.rows;
    const centers: number[][] = [];
    const cells: PolynomialModel[] = [];
    for (let j = 0; j < k; j++) {
      const center = plain(this.centers.data.subarray(j * m, (j + 1) * m));
      centers.push(center);
      const n = this.counts[j]!;
      const base = {
        kind: "polynomial" as const,
        version: 1 as const,
        basis: this.kind,
        dim: m,
        outputs: q,
        center,
        scale: this.scale,
      };
      if (n === 0) {
        const c = o.emptyCell ? o.emptyCell(j) : q === m ? center : new Array<number>(q).fill(0);
        if (c.length !== q || !Array.from(c).every(Number.isFinite)) {
          throw new MixdiffError("INVALID_OPTION", `${fn}: emptyCell(${j}) must return ${q} finite numbers`, {
            path: "emptyCell",
          });
        }
        cells.push({
          ...base,
          degree: 0,
          lower: new Array<number>(m).fill(0),
          upper: new Array<number>(m).fill(0),
          coefficients: plain(c),
          rows: 0,
        });
        continue;
      }
      let d = this.degree;
      while (d > 0 && n < minRows * featureCount(m, d)) d--;
      const sol = solveRidge(this.nes[j]!, { ridge, size: featureCount(m, d) });
      const cellModel: PolynomialModel = {
        ...base,
        degree: d,
        lower: plain(this.lower.subarray(j * m, (j + 1) * m)),
        upper: plain(this.upper.subarray(j * m, (j + 1) * m)),
        coefficients: plain(sol.coefficients),
        rows: n,
        ridge,
      };
      if (Number.isFinite(sol.conditionNumber)) cellModel.conditionNumber = sol.conditionNumber;
      cells.push(cellModel);
    }
    return { kind: "piecewise", version: 1, dim: m, outputs: q, centers, cells };
  }
}
