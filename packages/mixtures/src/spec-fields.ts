import { describe, MixdiffError } from "@mixdiff/core";

/** Throws INVALID_SPEC `<path>: <message>` with `location.path`. Internal. */
export function specError(path: string, message: string): never {
  throw new MixdiffError("INVALID_SPEC", `${path}: ${message}`, { path });
}

/** The value as a plain object, else INVALID_SPEC. Internal. */
export function specObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    specError(path, `must be an object; got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Rejects keys of `obj` not in `allowed` (catches typos such as "noisestd"). Internal. */
export function specKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      specError(path === "" ? key : `${path}.${key}`, `unknown field (allowed: ${allowed.join(", ")})`);
    }
  }
}

/** A finite number (optionally positive / an integer in range). Internal. */
export function specNumber(
  value: unknown,
  path: string,
  o: { positive?: boolean; integer?: boolean; min?: number; max?: number } = {},
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    specError(path, `must be a finite number; got ${describe(value)}`);
  }
  if (o.integer && !Number.isInteger(value)) specError(path, `must be an integer; got ${value}`);
  if (o.positive && !(value > 0)) specError(path, `must be > 0; got ${value}`);
  if (o.min !== undefined && value < o.min) specError(path, `must be ≥ ${o.min}; got ${value}`);
  if (o.max !== undefined && value > o.max) specError(path, `must be ≤ ${o.max}; got ${value}`);
  return value;
}

/** An array of `length` finite numbers (any length when omitted). Internal. */
export function specVector(value: unknown, path: string, length?: number): number[] {
  if (!Array.isArray(value)) specError(path, `must be an array of numbers; got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    specError(path, `must have length ${length}; got ${value.length}`);
  }
  return value.map((v, i) => specNumber(v, `${path}[${i}]`));
}

/** An array of at least `minRows` rows, each an array of `cols` finite numbers. Internal. */
export function specMatrix(value: unknown, path: string, cols: number, minRows = 1): number[][] {
  if (!Array.isArray(value)) specError(path, `must be an array of points; got ${describe(value)}`);
  if (value.length < minRows) specError(path, `must have at least ${minRows} row(s); got ${value.length}`);
  return value.map((r, i) => specVector(r, `${path}[${i}]`, cols));
}

/**
 * Mixture weights: `count` non-negative numbers summing to 1 within 1e-6 (renormalised when off by more than 1e-12), or uniform
 * when `value` is undefined. Internal.
 */
export function specWeights(value: unknown, path: string, count: number): number[] {
  if (value === undefined) return new Array<number>(count).fill(1 / count);
  const w = specVector(value, path, count);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i]! < 0) specError(`${path}[${i}]`, `must be ≥ 0; got ${w[i]}`);
    sum += w[i]!;
  }
  if (!(Math.abs(sum - 1) <= 1e-6)) specError(path, `must sum to 1 (within 1e-6); got ${sum}`);
  // normalise only beyond rounding, so that parse(toSpec()) is idempotent
  return Math.abs(sum - 1) > 1e-12 ? w.map((v) => v / sum) : w;
}
