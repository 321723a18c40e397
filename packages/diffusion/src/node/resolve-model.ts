/// <reference types="node" />
import { MixdiffError } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";

/**
 * A serialisable description of a score model, from which every worker thread rebuilds the same model:
 * - `{ kind: "exact", spec }`: `exactScoreModel(createDistribution(spec))` (a `@mixdiff/mixtures` spec, e.g.
 *   `test-fixtures/eval/cases/gmm2d.json`);
 * - `{ kind: "learned", json }`: `loadScoreModel(json)` (a saved learned model);
 * - `{ kind: "module", url, export?, args? }`: `(await import(url))[export ?? "default"](args)`, for custom
 *   models (the module must be importable by plain Node).
 *
 * @example
 * ```ts
 * import type { ModelDescriptor } from "@mixdiff/diffusion/node";
 * const exact: ModelDescriptor = { kind: "exact", spec: { dim: 1, noiseStd: 1, mixing: { kind: "atoms", points: [[0]], weights: [1] } } };
 * const learned: ModelDescriptor = { kind: "learned", json: savedModelJson };
 * ```
 */
export type ModelDescriptor =
  | { readonly kind: "exact"; readonly spec: unknown }
  | { readonly kind: "learned"; readonly json: unknown }
  | { readonly kind: "module"; readonly url: string; readonly export?: string; readonly args?: unknown };

/**
 * Builds the score model a {@link ModelDescriptor} describes (used by the pool and by each worker).
 *
 * @param descriptor - the model description.
 * @returns the score model.
 * @throws MixdiffError `INVALID_INPUT` for an unknown descriptor; whatever the model's loader throws
 *   (`INVALID_SPEC`, `MODEL_FORMAT`, `MODEL_VERSION`).
 *
 * @example
 * ```ts
 * import { resolveModel } from "@mixdiff/diffusion/node";
 * const model = await resolveModel({ kind: "exact", spec: { dim: 1, noiseStd: 1, mixing: { kind: "atoms", points: [[-2], [2]], weights: [0.5, 0.5] } } });
 * ```
 */
export async function resolveModel(descriptor: ModelDescriptor): Promise<ScoreModel> {
  const kind = (descriptor as { kind?: unknown } | null)?.kind;
  if (kind === "exact") {
    const [{ exactScoreModel }, { createDistribution }] = await Promise.all([
      import("@mixdiff/score"),
      import("@mixdiff/mixtures"),
    ]);
    return exactScoreModel(createDistribution((descriptor as { spec: unknown }).spec));
  }
  if (kind === "learned") {
    const { loadScoreModel } = await import("@mixdiff/score");
    return loadScoreModel((descriptor as { json: unknown }).json);
  }
  if (kind === "module") {
    const d = descriptor as { url: string; export?: string; args?: unknown };
    const mod = (await import(d.url)) as Record<string, unknown>;
    const factory = mod[d.export ?? "default"];
    if (typeof factory !== "function") {
      throw new MixdiffError(
        "INVALID_INPUT",
        `resolveModel: ${d.url} has no function export "${d.export ?? "default"}"`,
      );
    }
    return (await factory(d.args)) as ScoreModel;
  }
  throw new MixdiffError(
    "INVALID_INPUT",
    `resolveModel: descriptor.kind must be "exact", "learned" or "module"; got ${JSON.stringify(kind)}`,
    { path: "kind" },
  );
}
