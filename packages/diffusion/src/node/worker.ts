/// <reference types="node" />
import { createRng, isMixdiffError, type Seed } from "@mixdiff/core";
import { type ScheduleJSON, scheduleFromJSON } from "@mixdiff/schedules";
import type { ScoreModel } from "@mixdiff/score";
import type { SampleResult } from "../sample-options.js";
import { type SamplerName, samplers } from "../samplers.js";
import { type ModelDescriptor, resolveModel } from "./resolve-model.js";

/** One piece of a parallel run: samples `[start, start + count)` of the run with `seed`. */
export interface WorkerTask {
  descriptor: ModelDescriptor;
  descriptorKey: string;
  sampler: SamplerName;
  seed: Seed;
  start: number;
  count: number;
  grid: Float64Array;
  chunkSize?: number;
  denoiseFinal?: boolean;
  corrector?: { steps: number; snr?: number };
  trajectoryEvery?: number;
  schedule?: ScheduleJSON;
  simulateSubspace?: boolean;
}

let cachedKey = "";
let cached: Promise<ScoreModel> | undefined;

/** A MixdiffError as plain data (structured clone drops the class, `name` and `code` of custom errors). */
export interface WorkerError {
  error: { code: string; message: string; location: object; details: Record<string, unknown> };
}

/**
 * Worker entry (piscina): rebuilds the model once per thread and samples its piece with the shared grid.
 * MixdiffErrors come back as {@link WorkerError} data so the pool can rethrow them with their code.
 */
export default async function runTask(task: WorkerTask): Promise<SampleResult | WorkerError> {
  try {
    return await run(task);
  } catch (e) {
    if (isMixdiffError(e)) {
      return { error: { code: e.code, message: e.message, location: { ...e.location }, details: { ...e.details } } };
    }
    throw e;
  }
}

async function run(task: WorkerTask): Promise<SampleResult> {
  if (!cached || cachedKey !== task.descriptorKey) {
    cachedKey = task.descriptorKey;
    cached = resolveModel(task.descriptor);
  }
  const model = await cached;
  return samplers[task.sampler](model, {
    n: task.count,
    offset: task.start,
    rng: createRng(task.seed),
    grid: task.grid,
    chunkSize: task.chunkSize,
    denoiseFinal: task.denoiseFinal,
    corrector: task.corrector,
    trajectoryEvery: task.trajectoryEvery,
    schedule: task.schedule ? scheduleFromJSON(task.schedule) : undefined,
    simulateSubspace: task.simulateSubspace,
  });
}
