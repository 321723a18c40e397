import { canonicalJson, fnv1a64, MixdiffError } from "@mixdiff/core";
import {
  createLearnedModel,
  type FitDiagnostics,
  type LearnedModelJSON,
  type LearnedScoreModel,
  type ModelState,
} from "./learned-score-model.js";

// The writer of the model file format (`loadScoreModel` in load-score-model.ts is the reader).

/** The format tag of a model file. */
export const FORMAT = "mixdiff-score";
/**
 * Newest format version this library reads and writes (v1: hard cells; v2: hard cells with the mixture base,
 * `model.base`; v3: `model.gating` — soft-gated levels, down to t = 0 — and `model.clip`).
 */
export const VERSION = 3;

/** The checksum of a model file: {@link fnv1a64} of the canonical JSON of `{ diagnostics, model }`. */
export function checksumOf(model: unknown, diagnostics: unknown): string {
  return fnv1a64(canonicalJson({ diagnostics, model }));
}

function assertFiniteField(v: number, path: string): void {
  if (!Number.isFinite(v)) {
    throw new MixdiffError("NUMERICAL_FAILURE", `toJSON: ${path} is ${v}; refusing to write a non-finite model`, {
      path,
    });
  }
}
function assertFiniteArray(a: ArrayLike<number>, path: string): void {
  for (let i = 0; i < a.length; i++) assertFiniteField(a[i]!, `${path}[${i}]`);
}

/** Throws `NUMERICAL_FAILURE` naming the first non-finite field of a state (JSON would write it as `null`). */
function assertFiniteState(s: ModelState): void {
  assertFiniteField(s.sigma0, "model.sigma0");
  assertFiniteField(s.tMin, "model.tMin");
  assertFiniteArray(s.mean, "model.mean");
  assertFiniteArray(s.basis, "model.basis");
  assertFiniteArray(s.outLower, "model.outLower");
  assertFiniteArray(s.outUpper, "model.outUpper");
  s.levels.forEach((L, li) => {
    const p = `model.levels[${li}]`;
    assertFiniteField(L.t, `${p}.t`);
    assertFiniteArray(L.centers, `${p}.centers`);
    L.coefficients.forEach((c, k) => {
      assertFiniteArray(c, `${p}.coefficients[${k}]`);
    });
    assertFiniteArray(L.lower, `${p}.lower`);
    assertFiniteArray(L.upper, `${p}.upper`);
    assertFiniteArray(L.mass, `${p}.mass`);
  });
}

/**
 * Serialises a model state (internal; models expose `toJSON()`).
 *
 * @throws MixdiffError `NUMERICAL_FAILURE` naming the field if any number in the state is non-finite.
 */
export function stateToJSON(s: ModelState, diagnostics: FitDiagnostics): LearnedModelJSON {
  assertFiniteState(s);
  // The lowest version that represents the model: v1 files (hard cells) stay readable by older builds.
  const clip = !s.levels.some((L) => L.kind === "voronoi" && L.clip === false);
  const base = s.levels.some((L) => L.kind === "voronoi" && L.base === true);
  const version = s.gating === "soft" || !clip ? 3 : base ? 2 : 1;
  const model: LearnedModelJSON["model"] = {
    dim: s.dim,
    subspaceDim: s.subspaceDim,
    sigma0: s.sigma0,
    mean: Array.from(s.mean),
    basis: Array.from(s.basis),
    tMin: s.tMin,
    degree: s.degree,
    interpolation: s.interpolation,
    ...(version === 2 ? { base: true } : {}),
    ...(version === 3 ? { gating: s.gating, clip } : {}),
    outLower: Array.from(s.outLower),
    outUpper: Array.from(s.outUpper),
    levels: s.levels.map((L) => ({
      t: L.t,
      centers: Array.from(L.centers),
      degrees: Array.from(L.degrees),
      coefficients: L.coefficients.map((c) => Array.from(c)),
      lower: Array.from(L.lower),
      upper: Array.from(L.upper),
      mass: Array.from(L.mass),
    })),
  };
  const diag = JSON.parse(JSON.stringify(diagnostics)) as FitDiagnostics;
  return { format: FORMAT, version, checksum: checksumOf(model, diag), model, diagnostics: diag };
}

/** Builds a model from a state, wiring `toJSON` (internal). */
export function modelFromState(s: ModelState, diagnostics: FitDiagnostics): LearnedScoreModel {
  let cached: LearnedModelJSON | undefined;
  return createLearnedModel(s, diagnostics, () => {
    cached ??= stateToJSON(s, diagnostics);
    return JSON.parse(JSON.stringify(cached)) as LearnedModelJSON;
  });
}
