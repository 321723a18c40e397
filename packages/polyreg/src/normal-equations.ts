import { checkNumber, MixdiffError } from "@mixdiff/core";
import { gramBlock } from "./gram-block.js";

/**
 * Rows per accumulation block (see {@link createNormalEquations}).
 *
 * @example
 * ```ts
 * import { NORMAL_EQUATIONS_BLOCK_ROWS } from "@mixdiff/polyreg";
 * NORMAL_EQUATIONS_BLOCK_ROWS; // 256
 * ```
 */
export const NORMAL_EQUATIONS_BLOCK_ROWS = 256;

/**
 * Streaming sufficient statistics of a vector-valued least-squares problem: ΦᵀΦ (`[size, size]`), Φᵀz
 * (`[size, outputs]`) and Σz² per output. Memory O(size² + 256·size), independent of the number of rows.
 *
 * @example
 * ```ts
 * import { createNormalEquations } from "@mixdiff/polyreg";
 * const ne = createNormalEquations(2, 1);
 * ne.add(new Float64Array([1, 0, 1, 1, 1, 2]), new Float64Array([1, 3, 5]), 3); // z = 1 + 2x
 * ne.rows; // 3
 * ```
 */
export interface NormalEquations {
  readonly size: number;
  readonly outputs: number;
  /** Rows added so far. */
  readonly rows: number;
  /** Adds `rows` rows: `phi` is `[rows, size]`, `z` is `[rows, outputs]` (row-major). */
  add(phi: Float64Array, z: Float64Array, rows: number): void;
  /** Adds one row read from `phi[phiOffset ..]` and `z[zOffset ..]` (no views, no allocation; not validated). */
  addRow(phi: Float64Array, phiOffset: number, z: Float64Array, zOffset: number): void;
  /**
   * Appends another accumulator's rows after this one's (`other` is unchanged). Deterministic: the result
   * depends only on the two row sequences, not on how either was chunked.
   */
  merge(other: NormalEquations): void;
  /** The symmetric Gram matrix ΦᵀΦ restricted to the leading `size` features, row-major `[size, size]` (a copy). */
  gram(size?: number): Float64Array;
  /** Φᵀz restricted to the leading `size` features, row-major `[size, outputs]` (a copy). */
  rhs(size?: number): Float64Array;
  /** Σᵢ zᵢₒ² per output, `[outputs]` (a copy). */
  sumSquares(): Float64Array;
  /** A structured-cloneable snapshot (for worker transfer); restore with {@link normalEquationsFromState}. */
  state(): NormalEquationsState;
}

/**
 * Plain snapshot of a {@link NormalEquations}: typed arrays only, so it can cross a worker boundary.
 *
 * @example
 * ```ts
 * import { createNormalEquations, normalEquationsFromState } from "@mixdiff/polyreg";
 * const copy = normalEquationsFromState(createNormalEquations(3, 2).state());
 * ```
 */
export interface NormalEquationsState {
  readonly size: number;
  readonly outputs: number;
  readonly rows: number;
  /** Upper triangle of the completed blocks' ΦᵀΦ, stored in a full `[size, size]` array. */
  readonly gram: Float64Array;
  readonly rhs: Float64Array;
  readonly sumSquares: Float64Array;
  /** Rows of the incomplete block: features column-major `[size rounded up to a multiple of 4, 256]`, targets `[outputs, 256]`. */
  readonly pendingPhi: Float64Array;
  readonly pendingZ: Float64Array;
  readonly pendingRows: number;
}

/**
 * Creates streaming normal equations for `size` features and `outputs` outputs.
 *
 * **Determinism.** Rows are grouped into consecutive blocks of {@link NORMAL_EQUATIONS_BLOCK_ROWS} rows (a
 * partial block is carried forward between `add` calls as raw rows). Each full block's sums are computed by
 * one fixed kernel and then added to the totals in block order, so **any chunking of `add` calls gives
 * identical bytes**. `merge` closes this accumulator's partial block, adds the other's totals, then the other's
 * partial block: merging fixed shards in a fixed order is deterministic whatever the worker count.
 *
 * Only the upper triangle of ΦᵀΦ is accumulated (mirrored on read), one rank-256 update per block: a
 * WebAssembly SIMD kernel where the engine has it, else a 2 × 4 register-tiled JS kernel, with identical bytes
 * (each entry is one sequential sum over the block's rows in both).
 *
 * @example
 * ```ts
 * import { createNormalEquations, solveRidge } from "@mixdiff/polyreg";
 * const ne = createNormalEquations(2, 1);
 * ne.add(new Float64Array([1, 0, 1, 1, 1, 2]), new Float64Array([1, 3, 5]), 3);
 * solveRidge(ne).coefficients; // ≈ [1, 2]
 * ```
 */
export function createNormalEquations(size: number, outputs: number): NormalEquations {
  checkNumber(size, "createNormalEquations", "size", { min: 1, integer: true });
  checkNumber(outputs, "createNormalEquations", "outputs", { min: 1, integer: true });
  return new Accumulator(size, outputs);
}

/**
 * Restores a {@link NormalEquations} from {@link NormalEquations.state} (validates the shapes).
 *
 * @example
 * ```ts
 * import { createNormalEquations, normalEquationsFromState } from "@mixdiff/polyreg";
 * const ne = normalEquationsFromState(createNormalEquations(3, 1).state()); // ne.size === 3
 * ```
 */
export function normalEquationsFromState(s: NormalEquationsState): NormalEquations {
  const acc = createNormalEquations(s.size, s.outputs) as Accumulator;
  const B = NORMAL_EQUATIONS_BLOCK_ROWS;
  if (
    s.gram?.length !== s.size * s.size ||
    s.rhs?.length !== s.size * s.outputs ||
    s.sumSquares?.length !== s.outputs ||
    s.pendingPhi?.length !== ((s.size + 3) & ~3) * B ||
    s.pendingZ?.length !== s.outputs * B ||
    !Number.isInteger(s.pendingRows) ||
    s.pendingRows < 0 ||
    s.pendingRows >= B ||
    !Number.isInteger(s.rows)
  ) {
    throw new MixdiffError("INVALID_INPUT", "normalEquationsFromState: state arrays do not match size and outputs");
  }
  acc.G.set(s.gram);
  acc.b.set(s.rhs);
  acc.zz.set(s.sumSquares);
  transposeBlock(s.pendingPhi, acc.bufPhi, acc.pad, false);
  acc.bufZ.set(s.pendingZ);
  acc.pending = s.pendingRows;
  acc.count = s.rows;
  return acc;
}

class Accumulator implements NormalEquations {
  readonly size: number;
  readonly outputs: number;
  count = 0;
  pending = 0;
  readonly G: Float64Array;
  readonly b: Float64Array;
  readonly zz: Float64Array;
  /** The incomplete block's features, row-major `[256, pad]` (the state format is column-major). */
  readonly bufPhi: Float64Array;
  /** Feature columns in the block buffer: size rounded up to a multiple of 4 (extra columns stay zero). */
  readonly pad: number;
  readonly bufZ: Float64Array;

  constructor(size: number, outputs: number) {
    this.size = size;
    this.outputs = outputs;
    this.G = new Float64Array(size * size);
    this.b = new Float64Array(size * outputs);
    this.zz = new Float64Array(outputs);
    this.pad = (size + 3) & ~3;
    this.bufPhi = new Float64Array(this.pad * NORMAL_EQUATIONS_BLOCK_ROWS);
    this.bufZ = new Float64Array(outputs * NORMAL_EQUATIONS_BLOCK_ROWS);
  }

  get rows(): number {
    return this.count;
  }

  add(phi: Float64Array, z: Float64Array, rows: number): void {
    const p = this.size;
    const q = this.outputs;
    if (!Number.isInteger(rows) || rows < 0 || phi.length < rows * p || z.length < rows * q) {
      throw new MixdiffError(
        "DIMENSION_MISMATCH",
        `NormalEquations.add: need phi of ${rows}×${p} and z of ${rows}×${q}; got lengths ${phi.length} and ${z.length}`,
      );
    }
    for (let r = 0; r < rows; r++) this.addRow(phi, r * p, z, r * q);
  }

  addRow(phi: Float64Array, phiOffset: number, z: Float64Array, zOffset: number): void {
    const B = NORMAL_EQUATIONS_BLOCK_ROWS;
    const p = this.size;
    const q = this.outputs;
    const at = this.pending;
    const bufPhi = this.bufPhi;
    const bufZ = this.bufZ;
    const o = at * this.pad;
    for (let i = 0; i < p; i++) bufPhi[o + i] = phi[phiOffset + i]!;
    for (let o = 0; o < q; o++) bufZ[o * B + at] = z[zOffset + o]!;
    this.count++;
    this.pending = at + 1;
    if (this.pending === B) this.flush();
  }

  /** Adds the buffered rows as one block to the totals and empties the buffer. */
  flush(): void {
    if (this.pending === 0) return;
    accumulateBlock(
      this.bufPhi,
      this.bufZ,
      this.pending,
      this.size,
      this.outputs,
      this.pad,
      this.G,
      this.size,
      this.b,
      this.zz,
    );
    this.pending = 0;
  }

  merge(other: NormalEquations): void {
    if (!(other instanceof Accumulator) || other.size !== this.size || other.outputs !== this.outputs) {
      throw new MixdiffError(
        "DIMENSION_MISMATCH",
        `NormalEquations.merge: need size ${this.size} and outputs ${this.outputs}; got ${other.size} and ${other.outputs}`,
      );
    }
    this.flush();
    const G = this.G;
    const oG = other.G;
    const p = this.size;
    for (let i = 0; i < p; i++) for (let j = i; j < p; j++) G[i * p + j]! += oG[i * p + j]!;
    for (let k = 0; k < this.b.length; k++) this.b[k]! += other.b[k]!;
    for (let k = 0; k < this.zz.length; k++) this.zz[k]! += other.zz[k]!;
    if (other.pending > 0) {
      this.bufPhi.set(other.bufPhi);
      this.bufZ.set(other.bufZ);
      this.pending = other.pending;
      this.flush();
    }
    this.count += other.count;
  }

  gram(size: number = this.size): Float64Array {
    const s = checkSub(size, this.size);
    const p = this.size;
    const out = new Float64Array(s * s);
    for (let i = 0; i < s; i++) for (let j = i; j < s; j++) out[i * s + j] = this.G[i * p + j]!;
    if (this.pending > 0) gramBlock(this.bufPhi, this.pad, this.pending, s, this.bufZ, 0, out, s, out);
    for (let i = 0; i < s; i++) for (let j = i + 1; j < s; j++) out[j * s + i] = out[i * s + j]!;
    return out;
  }

  rhs(size: number = this.size): Float64Array {
    const s = checkSub(size, this.size);
    const q = this.outputs;
    const out = this.b.slice(0, s * q);
    if (this.pending > 0) {
      const B = NORMAL_EQUATIONS_BLOCK_ROWS;
      const n = this.pending;
      for (let i = 0; i < s; i++) {
        for (let o = 0; o < q; o++) out[i * q + o]! += dot(this.bufPhi, i, this.pad, this.bufZ, o * B, n);
      }
    }
    return out;
  }

  sumSquares(): Float64Array {
    const out = this.zz.slice();
    const B = NORMAL_EQUATIONS_BLOCK_ROWS;
    for (let o = 0; o < this.outputs; o++) out[o]! += dot(this.bufZ, o * B, 1, this.bufZ, o * B, this.pending);
    return out;
  }

  state(): NormalEquationsState {
    return {
      size: this.size,
      outputs: this.outputs,
      rows: this.count,
      gram: this.G.slice(),
      rhs: this.b.slice(),
      sumSquares: this.zz.slice(),
      pendingPhi: transposeBlock(this.bufPhi, new Float64Array(this.bufPhi.length), this.pad, true),
      pendingZ: this.bufZ.slice(),
      pendingRows: this.pending,
    };
  }
}

function checkSub(size: number, full: number): number {
  if (!Number.isInteger(size) || size < 1 || size > full) {
    throw new MixdiffError("INVALID_OPTION", `NormalEquations: size must be an integer in [1, ${full}]; got ${size}`, {
      path: "size",
    });
  }
  return size;
}

/**
 * Copies a block buffer between the row-major `[256, pad]` layout of the accumulator and the column-major
 * `[pad, 256]` layout of {@link NormalEquationsState} (`toColumns`: row-major → column-major). Returns `to`.
 */
function transposeBlock(from: Float64Array, to: Float64Array, pad: number, toColumns: boolean): Float64Array {
  const B = NORMAL_EQUATIONS_BLOCK_ROWS;
  for (let r = 0; r < B; r++) {
    for (let c = 0; c < pad; c++) {
      if (toColumns) to[c * B + r] = from[r * pad + c]!;
      else to[r * pad + c] = from[c * B + r]!;
    }
  }
  return to;
}

/** Σ_r a[ao + r·as]·b[bo + r] for r < n, in a fixed order (a function of n only). */
function dot(a: Float64Array, ao: number, as: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let r = 0;
  for (; r + 1 < n; r += 2) {
    s0 += a[ao + r * as]! * b[bo + r]!;
    s1 += a[ao + (r + 1) * as]! * b[bo + r + 1]!;
  }
  if (r < n) s0 += a[ao + r * as]! * b[bo + r]!;
  return s0 + s1;
}

/**
 * Adds one block of `n` buffered rows to the upper triangle of `G` (leading `s` features, row stride `gs`),
 * to `b` (`[s, q]`) and to `zz`. The feature buffer is row-major `[256, pad]` (`pad ≥ s` a multiple of 4;
 * columns past the real features are zero), the target buffer column-major `[q, 256]`. Every entry of ΦᵀΦ is
 * one sequential sum over the block's rows, Φᵀz and Σz² sums over a two-way split of the rows
 * ({@link gramBlock}), so the value is a function of the rows alone (not of tiling, chunking, `s` or the
 * kernel used: WebAssembly SIMD or JS give the same bytes).
 */
function accumulateBlock(
  phi: Float64Array,
  z: Float64Array,
  n: number,
  s: number,
  q: number,
  pad: number,
  G: Float64Array,
  gs: number,
  b: Float64Array,
  zz: Float64Array,
): void {
  const B = NORMAL_EQUATIONS_BLOCK_ROWS;
  gramBlock(phi, pad, n, s, z, q, G, gs, b);
  for (let o = 0; o < q; o++) zz[o]! += dot(z, o * B, 1, z, o * B, n);
}
