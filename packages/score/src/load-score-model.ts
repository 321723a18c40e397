import { MixdiffError } from "@mixdiff/core";
import { featureCount } from "./hermite-features.js";
import {
  createLearnedModel,
  type FitDiagnostics,
  type LearnedModelJSON,
  type LearnedScoreModel,
  type ModelState,
} from "./learned-score-model.js";
import type { LevelState } from "./level-predictor.js";

const FORMAT = "mixdiff-score";
const VERSION = 1;

/** JSON with object keys sorted recursively (numbers use JS shortest round-trip form). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/** Two independent FNV-1a 32-bit hashes of a string, as 16 hex digits. */
export function fnv1a64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193) >>> 0;
    h2 = (h2 ^ (h2 >>> 13)) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}

function checksumOf(model: unknown, diagnostics: unknown): string {
  return fnv1a64(canonicalJson({ diagnostics, model }));
}

/** Serialises a model state (internal; models expose `toJSON()`). */
export function stateToJSON(s: ModelState, diagnostics: FitDiagnostics): LearnedModelJSON {
  const model: LearnedModelJSON["model"] = {
    dim: s.dim,
    subspaceDim: s.subspaceDim,
    sigma0: s.sigma0,
    mean: Array.from(s.mean),
    basis: Array.from(s.basis),
    tMin: s.tMin,
    degree: s.degree,
    interpolation: s.interpolation,
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
  return { format: FORMAT, version: VERSION, checksum: checksumOf(model, diag), model, diagnostics: diag };
}

/** Builds a model from a state, wiring `toJSON` (internal). */
export function modelFromState(s: ModelState, diagnostics: FitDiagnostics): LearnedScoreModel {
  let cached: LearnedModelJSON | undefined;
  return createLearnedModel(s, diagnostics, () => {
    cached ??= stateToJSON(s, diagnostics);
    return JSON.parse(JSON.stringify(cached)) as LearnedModelJSON;
  });
}

function fail(path: string, what: string): never {
  throw new MixdiffError("MODEL_FORMAT", `loadScoreModel: ${path} ${what}`, { path });
}
function num(v: unknown, path: string, o: { min?: number; integer?: boolean; positive?: boolean } = {}): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(path, "must be a finite number");
  if (o.integer && !Number.isInteger(v)) fail(path, "must be an integer");
  if (o.min !== undefined && v < o.min) fail(path, `must be ≥ ${o.min}`);
  if (o.positive && !(v > 0)) fail(path, "must be > 0");
  return v;
}
function arr(v: unknown, path: string, len?: number): Float64Array {
  if (!Array.isArray(v)) fail(path, "must be an array of numbers");
  if (len !== undefined && v.length !== len) fail(path, `must have length ${len}; got ${v.length}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = num(v[i], `${path}[${i}]`);
  return out;
}

/**
 * Loads a learned model from its JSON form (an object or a JSON string). Verifies the format tag,
 * the version and the checksum, and every field's shape. The result is bit-exact with the saved model.
 *
 * @throws MixdiffError `MODEL_FORMAT` (naming the field path) for malformed input or a checksum
 * mismatch, `MODEL_VERSION` for an unsupported version.
 * @example
 * ```ts
 * import { fitScore, loadScoreModel } from "@mixdiff/score";
 * import { createRng } from "@mixdiff/core";
 * const m = fitScore(samples, { rng: createRng(1) });
 * const again = loadScoreModel(JSON.parse(JSON.stringify(m.toJSON())));
 * ```
 */
export function loadScoreModel(json: unknown): LearnedScoreModel {
  let j = json;
  if (typeof j === "string") {
    try {
      j = JSON.parse(j);
    } catch {
      fail("(root)", "is not valid JSON");
    }
  }
  if (typeof j !== "object" || j === null || Array.isArray(j)) fail("(root)", "must be an object");
  const o = j as Record<string, unknown>;
  if (o.format !== FORMAT) fail("format", `must be "${FORMAT}"; got ${JSON.stringify(o.format)}`);
  if (o.version !== VERSION) {
    throw new MixdiffError(
      "MODEL_VERSION",
      `loadScoreModel: unsupported model version ${JSON.stringify(o.version)}; this library reads version ${VERSION}`,
      { path: "version" },
    );
  }
  const md = o.model as Record<string, unknown>;
  if (typeof md !== "object" || md === null) fail("model", "must be an object");
  const diag = o.diagnostics as FitDiagnostics;
  if (typeof diag !== "object" || diag === null) fail("diagnostics", "must be an object");
  if (typeof o.checksum !== "string") fail("checksum", "must be a string");
  if (checksumOf(md, diag) !== o.checksum)
    fail("checksum", "does not match the content (the model was modified or corrupted)");
  const n = num(md.dim, "model.dim", { integer: true, min: 1 });
  const m = num(md.subspaceDim, "model.subspaceDim", { integer: true, min: 1 });
  if (m > n) fail("model.subspaceDim", `must be ≤ dim (${n})`);
  const sigma0 = num(md.sigma0, "model.sigma0", { positive: true });
  const degree = num(md.degree, "model.degree", { integer: true, min: 0 });
  const interpolation = md.interpolation;
  if (interpolation !== "nearest" && interpolation !== "log-sigma")
    fail("model.interpolation", 'must be "nearest" or "log-sigma"');
  if (!Array.isArray(md.levels) || md.levels.length === 0) fail("model.levels", "must be a non-empty array");
  const levels: LevelState[] = (md.levels as unknown[]).map((raw, li) => {
    const p = `model.levels[${li}]`;
    if (typeof raw !== "object" || raw === null) fail(p, "must be an object");
    const L = raw as Record<string, unknown>;
    const t = num(L.t, `${p}.t`, { min: 0 });
    if (!Array.isArray(L.degrees) || L.degrees.length === 0) fail(`${p}.degrees`, "must be a non-empty array");
    const K = L.degrees.length;
    const degrees = new Int32Array(K);
    for (let k = 0; k < K; k++) {
      const d = num(L.degrees[k], `${p}.degrees[${k}]`, { integer: true, min: 0 });
      if (d > degree) fail(`${p}.degrees[${k}]`, `must be ≤ model.degree (${degree})`);
      degrees[k] = d;
    }
    if (!Array.isArray(L.coefficients) || L.coefficients.length !== K)
      fail(`${p}.coefficients`, `must be an array of ${K} arrays`);
    const coefficients = (L.coefficients as unknown[]).map((c, k) =>
      arr(c, `${p}.coefficients[${k}]`, featureCount(m, degrees[k] as number) * m),
    );
    return {
      t,
      centers: arr(L.centers, `${p}.centers`, K * m),
      degrees,
      coefficients,
      lower: arr(L.lower, `${p}.lower`, K * m),
      upper: arr(L.upper, `${p}.upper`, K * m),
      mass: arr(L.mass, `${p}.mass`, K),
    };
  });
  const state: ModelState = {
    dim: n,
    subspaceDim: m,
    sigma0,
    mean: arr(md.mean, "model.mean", n),
    basis: arr(md.basis, "model.basis", n * m),
    tMin: num(md.tMin, "model.tMin", { min: 0 }),
    degree,
    interpolation,
    outLower: arr(md.outLower, "model.outLower", m),
    outUpper: arr(md.outUpper, "model.outUpper", m),
    levels,
  };
  return modelFromState(state, JSON.parse(JSON.stringify(diag)) as FitDiagnostics);
}
