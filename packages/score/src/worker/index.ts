/**
 * @packageDocumentation
 * The learner in a Web Worker, for browsers (no `node:` imports): `fitScoreInWorker` on the page,
 * `serveFitWorker(self)` in the worker, with progress after every level and abort through an `AbortSignal`;
 * `fitScoreAsync` is the fit that returns to the event loop between its blocks.
 */

export type { AsyncFitOptions } from "./fit-score-async.js";
export { fitScoreAsync } from "./fit-score-async.js";
export { fitScoreInWorker } from "./fit-score-in-worker.js";
export type { FitWorkerRequest, FitWorkerResponse, MessageEndpoint, WorkerFitOptions } from "./protocol.js";
export { serveFitWorker } from "./serve-fit-worker.js";
