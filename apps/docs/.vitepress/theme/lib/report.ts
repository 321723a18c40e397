/**
 * How the playground reports a fit: estimates next to their noise, held-out errors that the estimator could not
 * resolve as upper bounds, levels without an estimate as such, and the learner's notes in words. Pure functions of
 * the worker's result.
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

/** What the level table shows for one level's error. */
export interface ShownError {
  text: string;
  /** `"resolved"`: a percentage; `"bound"`: an upper bound (the estimate is within its noise); `"none"`: no estimate. */
  kind: "resolved" | "bound" | "none";
}

/**
 * One level's held-out relative error as shown. The learner estimates `E|f̂ − f|²` with a standard error and
 * reports `√(estimate/scale)`; when the estimate is within two standard errors of 0 that would read "0 %", so the
 * page shows the one-sided 2-SE upper bound `< √((max(0, estimate) + 2·SE)/scale)` instead. Levels the learner has
 * no estimate for (the paper preset) say so.
 */
export function heldOutError(l: LevelRow): ShownError {
  const { heldOutRelError: rel, mseEstimate: est, mseSE: se, scale } = l;
  if (rel === undefined) return { text: "no estimate", kind: "none" };
  if (est === undefined || se === undefined || scale === undefined || !(scale > 0)) {
    return { text: pct(rel), kind: rel > 0 ? "resolved" : "bound" };
  }
  if (est > 2 * se) return { text: pct(rel), kind: "resolved" };
  return { text: `< ${pct(Math.sqrt((Math.max(0, est) + 2 * se) / scale))}`, kind: "bound" };
}

/**
 * What the level fitted on top of its base. Practical preset: "base only" (the zero correction: the level is the
 * posterior mean of the atoms) or the chosen degree and ridge; paper preset: the degree, and the ridge its
 * coefficient ball needed.
 */
export function correction(l: LevelRow, preset: "practical" | "paper"): string {
  const ridge =
    l.ridge >= 0.1 ? String(Number(l.ridge.toPrecision(2))) : l.ridge.toExponential(preset === "paper" ? 1 : 0);
  if (preset === "paper") return l.ridge === 0 ? `degree ${l.degree}` : `degree ${l.degree}, ball ridge ${ridge}`;
  if (l.degree === 0 && l.ridge === 0) return "base only";
  return `degree ${l.degree}, ridge ${ridge}`;
}

/** A warning of the learner as the page shows it: a known, expected note explained in words; others verbatim. */
export function describeWarning(w: string): { kind: "note" | "warning"; text: string } {
  const reuse = /^clustering chunks of (\d+) points are reused \((\d+) updates, (\d+) clustering points\)$/.exec(w);
  if (reuse) {
    const chunk = Number(reuse[1]);
    const updates = Number(reuse[2]);
    const pool = Number(reuse[3]);
    // Only the paper preset says this: it keeps 20 % of the data for clustering and wants a fresh chunk of at
    // least 400 points per update (a smaller pool gives smaller chunks; the practical preset reuses its chunks by
    // design and says nothing).
    const enough = Math.ceil((Math.max(chunk, 400) * updates) / 0.2 / 1000) * 1000;
    return {
      kind: "note",
      text:
        `The warm starts were re-clustered ${updates} times from one pool of ${pool} points (20 % of the data), ` +
        `in chunks of ${chunk}, so the chunks overlap. Expected with fewer than about ${enough.toLocaleString("en-GB")} ` +
        "training samples: the paper's analysis draws fresh points for every update, and the paper preset follows it " +
        "as far as the data allow (a documented deviation, not a failure).",
    };
  }
  const grid = /^paper preset: the Theorem 3\.1 grid \(κ = ([^,]+), (\d+) levels\) is scaled to (\d+) levels/.exec(w);
  if (grid) {
    const [kappa, paper, kept] = grid.slice(1);
    return {
      kind: "note",
      text:
        `The paper's Theorem 3.1 grid for ε = 0.1 has ${Number(paper).toLocaleString("en-GB")} noise levels (κ = ${kappa}); ` +
        `the paper preset keeps its shape with ${kept} levels, so that the fit finishes.`,
    };
  }
  const degree = /^paper preset: degree d = (\d+) capped to (\d+) \(C\(m\+d, d\) ≤ (\d+), m = (\d+)\)$/.exec(w);
  if (degree) {
    const [formula, capped, budget, m] = degree.slice(1);
    return {
      kind: "note",
      text:
        `The paper's degree formula gives d = ${formula}; the paper preset caps it to ${capped}, the largest degree ` +
        `with at most ${budget} features per cell in ${m} dimensions.`,
    };
  }
  if (/^paper preset: the levels have no error estimate/.test(w)) {
    return {
      kind: "note",
      text:
        "The paper preset estimates no per-level error, so the level table has none and the KL term is not " +
        "estimated (the learner reports 0, which is not a measurement). Compare the metrics instead.",
    };
  }
  return { kind: "warning", text: w };
}
