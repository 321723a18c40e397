import type { Rng } from "@mixdiff/core";
import type { MixingDistribution, MixingFamily, MixingSpec } from "../mixing-distribution.js";
import { xy } from "../sketch-point.js";
import { specError, specKeys, specMatrix, specNumber, specObject, specVector } from "../spec-fields.js";
import { logGammaHalf, sphereLogMgf } from "../sphere-log-mgf.js";

/**
 * Spec of the uniform distribution on a round sphere of intrinsic dimension `axes.length − 1`, centred at
 * `center`, of radius `radius`, lying in the affine subspace `center + span(axes)`. `axes` are orthonormal
 * rows of length dim (1 ≤ axes.length ≤ dim).
 */
export interface SphereSpec {
  kind: "sphere";
  center: number[];
  radius: number;
  axes: number[][];
}

const LN_2PI = Math.log(2 * Math.PI);

/**
 * The uniform law on a sphere {c + R·A u : |u| = 1, u ∈ R^q} with A (dim × q) orthonormal columns. Shared by
 * the `sphere` and `circle` families. Exact closed form: with z = Aᵀ(y − c) and w = (y − c) − A z,
 * ln p = −(n/2) ln(2π s2) − (|w|² + (|z| − R)²)/(2 s2) + g_ν(R|z|/s2) and
 * E[μ | y] = c + R·(I_{q/2}(κ)/I_{q/2−1}(κ))·A z/|z|, where g_ν is {@link sphereLogMgf}. Internal.
 */
export class UniformSphere implements MixingDistribution {
  readonly kind: "sphere" | "circle";
  readonly dim: number;
  readonly q: number;
  readonly radius: number;
  readonly center: Float64Array;
  /** q rows of length dim (row-major), orthonormal. */
  readonly axes: Float64Array;
  private readonly nu: number;
  private readonly lgNu1: number;
  private readonly z: Float64Array;
  private readonly ratio = new Float64Array(1);
  constructor(
    kind: "sphere" | "circle",
    center: ArrayLike<number>,
    radius: number,
    axes: ArrayLike<number>,
    q: number,
  ) {
    this.kind = kind;
    this.dim = center.length;
    this.q = q;
    this.radius = radius;
    this.center = Float64Array.from(center);
    this.axes = Float64Array.from(axes);
    this.nu = q / 2 - 1;
    this.lgNu1 = logGammaHalf(q);
    this.z = new Float64Array(q);
  }
  sampleInto(out: Float64Array, offset: number, rng: Rng): number {
    const { q, dim: n, axes, z } = this;
    let r2 = 0;
    do {
      r2 = 0;
      for (let a = 0; a < q; a++) {
        const g = rng.normal();
        z[a] = g;
        r2 += g * g;
      }
    } while (r2 < 1e-300);
    const s = this.radius / Math.sqrt(r2);
    for (let d = 0; d < n; d++) out[offset + d] = this.center[d]!;
    for (let a = 0; a < q; a++) {
      const za = z[a]! * s;
      for (let d = 0; d < n; d++) out[offset + d] = out[offset + d]! + za * axes[a * n + d]!;
    }
    return -1;
  }
  logDensityAndPosteriorMean(y: Float64Array, s2: number, meanOut: Float64Array): number {
    const { q, dim: n, axes, z, center, radius } = this;
    let z2 = 0;
    for (let a = 0; a < q; a++) {
      let s = 0;
      for (let d = 0; d < n; d++) s += axes[a * n + d]! * (y[d]! - center[d]!);
      z[a] = s;
      z2 += s * s;
    }
    // |w|² = |y − c|² − |z|², computed directly when the subspace is a proper one (avoids cancellation).
    let w2 = 0;
    if (q < n) {
      for (let d = 0; d < n; d++) {
        let p = 0;
        for (let a = 0; a < q; a++) p += axes[a * n + d]! * z[a]!;
        const e = y[d]! - center[d]! - p;
        w2 += e * e;
      }
    }
    const zn = Math.sqrt(z2);
    const kappa = (radius * zn) / s2;
    const g = sphereLogMgf(this.nu, this.lgNu1, kappa, this.ratio);
    const r = this.ratio[0]!;
    // E[μ|y] = c + R·r·A ẑ; for tiny |z|, r/|z| → (R/s2)/(2(ν+1)) (the series limit).
    const f = zn > 0 ? (radius * r) / zn : 0;
    for (let d = 0; d < n; d++) {
      let p = 0;
      for (let a = 0; a < q; a++) p += axes[a * n + d]! * z[a]!;
      meanOut[d] = center[d]! + f * p;
    }
    const dz = zn - radius;
    return -0.5 * n * (LN_2PI + Math.log(s2)) - (w2 + dz * dz) / (2 * s2) + g;
  }
  mean(): Float64Array {
    return Float64Array.from(this.center);
  }
  secondMoment(): number {
    let c2 = 0;
    for (let d = 0; d < this.dim; d++) c2 += this.center[d]! ** 2;
    return c2 + this.radius * this.radius;
  }
  supportRadius(): number {
    let c2 = 0;
    for (let d = 0; d < this.dim; d++) c2 += this.center[d]! ** 2;
    return Math.sqrt(c2) + this.radius;
  }
  toSpec(): MixingSpec {
    const axes: number[][] = [];
    for (let a = 0; a < this.q; a++) axes.push(Array.from(this.axes.subarray(a * this.dim, (a + 1) * this.dim)));
    return { kind: "sphere", center: Array.from(this.center), radius: this.radius, axes };
  }
}

/** Checks that the rows of `axes` are orthonormal to 1e-9; INVALID_SPEC naming the offending pair. Internal. */
export function checkOrthonormal(axes: number[][], path: string): void {
  for (let a = 0; a < axes.length; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      const ra = axes[a]!;
      const rb = axes[b]!;
      for (let d = 0; d < ra.length; d++) s += ra[d]! * rb[d]!;
      const want = a === b ? 1 : 0;
      if (Math.abs(s - want) > 1e-9) {
        specError(
          a === b ? `${path}[${a}]` : path,
          a === b
            ? `must have unit length (|axis|² = ${s})`
            : `rows ${b} and ${a} must be orthogonal (inner product ${s}); axes must be orthonormal`,
        );
      }
    }
  }
}

/**
 * Uniform on a sphere of any intrinsic dimension q − 1 (q = axes.length) embedded in R^dim through `center`
 * in the span of the orthonormal `axes`. Exact closed form (von Mises–Fisher normaliser via
 * {@link sphereLogMgf}, ≈ 1e-14 relative); labels are -1.
 *
 * @example
 * ```ts
 * import { createDistribution } from "@mixdiff/mixtures";
 * // the unit 2-sphere in R^3
 * const p = createDistribution({ dim: 3, noiseStd: 0.1, mixing: {
 *   kind: "sphere", center: [0, 0, 0], radius: 1, axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] } });
 * p.posteriorMean([[2, 0, 0]]).data[0]; // ≈ 1
 * ```
 */
export const sphere: MixingFamily<SphereSpec> = {
  kind: "sphere",
  parse(raw, path, dim) {
    const o = specObject(raw, path);
    specKeys(o, path, ["kind", "center", "radius", "axes"]);
    const center = specVector(o.center, `${path}.center`, dim);
    const radius = specNumber(o.radius, `${path}.radius`, { positive: true });
    const axes = specMatrix(o.axes, `${path}.axes`, dim);
    if (axes.length > dim) specError(`${path}.axes`, `must have at most dim = ${dim} rows; got ${axes.length}`);
    checkOrthonormal(axes, `${path}.axes`);
    return { kind: "sphere", center, radius, axes };
  },
  create(spec, dim) {
    return new UniformSphere("sphere", spec.center, spec.radius, spec.axes.flat(), spec.axes.length || dim);
  },
  sketch(spec) {
    const { center: c, radius: r, axes } = spec;
    const [a, b] = axes as [number[], number[] | undefined];
    // a 0-sphere is two points; a sphere spanning the plane is a circle; otherwise the great circle in the
    // first two axes, projected (a closed 64-gon)
    if (b === undefined) return { markers: [xy(c.map((v, d) => v - r * a[d]!)), xy(c.map((v, d) => v + r * a[d]!))] };
    if (c.length === 2) return { rings: [{ center: xy(c), radius: r }] };
    const path: [number, number][] = [];
    for (let i = 0; i <= 64; i++) {
      const th = (2 * Math.PI * i) / 64;
      path.push(xy(c.map((v, d) => v + r * (Math.cos(th) * a[d]! + Math.sin(th) * b[d]!))));
    }
    return { paths: [path] };
  },
  emComponents: () => 8,
  example: {
    dim: 3,
    // a circle of radius 2 in the plane z = 1, spanned by the first two coordinate axes
    spec: { kind: "sphere", center: [0, 0, 1], radius: 2, axes: [0, 1].map((k) => [0, 1, 2].map((j) => +(j === k))) },
  },
};
