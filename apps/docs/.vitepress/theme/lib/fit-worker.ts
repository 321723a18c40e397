import { serveFitWorker } from "@mixdiff/score/worker";
import { runAnalyseRequest, runSweep } from "./compute";
import type { WorkerRequest, WorkerResponse } from "./protocol";

// The worker of the live examples. The learner is the package's browser fit worker: `fitScoreInWorker` on the page
// sends it fits, it reports progress after every level and stops on an AbortSignal (between blocks of 2 048 points).
serveFitWorker(self as unknown as Parameters<typeof serveFitWorker>[0]);

// In a dedicated worker `self.postMessage(message)` posts to the page (typed through the DOM lib's Worker).
const post = (m: WorkerResponse) => (self as unknown as Worker).postMessage(m);

// The examples' own jobs: the analysis after a fit (sampling, EM, metrics) and the sample-size sweep. They run to
// their end (a page that cancels one replaces the worker); the learner's messages are left to serveFitWorker.
self.addEventListener("message", (ev: MessageEvent<WorkerRequest | { type?: unknown }>) => {
  const req = ev.data as WorkerRequest;
  if (req?.type !== "analyse" && req?.type !== "sweep") return;
  let last = 0;
  const progress = (fraction: number, label: string) => {
    const t = Date.now();
    if (fraction < 1 && t - last < 50) return; // throttle: a message per ≥50 ms is plenty for a bar
    last = t;
    post({ type: "progress", id: req.id, fraction, label });
  };
  try {
    if (req.type === "analyse") post({ type: "fit-result", id: req.id, ...runAnalyseRequest(req, progress) });
    else post({ type: "sweep-result", id: req.id, ...runSweep(req, progress) });
  } catch (e) {
    const err = e as { message?: string; code?: string };
    post({ type: "error", id: req.id, message: String(err?.message ?? e), code: err?.code });
  }
});
