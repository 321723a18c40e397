import { type Basis, createBasis, featureCount } from "@mixdiff/polyreg";

/** The learner's feature map: `@mixdiff/polyreg`'s normalised Hermite basis plus prefix sizes (internal). */
export interface LevelFeatures {
  readonly basis: Basis;
  readonly dim: number;
  readonly degree: number;
  readonly size: number;
  /** `sizeByDegree[d']` = number of features of total degree ≤ d' (graded order: a prefix). */
  readonly sizeByDegree: Int32Array;
}

/** Normalised Hermite features `Π_j He_{e_j}(u_j)/√(e_j!)` of total degree ≤ `degree` in `dim` inputs. */
export function levelFeatures(dim: number, degree: number): LevelFeatures {
  const basis = createBasis({ kind: "hermite", dim, degree });
  const sizeByDegree = new Int32Array(degree + 1);
  for (let d = 0; d <= degree; d++) sizeByDegree[d] = featureCount(dim, d);
  return { basis, dim, degree, size: basis.size, sizeByDegree };
}

/**
 * Layout of the parameters of a gated level with K gates and degree ≤ d, **graded across gates**: all gates'
 * degree-0 features, then all degree-1 features, … — so the model of any degree d' ≤ d is a leading block
 * `P(d') = K·p(d')` of the same Gram matrix, and one Cholesky factor serves every degree (internal).
 */
export interface GatedLayout {
  readonly K: number;
  readonly m: number;
  readonly degree: number;
  /** Parameters per output at degree d' (`K·p(d')`). */
  readonly sizeByDegree: Int32Array;
  /** `col[k·p + a]`: parameter index of feature a (basis order, a < p(d)) of gate k. */
  readonly col: Int32Array;
  /**
   * `raise[c·p + a]`: index, in the degree-(d+1) basis, of feature a with coordinate c raised by one, and
   * `raiseScale[c·p + a] = √(a_c + 1)`: `u_c·φ_a(u) − ∂φ_a/∂u_c = √(a_c+1)·φ_{a+e_c}(u)` for normalised Hermite.
   */
  readonly raise: Int32Array;
  readonly raiseScale: Float64Array;
}

/** Builds the {@link GatedLayout} for `feats` (degree d) — `raised` is the degree-(d+1) basis of the same dim. */
export function gatedLayout(K: number, feats: LevelFeatures, raised: LevelFeatures): GatedLayout {
  const m = feats.dim;
  const d = feats.degree;
  const p = feats.size;
  const sb = feats.sizeByDegree;
  const sizeByDegree = new Int32Array(d + 1);
  for (let g = 0; g <= d; g++) sizeByDegree[g] = K * sb[g]!;
  const col = new Int32Array(K * p);
  for (let a = 0; a < p; a++) {
    let g = 0;
    while (sb[g]! <= a) g++;
    const lo = g === 0 ? 0 : sb[g - 1]!;
    const cnt = sb[g]! - lo;
    for (let k = 0; k < K; k++) col[k * p + a] = K * lo + k * cnt + (a - lo);
  }
  const ex = raised.basis.exponents;
  const lookup = new Map<string, number>();
  for (let f = 0; f < raised.size; f++) lookup.set(ex.subarray(f * m, (f + 1) * m).join(","), f);
  const raise = new Int32Array(m * p);
  const raiseScale = new Float64Array(m * p);
  const tmp = new Uint8Array(m);
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < m; c++) {
      tmp.set(feats.basis.exponents.subarray(a * m, (a + 1) * m));
      const e = tmp[c]! + 1;
      tmp[c] = e;
      const f = lookup.get(tmp.join(","));
      // internal invariant: `raised` is the degree-(d+1) basis, so it holds every raised monomial
      if (f === undefined) throw new Error(`gatedLayout: raised basis lacks the monomial ${tmp.join(",")}`);
      raise[c * p + a] = f;
      raiseScale[c * p + a] = Math.sqrt(e);
    }
  }
  return { K, m, degree: d, sizeByDegree, col, raise, raiseScale };
}
