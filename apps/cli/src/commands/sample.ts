import { createPoints, type Points, type Seed } from "@mixdiff/core";
import { type SamplerName, samplers } from "@mixdiff/diffusion";
import { type ScheduleKind, schedules } from "@mixdiff/schedules";
import type { ScoreModel } from "@mixdiff/score";
import { runTask } from "../compute.js";
import { defaultHeader, formatCsv } from "../csv.js";
import { CliError } from "../exit-codes.js";
import { parseIntOption, resolveSeed } from "../input.js";
import { checkSamplerTimes, loadModelFile } from "../model-file.js";
import { OutputFile, writeStdout, yieldIfDue } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import { drawWorkers, type TaskInput } from "../tasks.js";
import { checkCsvOutputFlags, csvComments, provenance, showSeed } from "./common.js";
import { MAX_ROWS } from "./generate.js";

export interface SampleCommandOptions {
  n: string;
  out: string;
  seed?: string;
  sampler?: string;
  /** `--schedule <kind>`: for the samplers whose registry entry takes a `schedule`. */
  schedule?: string;
  steps?: string;
  oracle?: boolean;
  /** `--no-subspace` sets false: simulate all n coordinates. */
  subspace?: boolean;
  header: boolean;
  provenance?: boolean;
  json?: boolean;
  force?: boolean;
  workers?: string;
}

/** The machine-readable summary printed by `sample --json` (schema in json-schemas.ts). */
export interface SampleSummary {
  command: "sample";
  version: string;
  seed: Seed;
  seedDrawn: boolean;
  model: { file: string; kind: "learned" | "em" | "spec" };
  n: number;
  dim: number;
  /** `"exact"` for exact draws of an EM mixture, else the reverse-diffusion sampler. */
  method: "exact" | SamplerName;
  /** Sampler steps (null for exact draws). */
  steps: number | null;
  /** Coordinates the sampler simulated (m < dim when a learned model's subspace was used; null for exact draws). */
  simulatedDim: number | null;
  header: boolean;
  out: string;
  provenance: string;
}

/** The sampler names, for help and errors (from the `samplers` registry). */
export const SAMPLER_NAMES = Object.keys(samplers) as SamplerName[];

/** The schedule kinds `--schedule` accepts (from the `schedules` registry). */
export const SCHEDULE_KINDS = Object.keys(schedules) as ScheduleKind[];

/** The samplers whose registry entry takes a `schedule` (what `--schedule` applies to). */
export const SCHEDULE_SAMPLERS = SAMPLER_NAMES.filter((name) =>
  (samplers[name].options as readonly string[]).includes("schedule"),
);

/** Checks `--schedule` against the registry: a known kind, and a sampler that uses a schedule (else exit 2). */
export function checkScheduleOption(kind: string | undefined, sampler: SamplerName): ScheduleKind | undefined {
  if (kind === undefined) return undefined;
  if (!(SCHEDULE_KINDS as string[]).includes(kind)) {
    throw new CliError("usage", `--schedule ${JSON.stringify(kind)}: expected one of ${SCHEDULE_KINDS.join(", ")}`);
  }
  if (!SCHEDULE_SAMPLERS.includes(sampler)) {
    throw new CliError(
      "usage",
      `--schedule: the ${sampler} sampler does not use a schedule; it is used by ${SCHEDULE_SAMPLERS.join(", ")} (pass --sampler)`,
    );
  }
  return kind as ScheduleKind;
}

export function checkSamplerName(name: string): SamplerName {
  if (!(SAMPLER_NAMES as string[]).includes(name)) {
    throw new CliError("usage", `--sampler ${JSON.stringify(name)}: expected one of ${SAMPLER_NAMES.join(", ")}`);
  }
  return name as SamplerName;
}

/**
 * Draws on the compute worker (exact draws of a spec, or a reverse-diffusion sampler on a model; row i always uses
 * stream i, so the result does not depend on the chunking) and collects all rows; progress goes to `log`.
 */
export async function drawAll(input: TaskInput<"draw">, dim: number, log: Reporter, label = "sample"): Promise<Points> {
  const out = createPoints(input.n, dim);
  let done = 0;
  log.start(label, input.n, "samples");
  await runTask("draw", input, {
    onChunk: (c) => {
      out.data.set(c.x.data, done * dim);
      done += c.x.rows;
      log.update(done, input.sampler ? `(${input.sampler})` : "");
    },
  });
  log.stop();
  return out;
}

/**
 * `mixdiff sample <model.json|spec.json> --n N --seed S --out samples.csv [--sampler NAME] [--schedule KIND] [--steps M] [--oracle]`.
 * Streamed: the compute worker draws chunks, each is formatted and appended to the temp file, which is published
 * at the end, so memory does not grow with `--n` and Ctrl-C stops the run at once.
 */
export async function sample(modelPath: string, opts: SampleCommandOptions): Promise<void> {
  const n = parseIntOption("--n", opts.n, 1, MAX_ROWS);
  const steps = opts.steps === undefined ? undefined : parseIntOption("--steps", opts.steps, 1, 1_000_000);
  const workers = opts.workers === undefined ? undefined : parseIntOption("--workers", opts.workers, 1, 256);
  const samplerName = opts.sampler === undefined ? undefined : checkSamplerName(opts.sampler);
  const schedule = checkScheduleOption(opts.schedule, samplerName ?? "exponentialIntegrator");
  checkCsvOutputFlags(opts);
  const { seed, drawn } = resolveSeed(opts.seed);
  const out = new OutputFile(opts.out, { force: !!opts.force });
  const loaded = await loadModelFile(modelPath);
  const log = new Reporter(!!opts.json);
  if (loaded.kind === "spec" && !opts.oracle) {
    throw new CliError(
      "usage",
      `${modelPath} is a distribution spec: pass --oracle to run the sampler on its exact score (or use \`mixdiff generate\` for exact samples)`,
    );
  }
  if (loaded.kind !== "spec" && opts.oracle) {
    throw new CliError("usage", `--oracle needs a distribution spec; ${modelPath} is a ${loaded.kind} model file`);
  }
  if (loaded.kind === "learned") checkSamplerTimes(loaded.model, modelPath);
  if (drawn) new Reporter(false).info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const dim = loaded.kind === "learned" ? loaded.model.dim : loaded.distribution.dim;
  const origin = provenance("sample", {
    model: modelPath,
    n,
    seed: showSeed(seed),
    sampler: samplerName,
    schedule,
    steps,
    oracle: opts.oracle || undefined,
    subspace: opts.subspace === false ? false : undefined,
  });
  out.write(
    formatCsv(createPoints(0, dim), {
      comments: csvComments(opts, origin),
      header: opts.header ? defaultHeader(dim) : undefined,
    }),
  );
  const exactDraws = loaded.kind === "em" && samplerName === undefined && steps === undefined;
  const sampler = samplerName ?? "exponentialIntegrator";
  let done = 0;
  log.start("sample", n, "samples");
  const run = await runTask(
    "draw",
    {
      source: exactDraws
        ? { kind: "spec", spec: (loaded.source as { spec: unknown }).spec }
        : { kind: "sampler", model: loaded.source },
      n,
      seed,
      ...(!exactDraws && { sampler }),
      ...(steps !== undefined && { steps }),
      ...(schedule !== undefined && { schedule }),
      ...(opts.subspace === false && { simulateSubspace: false }),
    },
    {
      workers: drawWorkers(n, exactDraws, workers),
      onChunk: async (c) => {
        out.write(formatCsv(c.x));
        done += c.x.rows;
        log.update(done, exactDraws ? "" : `(${sampler})`);
        await yieldIfDue();
      },
    },
  );
  log.stop();
  out.commit();
  const model: ScoreModel | undefined = loaded.kind === "learned" ? loaded.model : undefined;
  const m = model?.subspace?.dim;
  const how = exactDraws
    ? "exact draws from the EM mixture"
    : `${sampler} sampler${schedule ? ` (${schedule} schedule)` : ""} on the ${loaded.kind === "learned" ? "learned" : "exact"} score${
        m !== undefined && opts.subspace !== false
          ? `, ${m} of ${dim} coordinates simulated, the rest drawn exactly`
          : ""
      }`;
  if (opts.json) {
    const summary: SampleSummary = {
      command: "sample",
      version: CLI_VERSION,
      seed,
      seedDrawn: drawn,
      model: { file: modelPath, kind: loaded.kind },
      n,
      dim,
      method: exactDraws ? "exact" : sampler,
      steps: exactDraws ? null : (run.steps ?? null),
      simulatedDim: exactDraws ? null : (run.simulatedDim ?? dim),
      header: opts.header,
      out: opts.out,
      provenance: origin,
    };
    writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
  } else log.info(`wrote ${n} samples (${how}) to ${opts.out === "-" ? "stdout" : opts.out} (${origin})`);
}
