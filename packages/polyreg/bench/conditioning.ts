// Normal equations (Jacobi-scaled Cholesky, what solveRidge does) vs Householder QR (ml-matrix) on
// ill-conditioned designs. Exact polynomial targets, so the true coefficients are known.
// Run: pnpm --filter @mixdiff/polyreg conditioning
import { createRng } from "@mixdiff/core";
import { Matrix, QrDecomposition, SingularValueDecomposition } from "ml-matrix";
import type { BasisKind } from "../src/bases.js";
import { createBasis } from "../src/create-basis.js";
import { createNormalEquations } from "../src/normal-equations.js";
import { solveRidge } from "../src/solve-ridge.js";

declare const console: { table(x: unknown): void };

const cases: { kind: BasisKind; dim: number; degree: number; shift: number; spread: number }[] = [
  { kind: "hermite", dim: 1, degree: 8, shift: 0, spread: 1 },
  { kind: "hermite", dim: 1, degree: 12, shift: 0, spread: 1 },
  { kind: "hermite", dim: 2, degree: 8, shift: 1, spread: 0.5 },
  { kind: "monomial", dim: 1, degree: 6, shift: 0, spread: 1 },
  { kind: "monomial", dim: 1, degree: 10, shift: 0, spread: 1 },
  { kind: "monomial", dim: 1, degree: 10, shift: 2, spread: 0.3 },
  { kind: "monomial", dim: 2, degree: 8, shift: 1, spread: 0.5 },
  { kind: "monomial", dim: 3, degree: 6, shift: 1.5, spread: 0.3 },
];

const rows: Record<string, string | number>[] = [];
for (const c of cases) {
  const n = 4000;
  const rng = createRng(`cond-${c.kind}-${c.dim}-${c.degree}-${c.shift}`);
  const basis = createBasis({ kind: c.kind, dim: c.dim, degree: c.degree });
  const p = basis.size;
  const u = new Float64Array(n * c.dim);
  for (let i = 0; i < u.length; i++) u[i] = c.shift + c.spread * rng.normal();
  const phi = new Float64Array(n * p);
  basis.evaluate(u, n, phi);
  const truth = new Float64Array(p);
  for (let f = 0; f < p; f++) truth[f] = rng.normal();
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < p; f++) s += phi[i * p + f]! * truth[f]!;
    z[i] = s;
  }
  const F = Matrix.from1DArray(n, p, phi);
  const sv = new SingularValueDecomposition(F, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  }).diagonal;
  // column-scaled design (what the Jacobi scaling sees)
  const Fs = F.clone();
  for (let f = 0; f < p; f++) {
    const col = Fs.getColumn(f);
    const norm = Math.hypot(...col);
    Fs.setColumn(
      f,
      col.map((v) => v / norm),
    );
  }
  const svs = new SingularValueDecomposition(Fs, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  }).diagonal;
  const ne = createNormalEquations(p, 1);
  ne.add(phi, z, n);
  let neErr = Number.NaN;
  let fitNe = Number.NaN;
  let kappaEst = Number.NaN;
  let jitter = 0;
  try {
    const sol = solveRidge(ne, { ridge: 0 });
    kappaEst = sol.conditionNumber;
    jitter = sol.jitter;
    neErr = rel(sol.coefficients, truth);
    fitNe = residual(phi, sol.coefficients, z, n, p);
  } catch {
    /* singular */
  }
  const qr = new QrDecomposition(F).solve(Matrix.from1DArray(n, 1, z)).to1DArray();
  rows.push({
    basis: c.kind,
    dim: c.dim,
    degree: c.degree,
    p,
    "u ~ N(shift, spread²)": `${c.shift}, ${c.spread}`,
    "κ(Φ)": (sv[0]! / sv[sv.length - 1]!).toExponential(1),
    "κ(Φ scaled)²": ((svs[0]! / svs[svs.length - 1]!) ** 2).toExponential(1),
    "κ est (solveRidge)": kappaEst.toExponential(1),
    jitter: jitter ? jitter.toExponential(0) : 0,
    "coef err NE": neErr.toExponential(1),
    "coef err QR": rel(Float64Array.from(qr), truth).toExponential(1),
    "rel fit err NE": fitNe.toExponential(1),
    "rel fit err QR": residual(phi, Float64Array.from(qr), z, n, p).toExponential(1),
  });
}
console.table(rows);

function rel(a: Float64Array, b: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    e += (a[i]! - b[i]!) ** 2;
    s += b[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

function residual(phi: Float64Array, c: Float64Array, z: Float64Array, n: number, p: number): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let f = 0; f < p; f++) v += phi[i * p + f]! * c[f]!;
    e += (v - z[i]!) ** 2;
    s += z[i]! ** 2;
  }
  return Math.sqrt(e / s);
}
