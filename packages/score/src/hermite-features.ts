import { MixdiffError } from "@mixdiff/core";

/**
 * Normalised probabilists' Hermite features `h_e(u) = Π_j He_{e_j}(u_j)/√(e_j!)` of total degree ≤ d
 * (orthonormal under N(0, I)), in graded order: degree 0, then 1, …, d; within a degree, exponent
 * vectors in descending lexicographic order. A degree-d' ≤ d basis is therefore a *prefix* of the
 * degree-d basis (lower-degree fits use the leading sub-block of the Gram matrix).
 *
 * Internal to the learner (hot loop, no validation beyond construction).
 *
 * @example
 * ```ts
 * const b = hermiteFeatures(2, 2); // b.size === 6
 * const out = new Float64Array(6);
 * b.evaluate(new Float64Array([0.5, -1]), 0, out, 0);
 * ```
 */
export interface HermiteFeatures {
  readonly dim: number;
  readonly degree: number;
  readonly size: number;
  /** `[size, dim]` exponents. */
  readonly exponents: Uint8Array;
  /** `sizeByDegree[d']` = number of features of total degree ≤ d'. */
  readonly sizeByDegree: Int32Array;
  /** Features of the point `u[offset .. offset+dim)` into `out[outOffset .. outOffset+size)`. */
  evaluate(u: Float64Array, offset: number, out: Float64Array, outOffset: number): void;
  /**
   * Features and their partial derivatives: `grad[a*dim + j] = ∂h_a/∂u_j` (needs `size*dim` entries).
   */
  evaluateWithGradient(u: Float64Array, offset: number, out: Float64Array, grad: Float64Array): void;
}

/** Exact binomial C(m + d, d) as a double; RESOURCE_LIMIT beyond 2^53. */
export function featureCount(m: number, d: number): number {
  let c = 1;
  for (let i = 1; i <= d; i++) c = (c * (m + i)) / i;
  const r = Math.round(c);
  if (!Number.isSafeInteger(r))
    throw new MixdiffError("RESOURCE_LIMIT", `featureCount: C(${m}+${d}, ${d}) exceeds 2^53`);
  return r;
}

function enumerate(dim: number, total: number, prefix: number[], out: number[][]): void {
  if (prefix.length === dim - 1) {
    out.push([...prefix, total]);
    return;
  }
  for (let e = total; e >= 0; e--) {
    prefix.push(e);
    enumerate(dim, total - e, prefix, out);
    prefix.pop();
  }
}

/**
 * Builds the feature map for `dim` inputs and total degree ≤ `degree` (see {@link HermiteFeatures}).
 *
 * @example
 * ```ts
 * hermiteFeatures(1, 3).size; // 4
 * ```
 */
export function hermiteFeatures(dim: number, degree: number): HermiteFeatures {
  const rowsList: number[][] = [];
  const sizeByDegree = new Int32Array(degree + 1);
  for (let t = 0; t <= degree; t++) {
    enumerate(dim, t, [], rowsList);
    sizeByDegree[t] = rowsList.length;
  }
  const size = rowsList.length;
  const exponents = new Uint8Array(size * dim);
  for (let a = 0; a < size; a++) {
    const r = rowsList[a] as number[];
    for (let j = 0; j < dim; j++) exponents[a * dim + j] = r[j] as number;
  }
  const stride = degree + 1;
  // h[j*stride + k] = He_k(u_j)/√k!, dh = derivative √k h_{k-1}.
  const h = new Float64Array(dim * stride);
  const dh = new Float64Array(dim * stride);
  const sqrtK = new Float64Array(stride + 1);
  for (let k = 0; k <= stride; k++) sqrtK[k] = Math.sqrt(k);
  const fill = (u: Float64Array, offset: number): void => {
    for (let j = 0; j < dim; j++) {
      const x = u[offset + j] as number;
      const b = j * stride;
      h[b] = 1;
      if (degree >= 1) h[b + 1] = x;
      // normalised recurrence: h_{k+1} = (x h_k − √k h_{k−1}) / √(k+1)
      for (let k = 1; k < degree; k++) {
        h[b + k + 1] =
          (x * (h[b + k] as number) - (sqrtK[k] as number) * (h[b + k - 1] as number)) / (sqrtK[k + 1] as number);
      }
    }
  };
  const evaluate = (u: Float64Array, offset: number, out: Float64Array, outOffset: number): void => {
    fill(u, offset);
    for (let a = 0; a < size; a++) {
      let v = 1;
      const ea = a * dim;
      for (let j = 0; j < dim; j++) {
        const e = exponents[ea + j] as number;
        if (e !== 0) v *= h[j * stride + e] as number;
      }
      out[outOffset + a] = v;
    }
  };
  const evaluateWithGradient = (u: Float64Array, offset: number, out: Float64Array, grad: Float64Array): void => {
    fill(u, offset);
    for (let j = 0; j < dim; j++) {
      const b = j * stride;
      dh[b] = 0;
      for (let k = 1; k <= degree; k++) dh[b + k] = (sqrtK[k] as number) * (h[b + k - 1] as number);
    }
    for (let a = 0; a < size; a++) {
      const ea = a * dim;
      let v = 1;
      for (let j = 0; j < dim; j++) v *= h[j * stride + (exponents[ea + j] as number)] as number;
      out[a] = v;
      for (let q = 0; q < dim; q++) {
        let g = 1;
        for (let j = 0; j < dim; j++) {
          const e = exponents[ea + j] as number;
          g *= j === q ? (dh[j * stride + e] as number) : (h[j * stride + e] as number);
        }
        grad[ea + q] = g;
      }
    }
  };
  return { dim, degree, size, exponents, sizeByDegree, evaluate, evaluateWithGradient };
}
