import type { BasisFamily } from "./basis-family.js";
import { hermiteBasis } from "./hermite-basis.js";
import { monomialBasis } from "./monomial-basis.js";

/**
 * The registry of one-dimensional basis families: the CLI, docs and JSON validation enumerate it.
 *
 * @example
 * ```ts
 * import { bases } from "@mixdiff/polyreg";
 * Object.keys(bases); // ["hermite", "monomial"]
 * ```
 */
export const bases = {
  hermite: hermiteBasis,
  monomial: monomialBasis,
} as const satisfies Record<string, BasisFamily>;

/**
 * Name of a registered basis family.
 *
 * @example
 * ```ts
 * import type { BasisKind } from "@mixdiff/polyreg";
 * const kind: BasisKind = "hermite";
 * ```
 */
export type BasisKind = keyof typeof bases;

/**
 * The registered kinds in registry order.
 *
 * @example
 * ```ts
 * import { BASIS_KINDS } from "@mixdiff/polyreg";
 * BASIS_KINDS; // ["hermite", "monomial"]
 * ```
 */
export const BASIS_KINDS = Object.keys(bases) as BasisKind[];
