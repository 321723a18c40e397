/**
 * How the playground reports a fit: estimates next to their noise, held-out errors that the estimator could not
 * resolve as upper bounds, and the learner's notes in words. Pure functions of the worker's result.
 */
import type { LevelRow } from "./protocol";

/** A fraction as a percentage with two significant digits (`0.0312` → `"3.1 %"`). */
export function pct(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const p = 100 * x;
  return `${p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toPrecision(2)} %`;
}

/** Whether an estimate is within two standard errors of zero: it cannot be told apart from 0 at this sample size. */
export function withinNoise(value: number, se: number | undefined): boolean {
  return se !== undefined && Number.isFinite(se) && Math.abs(value) <= 2 * se;
}

/**
 * One level's held-out relative error as shown. The learner estimates `E|f̂ − f|²` (unbiased, so it can be ≤ 0) and
 * reports `√(max(0, estimate)/scale)`; when the estimate is within two standard errors of 0 that would read
 * "0 %", so the page shows the one-sided 2-SE upper bound `< √((max(0, estimate) + 2·SE)/scale)` instead.
 */
export function heldOutError(l: LevelRow): { text: string; resolved: boolean } {
  const { mseEstimate: est, mseSE: se, scale } = l;
  if (l.heldOutRelError === undefined) return { text: "—", resolved: false };
  if (est === undefined || se === undefined || scale === undefined || !(scale > 0)) {
    return { text: pct(l.heldOutRelError), resolved: l.heldOutRelError > 0 };
  }
  if (est > 2 * se) return { text: pct(l.heldOutRelError), resolved: true };
  return { text: `< ${pct(Math.sqrt((Math.max(0, est) + 2 * se) / scale))}`, resolved: false };
}

/** A warning of the learner as the page shows it: a known, expected note explained in words; others verbatim. */
export function describeWarning(w: string): { kind: "note" | "warning"; text: string } {
  const reuse = /^clustering chunks of (\d+) points are reused \((\d+) updates, (\d+) clustering points\)$/.exec(w);
  if (reuse) {
    const [chunk, updates, pool] = reuse.slice(1).map(Number);
    // The learner keeps 15 % of the data for clustering and wants a chunk of at least `chunk` points per update.
    const enough = Math.ceil((chunk * updates) / 0.15 / 1000) * 1000;
    return {
      kind: "note",
      text:
        `The warm starts were re-clustered ${updates} times from one pool of ${pool} points (15 % of the data), ` +
        `in chunks of ${chunk}, so the chunks overlap. Expected with fewer than about ${enough.toLocaleString("en-GB")} ` +
        "training samples: the paper's analysis draws fresh points for every update, the learner reuses its pool " +
        "(a documented deviation, not a failure).",
    };
  }
  return { kind: "warning", text: w };
}
