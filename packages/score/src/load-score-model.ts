import { findTooDeep, MixdiffError } from "@mixdiff/core";
import { featureCount, MAX_DEGREE } from "@mixdiff/polyreg";
import type { FitDiagnostics, LearnedScoreModel, ModelState } from "./learned-score-model.js";
import type { LevelState } from "./level-state.js";
import { checksumOf, FORMAT, modelFromState, VERSION } from "./write-score-model.js";

// Moved: the canonical JSON and its hash live in @mixdiff/core, the writer in write-score-model.ts; re-exported
// here for the tests and tools that import them from this file.
export { canonicalJson, fnv1a64 } from "@mixdiff/core";
export { modelFromState, stateToJSON } from "./write-score-model.js";

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
  // Before anything recursive (the checksum): 20 000 nested objects would overflow the stack.
  const deep = findTooDeep(j, MAX_MODEL_DEPTH);
  if (deep !== null) {
    fail(deep, `is nested deeper than ${MAX_MODEL_DEPTH} objects/arrays (a model file is at most 6 deep)`);
  }
  const o = j as Record<string, unknown>;
  if (o.format !== FORMAT) fail("format", `must be "${FORMAT}"; got ${JSON.stringify(o.format)}`);
  if (o.version !== 1 && o.version !== 2 && o.version !== VERSION) {
    const newer = typeof o.version === "number" && Number.isInteger(o.version) && o.version > VERSION;
    throw new MixdiffError(
      "MODEL_VERSION",
      newer
        ? `loadScoreModel: the model file was written by a newer mixdiff (format v${o.version}); this build reads format v1–v${VERSION} — upgrade @mixdiff/score (or the mixdiff CLI) to load it`
        : `loadScoreModel: unsupported model version ${JSON.stringify(o.version)}; this build reads format v1–v${VERSION}`,
      { path: "version" },
      { version: o.version, supported: [1, 2, VERSION] },
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
  if (!(sigma0 >= SIGMA0_RANGE[0] && sigma0 <= SIGMA0_RANGE[1])) {
    fail(
      "model.sigma0",
      `must be in [${SIGMA0_RANGE[0]}, ${SIGMA0_RANGE[1]}] (σ0² and the samplers' default end time 1e-3·σ0² must be normal doubles); got ${sigma0}`,
    );
  }
  const degree = num(md.degree, "model.degree", { integer: true, min: 0 });
  if (degree > MAX_DEGREE)
    fail("model.degree", `must be ≤ ${MAX_DEGREE} (the largest polynomial degree); got ${degree}`);
  const interpolation = md.interpolation;
  if (interpolation !== "nearest" && interpolation !== "log-sigma")
    fail("model.interpolation", 'must be "nearest" or "log-sigma"');
  let base = false;
  let gating: "soft" | "hard" = "hard";
  let clip = true;
  if (o.version === 1) {
    if (md.base !== undefined) fail("model.base", "is not part of format version 1");
  } else if (o.version === 2) {
    if (md.base !== true) fail("model.base", "must be true in format version 2 (v1 files have no mixture base)");
    base = true;
  } else {
    if (md.base !== undefined) fail("model.base", "is not part of format version 3 (soft gates contain the base)");
    if (md.gating !== "soft" && md.gating !== "hard")
      fail("model.gating", 'must be "soft" or "hard" in format version 3');
    if (typeof md.clip !== "boolean") fail("model.clip", "must be true or false in format version 3");
    gating = md.gating;
    clip = md.clip;
    if (gating === "soft" && !clip) fail("model.clip", "must be true for soft-gated models");
  }
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
      arr(c, `${p}.coefficients[${k}]`, featureCount(m, degrees[k]!) * m),
    );
    const fields = {
      t,
      centers: arr(L.centers, `${p}.centers`, K * m),
      degrees,
      coefficients,
      lower: arr(L.lower, `${p}.lower`, K * m),
      upper: arr(L.upper, `${p}.upper`, K * m),
      mass: arr(L.mass, `${p}.mass`, K),
    };
    if (gating === "soft") return { kind: "gated" as const, ...fields };
    return { kind: "voronoi" as const, ...fields, ...(base ? { base: true } : {}), ...(clip ? {} : { clip: false }) };
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
    gating,
    outLower: arr(md.outLower, "model.outLower", m),
    outUpper: arr(md.outUpper, "model.outUpper", m),
    levels,
  };
  checkSemantics(state, o.version === VERSION);
  return modelFromState(state, JSON.parse(JSON.stringify(diag)) as FitDiagnostics);
}

/** Deepest nesting of objects/arrays a model file may have (a valid file has 6); deeper is `MODEL_FORMAT`. */
export const MAX_MODEL_DEPTH = 32;
/**
 * Accepted range of `model.sigma0`: outside it σ0² (or the samplers' default end time `1e-3·σ0²`) underflows or
 * overflows, and the model could load but not be sampled.
 */
export const SIGMA0_RANGE = [1e-150, 1e150] as const;

/** Tolerance on `|UᵀU − I|` entries for the stored basis (a fitted basis is orthonormal to ~1e-15). */
export const BASIS_TOLERANCE = 1e-6;
/** Tolerance on `|Σ mass − 1|` per level (masses are row fractions, exact up to rounding). */
export const MASS_TOLERANCE = 1e-6;
/**
 * Bound on stored coefficient magnitudes relative to the output scale: `|c| ≤ COEFFICIENT_BOUND · S`
 * with `S = max(1, σ0, max_c |outLower_c|, max_c |outUpper_c|)`.
 */
export const COEFFICIENT_BOUND = 1e6;

/**
 * Semantic validation of a state whose fields already have the right shapes and are finite.
 *
 * - basis columns orthonormal: `|(UᵀU)_{ab} − δ_{ab}| ≤ BASIS_TOLERANCE`;
 * - `outLower ≤ outUpper` and per cell `lower ≤ upper`;
 * - per level masses ≥ 0 summing to 1 within `MASS_TOLERANCE`;
 * - level times strictly decreasing, `t > 0` (format v3: `t ≥ 0`, so only the last level may be at 0);
 *   `tMin ≤` the smallest level time unless that is 0;
 * - coefficients bounded: `|c| ≤ COEFFICIENT_BOUND · S`. Rationale: the predictor's output
 *   `f̂ = Σ_a φ_a(u) c_a` is clipped to `[outLower, outUpper]`, whose scale is S, and the features are
 *   normalised Hermite polynomials (unit variance under N(0, I)); a ridge fit whose fitted values are
 *   of size S has coefficients of size about S times the (ridge-bounded) conditioning of the design,
 *   many orders below 1e6 for the fits `fitScore` produces. Larger values mean a corrupted or hand-edited
 *   file. This bound does not by itself make overflow impossible (features grow with the clipping box),
 *   so `score`/`posteriorMean` additionally throw `NUMERICAL_FAILURE` on any non-finite output.
 *
 * (σ0 > 0, integer degrees ≤ model.degree and coefficient lengths consistent with the degrees, finite
 * centres are checked while parsing.)
 */
function checkSemantics(s: ModelState, v3: boolean): void {
  const { dim: n, subspaceDim: m, basis } = s;
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += basis[j * m + a]! * basis[j * m + b]!;
      const want = a === b ? 1 : 0;
      if (!(Math.abs(dot - want) <= BASIS_TOLERANCE)) {
        fail(
          "model.basis",
          `columns must be orthonormal (|UᵀU − I| ≤ ${BASIS_TOLERANCE}); column ${a}·column ${b} = ${dot}`,
        );
      }
    }
  }
  let scale = Math.max(1, s.sigma0);
  for (let c = 0; c < m; c++) {
    const lo = s.outLower[c]!;
    const hi = s.outUpper[c]!;
    if (!(lo <= hi)) fail(`model.outLower[${c}]`, `must be ≤ model.outUpper[${c}] (${lo} > ${hi})`);
    scale = Math.max(scale, Math.abs(lo), Math.abs(hi));
  }
  const cBound = COEFFICIENT_BOUND * scale;
  let prevT = Infinity;
  s.levels.forEach((L, li) => {
    const p = `model.levels[${li}]`;
    if (!(L.t > 0 || (v3 && L.t === 0))) fail(`${p}.t`, `must be > 0; got ${L.t}`);
    if (!(L.t < prevT)) fail(`${p}.t`, `must be strictly less than the previous level's t (${prevT}); got ${L.t}`);
    prevT = L.t;
    const K = L.degrees.length;
    for (let i = 0; i < K * m; i++) {
      if (!(L.lower[i]! <= L.upper[i]!)) {
        fail(`${p}.lower[${i}]`, `must be ≤ ${p}.upper[${i}] (${L.lower[i]} > ${L.upper[i]})`);
      }
    }
    let total = 0;
    for (let k = 0; k < K; k++) {
      const w = L.mass[k]!;
      if (!(w >= 0)) fail(`${p}.mass[${k}]`, `must be ≥ 0; got ${w}`);
      total += w;
    }
    if (!(Math.abs(total - 1) <= MASS_TOLERANCE)) fail(`${p}.mass`, `must sum to 1 (±${MASS_TOLERANCE}); got ${total}`);
    L.coefficients.forEach((c, k) => {
      for (let i = 0; i < c.length; i++) {
        if (!(Math.abs(c[i]!) <= cBound)) {
          fail(`${p}.coefficients[${k}][${i}]`, `must have |c| ≤ ${COEFFICIENT_BOUND}·scale = ${cBound}; got ${c[i]}`);
        }
      }
    });
  });
  const top = s.levels[0]!.t;
  if (prevT === 0 ? !(s.tMin < top) : !(s.tMin <= prevT))
    fail(
      "model.tMin",
      prevT === 0
        ? `must be below the largest level time (${top}); got ${s.tMin}`
        : `must be ≤ the smallest level time (${prevT}); got ${s.tMin}`,
    );
}
