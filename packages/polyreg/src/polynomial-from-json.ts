import { MixdiffError } from "@mixdiff/core";
import { BASIS_KINDS, type BasisKind } from "./bases.js";
import { featureCount } from "./feature-count.js";
import { MAX_DEGREE } from "./multi-indices.js";
import type { PolynomialModel } from "./polynomial-model.js";

/**
 * Validates a parsed JSON value as a {@link PolynomialModel} and returns a fresh copy. Throws `MODEL_VERSION` for
 * an unknown `version` and `MODEL_FORMAT` naming the field path (e.g. `coefficients[12]`) for anything else.
 * `JSON.parse(JSON.stringify(model))` through this function gives a model with bit-identical numbers.
 *
 * @example
 * ```ts
 * import { fitPolynomial, polynomialFromJSON } from "@mixdiff/polyreg";
 * const m = fitPolynomial([[0], [1], [2]], [[1], [3], [5]], { degree: 1, ridge: 0 });
 * const back = polynomialFromJSON(JSON.parse(JSON.stringify(m))); // same numbers, bit for bit
 * ```
 */
export function polynomialFromJSON(json: unknown): PolynomialModel {
  return readPolynomial(json, "");
}

/** Validates a polynomial model found at `path` (internal; used by the piecewise reader too). */
export function readPolynomial(json: unknown, path: string): PolynomialModel {
  const at = (f: string) => (path ? `${path}.${f}` : f);
  const o = object(json, path || "(root)");
  if (o.kind !== "polynomial") fail(at("kind"), `must be "polynomial"; got ${JSON.stringify(o.kind)}`);
  version(o.version, at("version"));
  if (typeof o.basis !== "string" || !(BASIS_KINDS as string[]).includes(o.basis)) {
    fail(at("basis"), `must be one of ${BASIS_KINDS.join(", ")}; got ${JSON.stringify(o.basis)}`);
  }
  const dim = integer(o.dim, at("dim"), 1, 1 << 20);
  const degree = integer(o.degree, at("degree"), 0, MAX_DEGREE);
  const outputs = integer(o.outputs, at("outputs"), 1, 1 << 20);
  const center = numbers(o.center, at("center"), dim);
  const scale = finite(o.scale, at("scale"));
  if (!(scale > 0)) fail(at("scale"), `must be > 0; got ${scale}`);
  const clipLen = Array.isArray(o.lower) && o.lower.length === 0 ? 0 : dim;
  const lower = numbers(o.lower, at("lower"), clipLen);
  const upper = numbers(o.upper, at("upper"), clipLen);
  for (let j = 0; j < clipLen; j++) {
    if (!(lower[j]! <= upper[j]!)) fail(at(`upper[${j}]`), `must be ≥ lower[${j}]`);
  }
  let p: number;
  try {
    p = featureCount(dim, degree);
  } catch {
    fail(at("degree"), "gives too many features");
  }
  const coefficients = numbers(o.coefficients, at("coefficients"), p * outputs);
  const model: PolynomialModel = {
    kind: "polynomial",
    version: 1,
    basis: o.basis as BasisKind,
    dim,
    degree,
    outputs,
    center,
    scale,
    lower,
    upper,
    coefficients,
  };
  if (o.conditionNumber !== undefined) model.conditionNumber = finite(o.conditionNumber, at("conditionNumber"));
  if (o.rows !== undefined) model.rows = integer(o.rows, at("rows"), 0, Number.MAX_SAFE_INTEGER);
  if (o.ridge !== undefined) {
    model.ridge = finite(o.ridge, at("ridge"));
    if (model.ridge < 0) fail(at("ridge"), "must be ≥ 0");
  }
  return model;
}

/** Throws MODEL_FORMAT at `path`. */
export function fail(path: string, what: string): never {
  throw new MixdiffError("MODEL_FORMAT", `model: ${path} ${what}`, { path });
}

export function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "must be an object");
  return v as Record<string, unknown>;
}

export function version(v: unknown, path: string): void {
  if (v === 1) return;
  if (typeof v === "number") {
    throw new MixdiffError("MODEL_VERSION", `model: ${path} is ${v}; this build reads version 1`, { path });
  }
  fail(path, "must be 1");
}

export function finite(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(path, `must be a finite number; got ${JSON.stringify(v)}`);
  return v as number;
}

export function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    fail(path, `must be an integer in [${min}, ${max}]; got ${JSON.stringify(v)}`);
  }
  return v as number;
}

export function numbers(v: unknown, path: string, length: number): number[] {
  if (!Array.isArray(v)) fail(path, "must be an array of numbers");
  const a = v as unknown[];
  if (a.length !== length) fail(path, `must have ${length} entries; got ${a.length}`);
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = finite(a[i], `${path}[${i}]`);
  return out;
}
