import { atoms } from "./mixing/atoms.js";
import { balls } from "./mixing/balls.js";
import { circle } from "./mixing/circle.js";
import { polyline } from "./mixing/polyline.js";
import { sphere } from "./mixing/sphere.js";

/**
 * Every mixing family, by spec `kind`. A new family is one file in `src/mixing/` plus one entry here;
 * {@link MixingSpec}, {@link MixingKind}, the spec parser, the registry tests, the CLI and the docs' plots
 * enumerate this map.
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
} as const;

/**
 * A mixing family name: a key of {@link mixingFamilies}.
 *
 * @example
 * ```ts
 * import type { MixingKind } from "@mixdiff/mixtures";
 * const kind: MixingKind = "polyline";
 * ```
 */
export type MixingKind = keyof typeof mixingFamilies;

/**
 * The spec type of family `K`, read off its registry entry (`MixingSpecOf<"circle">` is `CircleSpec`).
 *
 * @example
 * ```ts
 * import type { MixingSpecOf } from "@mixdiff/mixtures";
 * const c: MixingSpecOf<"circle"> = { kind: "circle", center: [0, 0], radius: 1 };
 * ```
 */
export type MixingSpecOf<K extends MixingKind> = Parameters<(typeof mixingFamilies)[K]["create"]>[0];

/**
 * The JSON spec of a mixing distribution Q0, discriminated by `kind`: the union of the spec types of the
 * registered families (derived from {@link mixingFamilies}).
 *
 * @example
 * ```ts
 * import type { MixingSpec } from "@mixdiff/mixtures";
 * const m: MixingSpec = { kind: "atoms", points: [[-1], [1]] };
 * ```
 */
export type MixingSpec = { [K in MixingKind]: MixingSpecOf<K> }[MixingKind];
