import type { BasisKind } from "./bases.js";
import { type Basis, createBasis } from "./create-basis.js";

/**
 * A fitted vector-valued polynomial: plain JSON data (`JSON.stringify` → {@link polynomialFromJSON} is bit-exact).
 * Prediction at x: `u = clip((x − center)/scale, lower, upper)`, then `f(x) = Cᵀφ(u)` with the basis's features φ.
 *
 * @example
 * ```ts
 * import { fitPolynomial, type PolynomialModel } from "@mixdiff/polyreg";
 * const m: PolynomialModel = fitPolynomial([[0], [1], [2]], [[1], [3], [5]], { degree: 1, ridge: 0 });
 * m.coefficients.length; // 2 features × 1 output
 * ```
 */
export interface PolynomialModel {
  kind: "polynomial";
  version: 1;
  basis: BasisKind;
  dim: number;
  degree: number;
  outputs: number;
  /** Centre c of the standardisation (length `dim`). */
  center: number[];
  /** Scale s of the standardisation (> 0). */
  scale: number;
  /**
   * Per-coordinate box of the standardised training inputs; inputs are clipped to it at prediction (bounds
   * extrapolation). Both empty: no clipping.
   */
  lower: number[];
  upper: number[];
  /** Coefficients, row-major `[featureCount(dim, degree), outputs]` in {@link multiIndices} order. */
  coefficients: number[];
  /** Condition number estimate of the solved system (omitted when not finite). */
  conditionNumber?: number;
  /** Rows the model was fitted on. */
  rows?: number;
  /** Ridge λ (per row) the coefficients were solved with (the cross-validated choice when it was not given). */
  ridge?: number;
}

/** A model prepared for fast evaluation (internal). */
export interface CompiledPolynomial {
  readonly basis: Basis;
  readonly coef: Float64Array;
  readonly center: Float64Array;
  readonly invScale: number;
  readonly lower: Float64Array | null;
  readonly upper: Float64Array | null;
}

const cache = new WeakMap<PolynomialModel, CompiledPolynomial>();

/** Compiles (and caches per model object; models are treated as immutable) a {@link PolynomialModel}. */
export function compilePolynomial(m: PolynomialModel): CompiledPolynomial {
  let c = cache.get(m);
  if (!c) {
    const clip = m.lower.length > 0;
    c = {
      basis: createBasis({ kind: m.basis, dim: m.dim, degree: m.degree }),
      coef: Float64Array.from(m.coefficients),
      center: Float64Array.from(m.center),
      invScale: 1 / m.scale,
      lower: clip ? Float64Array.from(m.lower) : null,
      upper: clip ? Float64Array.from(m.upper) : null,
    };
    cache.set(m, c);
  }
  return c;
}

/**
 * Writes the standardised, clipped input of row `r` of `x` (`[*, dim]`) into `u[uo ..]`; when `inside` is
 * given, sets `inside[j]` to 1 where coordinate j was not clipped and 0 where it was.
 */
export function standardise(
  c: CompiledPolynomial,
  x: Float64Array,
  r: number,
  u: Float64Array,
  uo: number,
  inside?: Uint8Array,
): void {
  const m = c.basis.dim;
  const lo = c.lower;
  const hi = c.upper;
  for (let j = 0; j < m; j++) {
    let v = (x[r * m + j]! - c.center[j]!) * c.invScale;
    let ok = 1;
    if (lo !== null && hi !== null) {
      if (v < lo[j]!) {
        v = lo[j]!;
        ok = 0;
      } else if (v > hi[j]!) {
        v = hi[j]!;
        ok = 0;
      }
    }
    u[uo + j] = v;
    if (inside) inside[j] = ok;
  }
}

/** Replaces −0 by +0 (JSON cannot carry −0) so serialisation is bit-exact. */
export function plain(a: ArrayLike<number>): number[] {
  const out = new Array<number>(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k]! + 0;
  return out;
}
