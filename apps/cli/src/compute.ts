import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ErrorCode, type ErrorLocation, MixdiffError } from "@mixdiff/core";
import type { WorkerMessage } from "./compute-worker.js";
import { type OutputChunk, type TaskContext, type TaskInput, type TaskName, type TaskOutput, tasks } from "./tasks.js";

/** Rebuilds an error posted by the worker: a MixdiffError keeps its code, location and details. */
function rebuild(m: Extract<WorkerMessage, { type: "error" }>): Error {
  if (m.name === "MixdiffError" && m.code) {
    return new MixdiffError(
      m.code as ErrorCode,
      m.message,
      (m.location ?? {}) as ErrorLocation,
      (m.details ?? {}) as Record<string, unknown>,
    );
  }
  if (m.name === "RangeError") return new RangeError(m.message);
  const e = new Error(m.message);
  e.name = m.name;
  return e;
}

/** A worker's `error` event as the error to report: running out of memory becomes a `RangeError`. */
function workerFailure(e: Error & { code?: string }): Error {
  return e.code === "ERR_WORKER_OUT_OF_MEMORY"
    ? new RangeError(`out of memory in the compute worker (${e.message})`)
    : e;
}

/** Handlers of a running task. */
export interface TaskHandlers {
  /** Progress messages, in order. */
  onProgress?: (p: unknown) => void;
  /** Output chunks, in order; the next chunk waits until the returned promise settles. */
  onChunk?: (c: OutputChunk) => void | Promise<void>;
  /** Input buffers handed to the worker (no copy; the caller must not use them afterwards). */
  transfer?: ArrayBuffer[];
  /**
   * `draw` only: worker threads that draw interleaved chunks in parallel (lanes, see `drawTask`); the chunks still
   * reach `onChunk` in row order, so the output bytes do not depend on it. Default 1.
   */
  workers?: number;
}

/**
 * Runs a task of tasks.ts on a worker thread (dist/compute-worker.js beside this bundle), so that the main thread
 * only does I/O and handles SIGINT/SIGTERM at once: the signal handler exits the process, which ends the worker
 * mid-computation. Progress and chunks arrive through `handlers`, in order. Without the built worker (tests
 * importing src/) the task runs in-process with the same handlers.
 *
 * @example
 * ```ts
 * const em = await runTask("fitEm", { x, seed: 1, noiseStd: 1, k: 3, kMax: 8 });
 * await runTask("draw", { source: { kind: "spec", spec }, n: 1e6, seed: 1 }, { onChunk: (c) => out.write(formatCsv(c.x)) });
 * ```
 */
export async function runTask<K extends TaskName>(
  name: K,
  input: TaskInput<K>,
  handlers: TaskHandlers = {},
): Promise<TaskOutput<K>> {
  const workerFile = new URL("./compute-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js") || !existsSync(fileURLToPath(workerFile))) {
    const ctx: TaskContext = {
      progress: (p) => handlers.onProgress?.(p),
      chunk: async (c) => {
        await handlers.onChunk?.(c);
      },
    };
    return (await (tasks[name] as (i: unknown, c: TaskContext) => unknown)(input, ctx)) as TaskOutput<K>;
  }
  const lanes = name === "draw" ? Math.max(1, Math.floor(handlers.workers ?? 1)) : 1;
  if (lanes > 1) return runLanes(workerFile, input as TaskInput<"draw">, lanes, handlers) as Promise<TaskOutput<K>>;
  return new Promise<TaskOutput<K>>((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: { name, input }, transferList: handlers.transfer ?? [] });
    let settled = false;
    let chain = Promise.resolve();
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      reject(e);
    };
    w.on("message", (m: WorkerMessage) => {
      // one chain keeps chunk writes and the final result in order, even when a chunk handler awaits
      chain = chain
        .then(async () => {
          if (settled) return;
          if (m.type === "progress") handlers.onProgress?.(m.progress);
          else if (m.type === "chunk") {
            await handlers.onChunk?.(m.chunk);
            w.postMessage({ type: "credit" });
          } else if (m.type === "done") {
            settled = true;
            resolve(m.result as TaskOutput<K>);
          } else fail(rebuild(m));
        })
        .catch(fail);
    });
    w.on("error", (e: Error & { code?: string }) => fail(workerFailure(e)));
    w.on("exit", (code) => {
      void chain.then(() => fail(new Error(`the compute worker exited with code ${code} before finishing`)));
    });
  });
}

/**
 * `draw` on `lanes` worker threads: lane j draws chunks j, j + lanes, …; the chunks are handed to `onChunk` in
 * global order (lane c mod lanes for chunk c), each lane holding at most `CHUNK_CREDITS` chunks ahead, so memory
 * stays bounded. The first lane's result (steps, simulated dimension) is the run's.
 */
function runLanes(
  workerFile: URL,
  input: TaskInput<"draw">,
  lanes: number,
  handlers: TaskHandlers,
): Promise<TaskOutput<"draw">> {
  return new Promise<TaskOutput<"draw">>((resolve, reject) => {
    const queues: OutputChunk[][] = Array.from({ length: lanes }, () => []);
    const done: boolean[] = new Array(lanes).fill(false);
    let first: TaskOutput<"draw"> | undefined;
    let settled = false;
    let next = 0; // global index of the next chunk to hand on
    let busy = false;
    const workers = Array.from(
      { length: lanes },
      (_, lane) => new Worker(workerFile, { workerData: { name: "draw", input: { ...input, lane, lanes } } }),
    );
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    // Hands on every chunk that is ready, in order; finishes when the lane owing the next chunk has no more.
    const pump = async () => {
      if (busy || settled) return;
      busy = true;
      try {
        for (;;) {
          const lane = next % lanes;
          const q = queues[lane]!;
          const c = q.shift();
          if (c === undefined) {
            if (done.every(Boolean)) {
              settled = true;
              resolve(first ?? {});
            }
            break;
          }
          await handlers.onChunk?.(c);
          next++;
          workers[lane]!.postMessage({ type: "credit" });
        }
      } catch (e) {
        fail(e);
      } finally {
        busy = false;
      }
      // Chunks or completions may have arrived while onChunk awaited.
      const lane = next % lanes;
      if (!settled && (queues[lane]!.length > 0 || done.every(Boolean))) void pump();
    };
    workers.forEach((w, lane) => {
      w.on("message", (m: WorkerMessage) => {
        if (settled) return;
        if (m.type === "chunk") queues[lane]!.push(m.chunk);
        else if (m.type === "done") {
          done[lane] = true;
          if (lane === 0) first = m.result as TaskOutput<"draw">;
        } else if (m.type === "progress") handlers.onProgress?.(m.progress);
        else return fail(rebuild(m));
        void pump();
      });
      w.on("error", (e: Error & { code?: string }) => fail(workerFailure(e)));
      w.on("exit", (code) => {
        if (!done[lane]) fail(new Error(`a compute worker exited with code ${code} before finishing`));
      });
    });
  });
}
