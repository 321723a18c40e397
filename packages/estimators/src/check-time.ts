import { MixdiffError } from "@mixdiff/core";

/** `t` of an estimator method: a finite VE time ≥ 0, default 0 (internal helper). */
export function checkTime(fn: string, t: number | undefined): number {
  const v = t ?? 0;
  if (!(typeof v === "number" && v >= 0 && v < Infinity)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: t must be a finite number ≥ 0; got ${String(v)}`, { path: "t" });
  }
  return v;
}

/** The index of the largest entry of each row of `p` (`[rows, k]`), first one on ties (internal helper). */
export function argmaxRows(p: { data: Float64Array; rows: number; cols: number }): Int32Array {
  const out = new Int32Array(p.rows);
  for (let r = 0; r < p.rows; r++) {
    let best = 0;
    for (let i = 1; i < p.cols; i++) if (p.data[r * p.cols + i]! > p.data[r * p.cols + best]!) best = i;
    out[r] = best;
  }
  return out;
}
