import type { MixingDistribution, MixingFamily } from "../mixing-distribution.js";
import { xy } from "../sketch-point.js";
import { specError, specKeys, specNumber, specObject, specVector } from "../spec-fields.js";
import { UniformSphere } from "./sphere.js";

/** Spec of the uniform distribution on a circle in the plane (dim must be 2). */
export interface CircleSpec {
  kind: "circle";
  center: number[];
  radius: number;
}

class Circle extends UniformSphere implements MixingDistribution {
  override toSpec(): CircleSpec {
    return { kind: "circle", center: Array.from(this.center), radius: this.radius };
  }
}

/**
 * Uniform (by arc length) on the circle of `radius` around `center` in R². Exact closed form through the
 * modified Bessel functions I_0, I_1 (scaled; ≈ 1e-14 relative, no overflow for any distance); labels are -1.
 *
 * @example
 * ```ts
 * import { createDistribution } from "@mixdiff/mixtures";
 * const p = createDistribution({ dim: 2, noiseStd: 1, mixing: { kind: "circle", center: [0, 0], radius: 5 } });
 * p.logDensity([[5, 0]], 0.5); // ln p_t at a point on the circle
 * ```
 */
export const circle: MixingFamily<CircleSpec> = {
  kind: "circle",
  parse(raw, path, dim) {
    const o = specObject(raw, path);
    specKeys(o, path, ["kind", "center", "radius"]);
    if (dim !== 2) specError(path, `kind "circle" needs dim = 2; got dim = ${dim} (use kind "sphere" with axes)`);
    const center = specVector(o.center, `${path}.center`, 2);
    const radius = specNumber(o.radius, `${path}.radius`, { positive: true });
    return { kind: "circle", center, radius };
  },
  create(spec) {
    return new Circle("circle", spec.center, spec.radius, [1, 0, 0, 1], 2);
  },
  sketch: (spec) => ({ rings: [{ center: xy(spec.center), radius: spec.radius }] }),
  emComponents: () => 8,
  example: { dim: 2, spec: { kind: "circle", center: [1, -1], radius: 3 } },
};
