import { z } from "zod";

/**
 * The published shapes of the CLI's `--json` outputs (zod schemas; `z.toJSONSchema(schema)` gives JSON Schema).
 * Tests validate real command output against them, so the README's description cannot drift.
 */
const seed = z.union([z.number().int().min(0), z.string().min(1)]);
const finite = z.number().refine(Number.isFinite, "must be finite");

export const fitSummarySchema = z.strictObject({
  command: z.literal("fit"),
  version: z.string(),
  method: z.enum(["diffusion", "em"]),
  seed,
  seedDrawn: z.boolean(),
  data: z.strictObject({
    file: z.string(),
    rows: z.number().int().min(2),
    dim: z.number().int().min(1),
    /** The label column `--label-column` dropped. */
    droppedColumn: z.string().optional(),
  }),
  out: z.string(),
  fitMs: z.number().min(0),
  diffusion: z
    .strictObject({
      levels: z
        .array(
          z.strictObject({
            t: finite,
            cells: z.number().int().min(1),
            degree: z.number().int().min(0),
            /** Absent where the level has no error estimate (the paper preset). */
            heldOutRelError: finite.optional(),
          }),
        )
        .min(1),
      subspaceDim: z.number().int().min(1),
      klTerm: finite,
      klTermStandardError: finite.nullable(),
      warnings: z.array(z.string()),
      mixtureEstimate: z.strictObject({ weights: z.array(finite), means: z.array(z.array(finite)) }).nullable(),
    })
    .optional(),
  em: z
    .strictObject({
      k: z.number().int().min(1),
      weights: z.array(finite),
      means: z.array(z.array(finite)),
      logLikelihood: finite,
      bic: finite,
      iterations: z.number().int().min(0),
      converged: z.boolean(),
    })
    .optional(),
});

const meanSe = z.strictObject({ mean: finite, standardError: finite });

export const evaluateSummarySchema = z.strictObject({
  command: z.literal("evaluate"),
  version: z.string(),
  seed,
  seedDrawn: z.boolean(),
  /** Absent when only `--model … --held-out …` was given. */
  samples: z.strictObject({ file: z.string(), rows: z.number().int().min(2), dim: z.number().int().min(1) }).optional(),
  against: z
    .strictObject({
      spec: z.string().optional(),
      reference: z.string().optional(),
      referenceRows: z.number().int().min(1),
    })
    .optional(),
  /** Empty without samples. */
  metrics: z.array(
    z.strictObject({ name: z.string(), value: finite, standardError: finite.nullable(), note: z.string() }),
  ),
  scoreError: z
    .strictObject({
      model: z.string(),
      levels: z.array(z.strictObject({ t: finite, mse: finite, relative: finite, standardError: finite })).min(1),
      klBound: finite,
    })
    .optional(),
  logLikelihood: z
    .strictObject({
      model: z.string(),
      modelKind: modelKind(),
      heldOut: z.strictObject({ file: z.string(), rows: z.number().int().min(2), dim: z.number().int().min(1) }),
      method: z.string(),
      mean: finite,
      standardError: finite,
      truth: meanSe.optional(),
      gap: meanSe.optional(),
    })
    .optional(),
});

/** The kind of a model file: a learned diffusion model, an EM model or a distribution spec. */
function modelKind() {
  return z.enum(["learned", "em", "spec"]);
}

export const generateSummarySchema = z.strictObject({
  command: z.literal("generate"),
  version: z.string(),
  seed,
  seedDrawn: z.boolean(),
  spec: z.string(),
  n: z.number().int().min(1),
  dim: z.number().int().min(1),
  columns: z.array(z.string()).min(1),
  header: z.boolean(),
  out: z.string(),
  provenance: z.string().startsWith("mixdiff "),
});

export const sampleSummarySchema = z.strictObject({
  command: z.literal("sample"),
  version: z.string(),
  seed,
  seedDrawn: z.boolean(),
  model: z.strictObject({ file: z.string(), kind: modelKind() }),
  n: z.number().int().min(1),
  dim: z.number().int().min(1),
  method: z.string(),
  steps: z.number().int().min(1).nullable(),
  simulatedDim: z.number().int().min(1).nullable(),
  header: z.boolean(),
  out: z.string(),
  provenance: z.string().startsWith("mixdiff "),
});

export const scoreSummarySchema = z.strictObject({
  command: z.literal("score"),
  version: z.string(),
  model: z.strictObject({ file: z.string(), kind: modelKind() }),
  what: z.enum(["score", "posterior-mean", "log-density"]),
  t: finite.refine((v) => v >= 0, "must be ≥ 0"),
  points: z.strictObject({ file: z.string(), rows: z.number().int().min(1), dim: z.number().int().min(1) }),
  method: z.string(),
  columns: z.array(z.string()).min(1),
  header: z.boolean(),
  out: z.string(),
  provenance: z.string().startsWith("mixdiff "),
});

const metricRow = z.strictObject({
  name: z.string(),
  value: finite,
  standardError: finite.nullable(),
  note: z.string(),
});
const heldOutLogLikelihood = z.strictObject({ mean: finite, standardError: finite, method: z.string() });

export const demoSummarySchema = z.strictObject({
  command: z.literal("demo"),
  version: z.string(),
  seed,
  n: z.number().int().min(1),
  nSamples: z.number().int().min(1),
  spec: z.looseObject({ dim: z.number().int().min(1), mixing: z.looseObject({ kind: z.string() }) }),
  heldOut: z.strictObject({ rows: z.number().int().min(2), truth: meanSe }),
  diffusion: z.strictObject({
    fit: fitSummarySchema.shape.diffusion.unwrap(),
    metrics: z.array(metricRow).min(1),
    heldOutLogLikelihood,
  }),
  em: z.strictObject({
    k: z.number().int().min(1),
    weights: z.array(finite),
    metrics: z.array(metricRow).min(1),
    heldOutLogLikelihood,
  }),
  out: z.string(),
  files: z.array(z.string()).min(1),
});
