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
  data: z.strictObject({ file: z.string(), rows: z.number().int().min(2), dim: z.number().int().min(1) }),
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

export const evaluateSummarySchema = z.strictObject({
  command: z.literal("evaluate"),
  version: z.string(),
  seed,
  seedDrawn: z.boolean(),
  samples: z.strictObject({ file: z.string(), rows: z.number().int().min(2), dim: z.number().int().min(1) }),
  against: z.strictObject({
    spec: z.string().optional(),
    reference: z.string().optional(),
    referenceRows: z.number().int().min(1),
  }),
  metrics: z
    .array(z.strictObject({ name: z.string(), value: finite, standardError: finite.nullable(), note: z.string() }))
    .min(1),
  scoreError: z
    .strictObject({
      model: z.string(),
      levels: z.array(z.strictObject({ t: finite, mse: finite, relative: finite, standardError: finite })).min(1),
      klBound: finite,
    })
    .optional(),
});
