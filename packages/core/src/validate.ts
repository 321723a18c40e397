import { MixdiffError } from "./errors.js";

/**
 * Throws `INVALID_OPTION` unless `value` is a finite number in `[min, max]` (integer when `integer`).
 * Returns the value. `fn` and `name` go into the message: `<fn>: <name> must be ...; got <value>`.
 *
 * @example
 * ```ts
 * import { checkNumber } from "@mixdiff/core";
 * const steps = checkNumber(200, "sample", "steps", { min: 1, integer: true }); // 200
 * ```
 */
export function checkNumber(
  value: unknown,
  fn: string,
  name: string,
  opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false } = opts;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (exclusiveMin ? value > min : value >= min) &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    const kind = integer ? "an integer" : "a finite number";
    const lo = Number.isFinite(min) ? `${exclusiveMin ? ">" : "≥"} ${min}` : "";
    const hi = Number.isFinite(max) ? `≤ ${max}` : "";
    const range = [lo, hi].filter(Boolean).join(" and ");
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: ${name} must be ${kind}${range ? ` ${range}` : ""}; got ${describe(value)}`,
      { path: name },
    );
  }
  return value as number;
}

/**
 * Throws `INVALID_OPTION` unless `value` is one of `allowed`. Returns the value.
 *
 * @example
 * ```ts
 * import { checkOneOf } from "@mixdiff/core";
 * checkOneOf("heun", "sample", "sampler", ["euler", "heun"] as const); // "heun"
 * ```
 */
export function checkOneOf<T extends string>(value: unknown, fn: string, name: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${describe(value)}`,
      { path: name },
    );
  }
  return value as T;
}

/** A short, safe rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
