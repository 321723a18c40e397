import { createHash } from "node:crypto";
import type { Seed } from "@mixdiff/core";
import { MixdiffError, toArrays } from "@mixdiff/core";
import type { Distribution, DistributionSpec, EmResult } from "@mixdiff/mixtures";
import { createDistribution, parseSpec } from "@mixdiff/mixtures";
import type { LearnedScoreModel, ScoreModel } from "@mixdiff/score";
import { loadScoreModel } from "@mixdiff/score";
import { z } from "zod";
import { CliError } from "./exit-codes.js";
import { displayName, readJsonFile } from "./input.js";
import { CLI_VERSION } from "./program.js";
import type { ModelSource } from "./tasks.js";

/** Format tag and major version of the EM model files this CLI writes. */
export const EM_FORMAT = "mixdiff-em";
export const EM_VERSION = 1;

const finite = z.number().refine(Number.isFinite, "must be a finite number");

/** The zod schema of an EM model file (`{ format: "mixdiff-em", version: 1, … }`); unknown fields are refused. */
export const emFileSchema = z
  .strictObject({
    format: z.literal(EM_FORMAT),
    version: z.number().int(),
    writer: z.string(),
    seed: z.union([z.number(), z.string()]),
    dim: z.number().int().min(1),
    // as a spec's noiseStd: σ0² must be a normal double
    noiseStd: finite.refine((v) => v >= 1e-150 && v <= 1e150, "must be in [1e-150, 1e150]"),
    k: z.number().int().min(1),
    weights: z.array(finite.refine((v) => v >= 0, "must be ≥ 0")).min(1),
    means: z.array(z.array(finite)).min(1),
    logLikelihood: finite,
    bic: finite,
    iterations: z.number().int().min(0),
    converged: z.boolean(),
    checksum: z.string(),
  })
  .superRefine((f, ctx) => {
    if (f.weights.length !== f.k)
      ctx.addIssue({ code: "custom", path: ["weights"], message: `has ${f.weights.length} entries; k = ${f.k}` });
    if (f.means.length !== f.k)
      ctx.addIssue({ code: "custom", path: ["means"], message: `has ${f.means.length} rows; k = ${f.k}` });
    f.means.forEach((m, i) => {
      if (m.length !== f.dim)
        ctx.addIssue({ code: "custom", path: ["means", i], message: `has ${m.length} entries; dim = ${f.dim}` });
    });
    const s = f.weights.reduce((a, b) => a + b, 0);
    if (Math.abs(s - 1) > 1e-9) ctx.addIssue({ code: "custom", path: ["weights"], message: `sum to ${s}; expected 1` });
  });

export type EmFile = z.infer<typeof emFileSchema>;

function checksumOf(body: object): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(body)).digest("hex")}`;
}

/** The EM model file for a fit (with checksum over the other fields). */
export function emFileFrom(r: EmResult, seed: Seed): EmFile {
  const means = toArrays(r.means);
  const body = {
    format: EM_FORMAT as typeof EM_FORMAT,
    version: EM_VERSION,
    writer: `mixdiff-cli ${CLI_VERSION}`,
    seed,
    dim: r.means.cols,
    noiseStd: r.noiseStd,
    k: r.k,
    weights: Array.from(r.weights),
    means,
    logLikelihood: r.logLikelihood,
    bic: r.bic,
    iterations: r.iterations,
    converged: r.converged,
  };
  for (const [key, v] of Object.entries(body)) {
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new MixdiffError("NUMERICAL_FAILURE", `EM fit produced a non-finite ${key} (${v}); nothing was written`);
    }
  }
  return { ...body, checksum: checksumOf(body) };
}

/** The spec of the distribution an EM file describes: atoms at the means, isotropic noise `noiseStd`. */
export function emFileSpec(f: EmFile): DistributionSpec {
  return {
    name: "em",
    dim: f.dim,
    noiseStd: f.noiseStd,
    mixing: { kind: "atoms", points: f.means, weights: f.weights },
  };
}

/** The distribution an EM file describes: atoms at the means, isotropic noise `noiseStd`. */
export function emFileDistribution(f: EmFile): Distribution {
  return createDistribution(parseSpec(emFileSpec(f)));
}

/** What a model/spec file turned out to be; `source` rebuilds the same model on the compute worker. */
export type LoadedModel = (
  | { kind: "learned"; model: LearnedScoreModel; json: Record<string, unknown> }
  | { kind: "em"; em: EmFile; distribution: Distribution }
  | { kind: "spec"; spec: DistributionSpec; distribution: Distribution }
) & { source: ModelSource };

function zodMessage(file: string, err: z.ZodError): string {
  const issue = err.issues[0]!;
  const path = issue.path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
  return `${file}: invalid EM model file: ${path || "(root)"} ${issue.message}`;
}

/** Validates parsed JSON as an EM model file (schema, version, checksum). */
export function parseEmFile(json: unknown, file: string): EmFile {
  const version = (json as { version?: unknown }).version;
  if (typeof version === "number" && version > EM_VERSION) {
    throw new CliError(
      "input",
      `${file}: EM model format version ${version} is newer than this mixdiff supports (${EM_VERSION}); upgrade mixdiff`,
    );
  }
  const r = emFileSchema.safeParse(json);
  if (!r.success) throw new CliError("input", zodMessage(file, r.error));
  const { checksum, ...body } = r.data;
  if (checksumOf(body) !== checksum) {
    throw new CliError("input", `${file}: EM model file checksum mismatch: the file was edited or is corrupt`);
  }
  return r.data;
}

/** Reads a distribution spec file (INVALID_SPEC errors name the field path); `raw` is the parsed JSON. */
export async function loadSpecFile(
  path: string,
): Promise<{ spec: DistributionSpec; distribution: Distribution; raw: unknown }> {
  const raw = await readJsonFile(path, "a distribution spec (JSON)");
  const spec = parseSpecAt(raw, displayName(path));
  return { spec, distribution: createDistribution(spec), raw };
}

function parseSpecAt(json: unknown, file: string): DistributionSpec {
  try {
    return parseSpec(json);
  } catch (e) {
    if (e instanceof MixdiffError) throw new CliError("input", `${file}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads a model file and dispatches on its kind: a learned diffusion model (`model.toJSON()` of
 * @mixdiff/score), an EM model file (`format: "mixdiff-em"`), or a distribution spec (has `mixing`).
 */
export async function loadModelFile(path: string): Promise<LoadedModel> {
  const file = displayName(path);
  const json = await readJsonFile(path, "a model file or distribution spec (JSON)");
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new CliError(
      "input",
      `${file}: expected a JSON object (a model file or a distribution spec); got ${Array.isArray(json) ? "an array" : typeof json}`,
    );
  }
  const obj = json as Record<string, unknown>;
  if (obj.format === EM_FORMAT) {
    const em = parseEmFile(obj, file);
    // the worker rebuilds with createDistribution(spec), exactly as emFileDistribution does here: same bytes
    const spec = parseSpec(emFileSpec(em));
    return { kind: "em", em, distribution: createDistribution(spec), source: { kind: "exact", spec } };
  }
  if ("mixing" in obj) {
    const spec = parseSpecAt(obj, file);
    return { kind: "spec", spec, distribution: createDistribution(spec), source: { kind: "exact", spec } };
  }
  try {
    return { kind: "learned", model: loadScoreModel(obj), json: obj, source: { kind: "learned", json: obj } };
  } catch (e) {
    if (e instanceof MixdiffError) throw new CliError("input", `${file}: ${e.message} [${e.code}]`);
    throw e;
  }
}

/**
 * The samplers end at VE time `1e-3·σ0²` and start at the model's top level: a model whose top level is not above
 * that end time (a hand-edited σ0 or level time) cannot be sampled. Refused as a bad model file naming the field,
 * instead of a usage error about a `tMin` the user never gave.
 */
export function checkSamplerTimes(model: ScoreModel, file: string): void {
  const end = 1e-3 * model.sigma0 * model.sigma0;
  if (!(model.tMax > end)) {
    throw new CliError(
      "input",
      `${file}: model.levels[0].t = ${model.tMax} must be above the samplers' end time 1e-3·σ0² = ${end} (model.sigma0 = ${model.sigma0}); the model cannot be sampled`,
    );
  }
}
