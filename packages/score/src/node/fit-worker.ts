/// <reference types="node" />
import { parentPort } from "node:worker_threads";
import { applyDataStep, type FitData, type FitStep } from "../fit-tasks.js";
import { runBlock } from "../run-steps.js";

/** A message to a fit worker: a data step (`init`, `window`) or one block of a map step. */
export type FitWorkerMessage =
  | { readonly type: "data"; readonly step: Extract<FitStep, { task: "init" | "window" }> }
  | {
      readonly type: "run";
      readonly id: number;
      readonly step: Exclude<FitStep, { task: "init" | "window" }>;
      /** Blocks `[first, last)` of the map, run in order. */
      readonly first: number;
      readonly last: number;
    };

/** A fit worker's answer: the blocks' results in order, or the error it threw as plain data. */
export type FitWorkerReply =
  | { readonly id: number; readonly out: unknown[] }
  | { readonly id: number; readonly error: { code?: string; message: string } };

// Worker entry of `fitScoreParallel`: keeps the fit's data and runs the blocks it is sent (fit-tasks.ts).
const state: { base?: FitData; data?: FitData } = {};
parentPort?.on("message", (msg: FitWorkerMessage) => {
  if (msg.type === "data") {
    applyDataStep(state, msg.step);
    return;
  }
  try {
    if (!state.data) throw new Error("fit worker: a block came before the data");
    const out: unknown[] = [];
    for (let b = msg.first; b < msg.last; b++) out.push(runBlock(state.data, msg.step, b));
    parentPort?.postMessage({ id: msg.id, out } satisfies FitWorkerReply);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    parentPort?.postMessage({
      id: msg.id,
      error: { code: err.code, message: String(err.message ?? e) },
    } satisfies FitWorkerReply);
  }
});
