import { atoms } from "./mixing/atoms.js";
import { balls } from "./mixing/balls.js";
import { circle } from "./mixing/circle.js";
import { polyline } from "./mixing/polyline.js";
import { sphere } from "./mixing/sphere.js";
import type { MixingFamily, MixingSpec } from "./mixing-distribution.js";

/**
 * Every mixing family, by spec `kind`. A new family is one file in `src/mixing/` plus one entry here;
 * the spec parser, the CLI and the docs enumerate this map.
 *
 * @example
 * ```ts
 * import { mixingFamilies } from "@mixdiff/mixtures";
 * Object.keys(mixingFamilies); // ["atoms", "balls", "circle", "sphere", "polyline"]
 * ```
 */
export const mixingFamilies = {
  atoms,
  balls,
  circle,
  sphere,
  polyline,
} as const satisfies { [K in MixingSpec["kind"]]: MixingFamily<Extract<MixingSpec, { kind: K }>> };

/** A mixing family name: a key of {@link mixingFamilies}. */
export type MixingKind = keyof typeof mixingFamilies;
