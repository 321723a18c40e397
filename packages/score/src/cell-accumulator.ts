/**
 * Streaming per-cell normal equations `G_k = Σ φφᵀ` (upper triangle) and `H_k = Σ φ zᵀ` for the
 * learner's inner loop. Rows are buffered per cell (column-major blocks of {@link BLOCK_ROWS}) and
 * flushed as small matrix products, which is several times faster than rank-1 updates per row.
 * Internal; no validation.
 */
export interface CellAccumulator {
  readonly cells: number;
  readonly size: number;
  readonly outputs: number;
  /** `[cells, size, size]`, upper triangle filled after {@link CellAccumulator.flushAll}. */
  readonly gram: Float64Array;
  /** `[cells, size, outputs]`. */
  readonly cross: Float64Array;
  /** Rows added per cell. */
  readonly rows: Float64Array;
  push(cell: number, phi: Float64Array, z: Float64Array): void;
  flushAll(): void;
}

const BLOCK_ROWS = 64;

export function createCellAccumulator(cells: number, size: number, outputs: number): CellAccumulator {
  const B = BLOCK_ROWS;
  const P = size;
  const m = outputs;
  const phiBuf = new Float64Array(cells * P * B);
  const zBuf = new Float64Array(cells * m * B);
  const fill = new Int32Array(cells);
  const gram = new Float64Array(cells * P * P);
  const cross = new Float64Array(cells * P * m);
  const rows = new Float64Array(cells);
  const flush = (k: number): void => {
    const nr = fill[k] as number;
    if (nr === 0) return;
    const pb = k * P * B;
    const zb = k * m * B;
    const gb = k * P * P;
    const hb = k * P * m;
    for (let a = 0; a < P; a++) {
      const ca = pb + a * B;
      for (let b = a; b < P; b++) {
        const cb = pb + b * B;
        let s0 = 0;
        let s1 = 0;
        let r = 0;
        for (; r + 1 < nr; r += 2) {
          s0 += (phiBuf[ca + r] as number) * (phiBuf[cb + r] as number);
          s1 += (phiBuf[ca + r + 1] as number) * (phiBuf[cb + r + 1] as number);
        }
        if (r < nr) s0 += (phiBuf[ca + r] as number) * (phiBuf[cb + r] as number);
        gram[gb + a * P + b] = (gram[gb + a * P + b] as number) + s0 + s1;
      }
      for (let c = 0; c < m; c++) {
        const cz = zb + c * B;
        let s = 0;
        for (let r = 0; r < nr; r++) s += (phiBuf[ca + r] as number) * (zBuf[cz + r] as number);
        cross[hb + a * m + c] = (cross[hb + a * m + c] as number) + s;
      }
    }
    rows[k] = (rows[k] as number) + nr;
    fill[k] = 0;
  };
  return {
    cells,
    size,
    outputs,
    gram,
    cross,
    rows,
    push(k, phi, z) {
      const r = fill[k] as number;
      const pb = k * P * B + r;
      for (let a = 0; a < P; a++) phiBuf[pb + a * B] = phi[a] as number;
      const zb = k * m * B + r;
      for (let c = 0; c < m; c++) zBuf[zb + c * B] = z[c] as number;
      fill[k] = r + 1;
      if (r + 1 === B) flush(k);
    },
    flushAll() {
      for (let k = 0; k < cells; k++) flush(k);
    },
  };
}
