import { createPoints, createRng, type Points, type Rng } from "@mixdiff/core";
import { sample as diffusionSample, type SamplerName, samplers } from "@mixdiff/diffusion";
import { exactScoreModel, type ScoreModel } from "@mixdiff/score";
import { defaultHeader, formatCsv } from "../csv.js";
import { CliError } from "../exit-codes.js";
import { parseIntOption, resolveSeed } from "../input.js";
import { loadModelFile } from "../model-file.js";
import { checkpoint, checkWritable, OutputFile, writeOutput } from "../output.js";
import { Reporter } from "../reporter.js";
import { provenance, showSeed } from "./common.js";

export interface SampleCommandOptions {
  n: string;
  out: string;
  seed?: string;
  sampler?: string;
  steps?: string;
  oracle?: boolean;
  /** `--no-subspace` sets false: simulate all n coordinates. */
  subspace?: boolean;
  header: boolean;
  force?: boolean;
}

/** Samples per sampler call; between chunks the event loop runs, so Ctrl-C is handled promptly. */
export const SAMPLE_CHUNK = 2048;

/** The sampler names, for help and errors. */
export const SAMPLER_NAMES = Object.keys(samplers) as SamplerName[];

export function checkSamplerName(name: string): SamplerName {
  if (!(SAMPLER_NAMES as string[]).includes(name)) {
    throw new CliError("usage", `--sampler ${JSON.stringify(name)}: expected one of ${SAMPLER_NAMES.join(", ")}`);
  }
  return name as SamplerName;
}

/**
 * Runs a reverse-diffusion sampler in chunks of {@link SAMPLE_CHUNK} rows (sample i always uses noise stream
 * i, so the output does not depend on the chunking), yielding to the event loop between chunks. Each chunk
 * goes to `onChunk` when given (streaming, O(chunk) memory); otherwise all samples are returned.
 */
export async function sampleInChunks(
  model: ScoreModel,
  o: { n: number; rng: Rng; sampler: SamplerName; steps?: number; simulateSubspace?: boolean },
  log: Reporter,
  onChunk?: (chunk: Points) => void,
): Promise<Points> {
  const out = createPoints(onChunk ? 0 : o.n, model.dim);
  log.start("sample", o.n, "samples");
  for (let off = 0; off < o.n; off += SAMPLE_CHUNK) {
    const m = Math.min(SAMPLE_CHUNK, o.n - off);
    const r = diffusionSample(model, {
      n: m,
      rng: o.rng,
      offset: off,
      sampler: o.sampler,
      ...(o.steps !== undefined && { steps: o.steps }),
      ...(o.simulateSubspace === false && { simulateSubspace: false }),
    });
    if (onChunk) onChunk(r.samples);
    else out.data.set(r.samples.data, off * model.dim);
    log.update(off + m, `(${o.sampler})`);
    await checkpoint();
  }
  log.stop();
  return out;
}

/** `mixdiff sample <model.json|spec.json> --n N --seed S --out samples.csv [--sampler NAME] [--steps M] [--oracle]`. */
export async function sample(modelPath: string, opts: SampleCommandOptions): Promise<void> {
  const n = parseIntOption("--n", opts.n, 1, 100_000_000);
  const steps = opts.steps === undefined ? undefined : parseIntOption("--steps", opts.steps, 1, 1_000_000);
  const samplerName = opts.sampler === undefined ? undefined : checkSamplerName(opts.sampler);
  const { seed, drawn } = resolveSeed(opts.seed);
  checkWritable(opts.out, !!opts.force);
  const loaded = loadModelFile(modelPath);
  const log = new Reporter(false);
  if (loaded.kind === "spec" && !opts.oracle) {
    throw new CliError(
      "usage",
      `${modelPath} is a distribution spec: pass --oracle to run the sampler on its exact score (or use \`mixdiff generate\` for exact samples)`,
    );
  }
  if (loaded.kind !== "spec" && opts.oracle) {
    throw new CliError("usage", `--oracle needs a distribution spec; ${modelPath} is a ${loaded.kind} model file`);
  }
  if (drawn) log.info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const rng = createRng(seed);
  const comments = [
    provenance("sample", {
      model: modelPath,
      n,
      seed: showSeed(seed),
      sampler: samplerName,
      steps,
      oracle: opts.oracle || undefined,
      subspace: opts.subspace === false ? false : undefined,
    }),
  ];
  let how: string;
  if (loaded.kind === "em" && samplerName === undefined && steps === undefined) {
    const x = loaded.distribution.sample(n, rng).x;
    how = "exact draws from the EM mixture";
    const text = formatCsv(x, { comments, header: opts.header ? defaultHeader(x.cols) : undefined });
    await checkpoint();
    writeOutput(opts.out, text, { force: !!opts.force });
  } else {
    // Streamed: each chunk is formatted and appended to the temp file, which is renamed at the end.
    const model: ScoreModel = loaded.kind === "learned" ? loaded.model : exactScoreModel(loaded.distribution);
    const sampler = samplerName ?? "exponentialIntegrator";
    const out = new OutputFile(opts.out, { force: !!opts.force });
    try {
      out.write(
        formatCsv(createPoints(0, model.dim), { comments, header: opts.header ? defaultHeader(model.dim) : undefined }),
      );
      const simulateSubspace = opts.subspace !== false;
      await sampleInChunks(
        model,
        { n, rng, sampler, simulateSubspace, ...(steps !== undefined && { steps }) },
        log,
        (chunk) => out.write(formatCsv(chunk)),
      );
      out.commit();
    } catch (e) {
      out.abort();
      throw e;
    }
    const m = model.subspace?.dim;
    how = `${sampler} sampler on the ${loaded.kind === "learned" ? "learned" : "exact"} score${
      m !== undefined && opts.subspace !== false
        ? `, ${m} of ${model.dim} coordinates simulated, the rest drawn exactly`
        : ""
    }`;
  }
  if (opts.out !== "-") log.info(`wrote ${n} samples (${how}) to ${opts.out}`);
}
