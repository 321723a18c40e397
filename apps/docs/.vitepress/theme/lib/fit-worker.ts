import { runFit, runSweep } from "./compute";
import type { WorkerRequest, WorkerResponse } from "./protocol";

// In a dedicated worker `self.postMessage(message)` posts to the page (typed through the DOM lib's Worker).
const post = (m: WorkerResponse) => (self as unknown as Worker).postMessage(m);

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  let last = 0;
  const progress = (fraction: number, label: string) => {
    const t = Date.now();
    if (fraction < 1 && t - last < 50) return; // throttle: a message per ≥50 ms is plenty for a bar
    last = t;
    post({ type: "progress", id: req.id, fraction, label });
  };
  try {
    if (req.type === "fit") post({ type: "fit-result", id: req.id, ...runFit(req, progress) });
    else post({ type: "sweep-result", id: req.id, ...runSweep(req, progress) });
  } catch (e) {
    const err = e as { message?: string; code?: string };
    post({ type: "error", id: req.id, message: String(err?.message ?? e), code: err?.code });
  }
};
