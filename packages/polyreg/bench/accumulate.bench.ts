/**
 * Benchmark: feature generation + normal-equation accumulation (the learner's inner step), reported as
 * rows × features² per second, beside a plain ml-matrix implementation of the same step in the same run.
 * Imported by `mixdiff bench`; `pnpm --filter @mixdiff/polyreg bench` runs it standalone.
 */
import { createRng } from "@mixdiff/core";
import { Matrix } from "ml-matrix";
import { Bench } from "tinybench";
import { createBasis } from "../src/create-basis.js";
import { createNormalEquations } from "../src/normal-equations.js";

/** One measured (case, implementation) pair. */
export interface BenchRow {
  package: "@mixdiff/polyreg";
  name: string;
  implementation: "polyreg" | "ml-matrix";
  /** Feature count p = C(dim + degree, degree). */
  p: number;
  dim: number;
  degree: number;
  outputs: number;
  rows: number;
  /** Mean wall time of one run (rows rows), ms. */
  msPerRun: number;
  /** rows · p² / second. */
  rowsFeatures2PerSecond: number;
  /** polyreg throughput ÷ ml-matrix throughput (on the polyreg row). */
  speedup?: number;
}

const CASES = [
  { dim: 2, degree: 8, rows: 20000 }, // p = 45
  { dim: 4, degree: 5, rows: 6000 }, // p = 126
  { dim: 5, degree: 6, rows: 1500 }, // p = 462
] as const;

/** Straightforward version: Hermite table per row, product over all coordinates per feature, Φ as an ml-matrix Matrix, ΦᵀΦ and Φᵀz by mmul. */
function mlMatrixStep(u: Float64Array, z: Float64Array, rows: number, dim: number, degree: number, exps: Uint8Array) {
  const p = exps.length / dim;
  const phi = new Matrix(rows, p);
  const table = new Float64Array(dim * (degree + 1));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) {
      const x = u[r * dim + j]!;
      const t = j * (degree + 1);
      table[t] = 1;
      if (degree > 0) table[t + 1] = x;
      for (let k = 1; k < degree; k++) table[t + k + 1] = x * table[t + k]! - k * table[t + k - 1]!;
    }
    for (let f = 0; f < p; f++) {
      let v = 1;
      for (let j = 0; j < dim; j++) {
        const k = exps[f * dim + j]!;
        v *= table[j * (degree + 1) + k]! / FACT_SQRT[k]!;
      }
      phi.set(r, f, v);
    }
  }
  const zt = Matrix.from1DArray(rows, z.length / rows, z);
  const pt = phi.transpose();
  return [pt.mmul(phi), pt.mmul(zt)];
}

const FACT_SQRT = Float64Array.from({ length: 32 }, (_, k) => {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return Math.sqrt(f);
});

function polyregStep(u: Float64Array, z: Float64Array, rows: number, dim: number, degree: number, outputs: number) {
  const basis = createBasis({ dim, degree });
  const p = basis.size;
  const ne = createNormalEquations(p, outputs);
  const chunk = 256;
  const phi = new Float64Array(chunk * p);
  for (let r = 0; r < rows; r += chunk) {
    const n = Math.min(chunk, rows - r);
    basis.evaluate(u.subarray(r * dim, (r + n) * dim), n, phi);
    ne.add(phi, z.subarray(r * outputs, (r + n) * outputs), n);
  }
  return ne.gram();
}

/**
 * Runs the benchmark. `quick` uses a quarter of the rows and short timing windows (for CI smoke runs).
 *
 * @example
 * ```ts
 * const rows = await runAccumulateBench({ quick: true });
 * console.table(rows);
 * ```
 */
export async function runAccumulateBench({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const c of CASES) {
    const rows = quick ? Math.ceil(c.rows / 4) : c.rows;
    const outputs = c.dim;
    const rng = createRng(`bench-${c.dim}-${c.degree}`);
    const u = new Float64Array(rows * c.dim);
    const z = new Float64Array(rows * outputs);
    rng.fillNormal(u);
    rng.fillNormal(z);
    const exps = createBasis({ dim: c.dim, degree: c.degree }).exponents;
    const p = exps.length / c.dim;
    const bench = new Bench({ time: quick ? 150 : 1500, iterations: quick ? 2 : 5 });
    bench.add("polyreg", () => {
      polyregStep(u, z, rows, c.dim, c.degree, outputs);
    });
    bench.add("ml-matrix", () => {
      mlMatrixStep(u, z, rows, c.dim, c.degree, exps);
    });
    await bench.run();
    const byName = new Map<string, BenchRow>();
    for (const task of bench.tasks) {
      const res = task.result as { state: string; period?: number };
      if (res.state !== "completed" || res.period === undefined)
        throw new Error(`bench task ${task.name} ${res.state}`);
      const row: BenchRow = {
        package: "@mixdiff/polyreg",
        name: `features+accumulate p=${p}`,
        implementation: task.name as BenchRow["implementation"],
        p,
        dim: c.dim,
        degree: c.degree,
        outputs,
        rows,
        msPerRun: res.period,
        rowsFeatures2PerSecond: (rows * p * p) / (res.period / 1000),
      };
      byName.set(task.name, row);
      out.push(row);
    }
    const mine = byName.get("polyreg");
    const ref = byName.get("ml-matrix");
    if (mine && ref) mine.speedup = mine.rowsFeatures2PerSecond / ref.rowsFeatures2PerSecond;
  }
  return out;
}
