import { checkNumber, checkOneOf, MixdiffError, type PointsLike, type Rng, toPoints } from "@mixdiff/core";
import { BASIS_KINDS, type BasisKind } from "./bases.js";
import { createBasis } from "./create-basis.js";
import { featureCount } from "./feature-count.js";
import { MAX_DEGREE } from "./multi-indices.js";
import { createNormalEquations, type NormalEquations } from "./normal-equations.js";
import { type PolynomialModel, plain } from "./polynomial-model.js";
import { solveRidge } from "./solve-ridge.js";

/**
 * Degrees tried by cross-validation when neither `degree` nor `degrees` is given.
 *
 * @example
 * ```ts
 * import { DEFAULT_CV_DEGREES } from "@mixdiff/polyreg";
 * DEFAULT_CV_DEGREES; // [0, 1, 2, 3, 4, 5, 6]
 * ```
 */
export const DEFAULT_CV_DEGREES: readonly number[] = [0, 1, 2, 3, 4, 5, 6];
/**
 * Ridges tried by cross-validation when neither `ridge` nor `ridges` is given.
 *
 * @example
 * ```ts
 * import { DEFAULT_CV_RIDGES } from "@mixdiff/polyreg";
 * DEFAULT_CV_RIDGES[0]; // 0
 * ```
 */
export const DEFAULT_CV_RIDGES: readonly number[] = [0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1];

/**
 * Options of {@link fitPolynomial}.
 *
 * @example
 * ```ts
 * import type { FitPolynomialOptions } from "@mixdiff/polyreg";
 * const o: FitPolynomialOptions = { degree: 3, ridge: 1e-6, basis: "hermite" };
 * ```
 */
export interface FitPolynomialOptions {
  /** Total degree; chosen by k-fold cross-validation among `degrees` when omitted. */
  degree?: number;
  basis?: BasisKind;
  /** Standardisation centre (length dim); default: the column means of x. */
  center?: number[];
  /** Standardisation scale; default: √(mean per-coordinate variance of x) (1 if that is 0). */
  scale?: number;
  /** Ridge λ per row (see {@link solveRidge}); chosen by cross-validation among `ridges` when omitted. */
  ridge?: number;
  /** Clip standardised inputs to the training box at prediction (default true). */
  clip?: boolean;
  /** Number of cross-validation folds (default 5). */
  folds?: number;
  /** Candidate degrees (default {@link DEFAULT_CV_DEGREES}, without those with more features than training rows). */
  degrees?: number[];
  /** Candidate ridges (default {@link DEFAULT_CV_RIDGES}). */
  ridges?: number[];
  /** Shuffles rows into folds; without it row i goes to fold i mod folds. */
  rng?: Rng;
}

/**
 * Least-squares fit of a vector-valued polynomial `z ≈ f(x)` (x `[rows, dim]`, z `[rows, outputs]`) in the
 * standardised input `u = (x − center)/scale`, with all outputs solved by one factorisation.
 * When `degree` or `ridge` is omitted they are chosen by k-fold cross-validation: per-fold normal equations are
 * accumulated once at the largest candidate degree (lower degrees are leading sub-blocks), and held-out errors
 * come from each fold's sufficient statistics. Among candidates whose CV errors differ by less than 1e-10·Σz²
 * (rounding), the lowest degree and the earliest ridge win.
 *
 * @example
 * ```ts
 * import { fitPolynomial, predictPolynomial } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const x: [number][] = [[-1], [0], [1], [2]];
 * const m = fitPolynomial(x, x.map(([v]) => [v * v - 1]), { degree: 2, ridge: 0 });
 * predictPolynomial(m, toPoints([[3]])).data[0]; // 3 is clipped to the training box: f(2) = 3
 * ```
 */
export function fitPolynomial(xIn: PointsLike, zIn: PointsLike, o: FitPolynomialOptions = {}): PolynomialModel {
  const fn = "fitPolynomial";
  const x = toPoints(xIn, { name: `${fn}: x` });
  const z = toPoints(zIn, { name: `${fn}: z` });
  if (z.rows !== x.rows) {
    throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: x has ${x.rows} rows but z has ${z.rows}`, { path: "z" });
  }
  const n = x.rows;
  const dim = x.cols;
  const q = z.cols;
  const kind = checkOneOf(o.basis ?? "hermite", fn, "basis", BASIS_KINDS);
  const clip = o.clip ?? true;
  const center = o.center ? checkCenter(o.center, dim, fn) : columnMeans(x.data, n, dim);
  const scale =
    o.scale !== undefined
      ? checkNumber(o.scale, fn, "scale", { min: 0, exclusiveMin: true })
      : defaultScale(x.data, n, dim, center);
  const folds = checkNumber(o.folds ?? 5, fn, "folds", { min: 2, integer: true });
  let degrees: number[];
  if (o.degree !== undefined)
    degrees = [checkNumber(o.degree, fn, "degree", { min: 0, max: MAX_DEGREE, integer: true })];
  else if (o.degrees) degrees = checkList(o.degrees, fn, "degrees", { min: 0, max: MAX_DEGREE, integer: true });
  else {
    const trainRows = Math.floor((n * (folds - 1)) / folds);
    degrees = DEFAULT_CV_DEGREES.filter((d) => d === 0 || featureCount(dim, d) <= trainRows);
  }
  degrees = [...new Set(degrees)].sort((a, b) => a - b);
  const ridges =
    o.ridge !== undefined
      ? [checkNumber(o.ridge, fn, "ridge", { min: 0 })]
      : checkList(o.ridges ?? [...DEFAULT_CV_RIDGES], fn, "ridges", { min: 0 });
  const dmax = degrees[degrees.length - 1]!;
  const basis = createBasis({ kind, dim, degree: dmax });
  const p = basis.size;
  const needCv = degrees.length > 1 || ridges.length > 1;
  if (needCv && n < folds) {
    throw new MixdiffError(
      "INVALID_INPUT",
      `${fn}: ${folds}-fold cross-validation needs at least ${folds} rows; got ${n}`,
    );
  }

  // Fold of each row (all rows in fold 0 when no cross-validation).
  const k = needCv ? folds : 1;
  const foldOf = new Int32Array(n);
  if (needCv) {
    if (o.rng) {
      const perm = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(o.rng.uniform() * (i + 1));
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      for (let i = 0; i < n; i++) foldOf[perm[i]!] = i % k;
    } else for (let i = 0; i < n; i++) foldOf[i] = i % k;
  }

  // One pass: standardise, track the box, evaluate features, accumulate per fold.
  const nes: NormalEquations[] = Array.from({ length: k }, () => createNormalEquations(p, q));
  const lower = new Array<number>(dim).fill(Number.POSITIVE_INFINITY);
  const upper = new Array<number>(dim).fill(Number.NEGATIVE_INFINITY);
  const u = new Float64Array(dim);
  const phi = new Float64Array(p);
  const inv = 1 / scale;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = (x.data[i * dim + j]! - center[j]!) * inv;
      u[j] = v;
      if (v < lower[j]!) lower[j] = v;
      if (v > upper[j]!) upper[j] = v;
    }
    basis.evaluate(u, 1, phi);
    nes[foldOf[i]!]!.addRow(phi, 0, z.data, i * q);
  }

  let degree = degrees[0]!;
  let ridge = ridges[0]!;
  if (needCv) {
    const best = crossValidate(nes, dim, degrees, ridges);
    degree = best.degree;
    ridge = best.ridge;
  }
  const all = createNormalEquations(p, q);
  for (const ne of nes) all.merge(ne);
  const size = featureCount(dim, degree);
  const sol = solveRidge(all, { ridge, size });
  const model: PolynomialModel = {
    kind: "polynomial",
    version: 1,
    basis: kind,
    dim,
    degree,
    outputs: q,
    center: plain(center),
    scale,
    lower: clip ? plain(lower) : [],
    upper: clip ? plain(upper) : [],
    coefficients: plain(sol.coefficients),
    rows: n,
    ridge,
  };
  if (Number.isFinite(sol.conditionNumber)) model.conditionNumber = sol.conditionNumber;
  return model;
}

/**
 * Total held-out squared error of each (degree, ridge) over the folds, from sufficient statistics:
 * SSE = Σz² − 2·tr(CᵀΦᵀz) + tr(CᵀΦᵀΦC) on the held-out fold.
 */
function crossValidate(
  nes: NormalEquations[],
  dim: number,
  degrees: number[],
  ridges: number[],
): { degree: number; ridge: number } {
  const k = nes.length;
  const q = nes[0]!.outputs;
  const p = nes[0]!.size;
  const errors = new Float64Array(degrees.length * ridges.length);
  let total = 0;
  for (const ne of nes) for (const v of ne.sumSquares()) total += v;
  for (let f = 0; f < k; f++) {
    const train = createNormalEquations(p, q);
    for (let g = 0; g < k; g++) if (g !== f) train.merge(nes[g]!);
    const test = nes[f]!;
    const G = test.gram();
    const b = test.rhs();
    const zz = test.sumSquares();
    for (let di = 0; di < degrees.length; di++) {
      const s = featureCount(dim, degrees[di]!);
      for (let ri = 0; ri < ridges.length; ri++) {
        let sse: number;
        try {
          const c = solveRidge(train, { size: s, ridge: ridges[ri]!, estimateCondition: false }).coefficients;
          sse = 0;
          for (let o = 0; o < q; o++) {
            let quad = 0;
            let lin = 0;
            for (let i = 0; i < s; i++) {
              const ci = c[i * q + o]!;
              lin += ci * b[i * q + o]!;
              let gi = 0;
              for (let j = 0; j < s; j++) gi += G[i * p + j]! * c[j * q + o]!;
              quad += ci * gi;
            }
            sse += zz[o]! - 2 * lin + quad;
          }
          sse = Math.max(sse, 0);
        } catch {
          sse = Number.POSITIVE_INFINITY;
        }
        errors[di * ridges.length + ri]! += sse;
      }
    }
  }
  const tol = 1e-10 * total;
  let best = 0;
  for (let c = 1; c < errors.length; c++) if (errors[c]! < errors[best]! - tol) best = c;
  if (!Number.isFinite(errors[best]!)) {
    throw new MixdiffError("NUMERICAL_FAILURE", "fitPolynomial: every cross-validation candidate failed to solve");
  }
  return { degree: degrees[Math.floor(best / ridges.length)]!, ridge: ridges[best % ridges.length]! };
}

function checkCenter(c: unknown, dim: number, fn: string): number[] {
  if (!Array.isArray(c) || c.length !== dim || !c.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: center must be ${dim} finite numbers`, { path: "center" });
  }
  return c as number[];
}

function checkList(
  a: unknown,
  fn: string,
  name: string,
  o: { min?: number; max?: number; integer?: boolean },
): number[] {
  if (!Array.isArray(a) || a.length === 0) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: ${name} must be a non-empty array`, { path: name });
  }
  return a.map((v, i) => checkNumber(v, fn, `${name}[${i}]`, o));
}

/** Column means of row-major `[n, dim]` data. */
export function columnMeans(data: Float64Array, n: number, dim: number): number[] {
  const out = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[j]! += data[i * dim + j]!;
  return out.map((s) => s / n);
}

function defaultScale(data: Float64Array, n: number, dim: number, center: number[]): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = data[i * dim + j]! - center[j]!;
      s += v * v;
    }
  }
  const r = Math.sqrt(s / (n * dim));
  return r > 0 && Number.isFinite(r) ? r : 1;
}
