import { describe } from "@mixdiff/core";
import type { DistributionSpec, MixingFamily, MixingSpec } from "./mixing-distribution.js";
import { mixingFamilies } from "./mixing-families.js";
import { specError, specKeys, specNumber, specObject } from "./spec-fields.js";

/** Largest accepted `dim` (a guard against absurd specs; 1e5 coordinates). */
export const MAX_SPEC_DIM = 100_000;
/** Accepted range of `noiseStd` (σ0): σ0² must be a normal double, so densities and scores can be evaluated. */
const NOISE_STD_RANGE = [1e-150, 1e150] as const;

/**
 * Validates a distribution spec (parsed JSON) and returns a clean copy (weights normalised, defaults
 * filled). Throws `MixdiffError` with code `INVALID_SPEC`, a message starting with the field path
 * (e.g. `mixing.points[2][1]: must be a finite number; got "x"`) and `location.path` set. Unknown fields are
 * rejected. Accepts every example spec of @mixdiff/cli (`mixdiff examples`) as it is.
 *
 * @example
 * ```ts
 * import { parseSpec } from "@mixdiff/mixtures";
 * const spec = parseSpec(JSON.parse('{"dim":2,"noiseStd":1,"mixing":{"kind":"circle","center":[0,0],"radius":5}}'));
 * spec.mixing.kind; // "circle"
 * ```
 */
export function parseSpec(json: unknown): DistributionSpec {
  const o = specObject(json, "spec");
  specKeys(o, "", ["name", "dim", "noiseStd", "mixing"]);
  if (o.name !== undefined && typeof o.name !== "string")
    specError("name", `must be a string; got ${describe(o.name)}`);
  const dim = specNumber(o.dim, "dim", { integer: true, min: 1, max: MAX_SPEC_DIM });
  // σ0² must be a normal double: outside this range the spec parsed but every density and score failed later
  const noiseStd = specNumber(o.noiseStd, "noiseStd", { min: NOISE_STD_RANGE[0], max: NOISE_STD_RANGE[1] });
  const m = specObject(o.mixing, "mixing");
  const kinds = Object.keys(mixingFamilies);
  if (typeof m.kind !== "string" || !kinds.includes(m.kind)) {
    specError(
      "mixing.kind",
      `must be one of ${kinds.map((k) => JSON.stringify(k)).join(", ")}; got ${describe(m.kind)}`,
    );
  }
  const family = mixingFamilies[m.kind as keyof typeof mixingFamilies] as unknown as MixingFamily<MixingSpec>;
  const mixing = family.parse(m, "mixing", dim);
  return typeof o.name === "string" ? { name: o.name, dim, noiseStd, mixing } : { dim, noiseStd, mixing };
}
