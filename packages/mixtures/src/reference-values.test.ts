import { describe, expect, it } from "vitest";
import circle2d from "../../../test-fixtures/eval/cases/circle2d.json";
import disks2d from "../../../test-fixtures/eval/cases/disks2d.json";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm2dOverlap from "../../../test-fixtures/eval/cases/gmm2d-overlap.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import polyline2d from "../../../test-fixtures/eval/cases/polyline2d.json";
import ref from "../../../test-fixtures/eval/reference-values.json";
import { createDistribution } from "./create-distribution.js";
import { mixingFamilies } from "./mixing-families.js";

interface RefEntry {
  t: number;
  y: number[];
  logDensity: number;
  score: number[];
  posteriorMean: number[];
}

const CASES: Record<string, unknown> = {
  gmm2d,
  "gmm2d-overlap": gmm2dOverlap,
  gmm10d,
  circle2d,
  polyline2d,
  disks2d,
};
const refCases = (ref as unknown as { cases: Record<string, RefEntry[]> }).cases;

// Tolerances from the fixture README: atoms are closed forms (1e-9 relative); the continuous cases were
// computed by quadrature (1e-6). Vector errors are measured relative to max(1, |reference|).
function tolerance(kind: string): number {
  return kind === "atoms" ? 1e-9 : 1e-6;
}

function relErr(got: ArrayLike<number>, want: number[]): number {
  let e = 0;
  let n = 0;
  for (let i = 0; i < want.length; i++) {
    e = Math.max(e, Math.abs(got[i]! - want[i]!));
    n = Math.max(n, Math.abs(want[i]!));
  }
  return e / Math.max(1, n);
}

const available = Object.entries(CASES).filter(([, spec]) => {
  const kind = (spec as { mixing: { kind: string } }).mixing.kind;
  return kind in mixingFamilies;
});

describe.each(available)("reference values: %s", (name, spec) => {
  const p = createDistribution(spec);
  const tol = tolerance(p.mixing.kind);
  const entries = refCases[name] ?? []; // a case without entries fails "has reference entries"
  it("has reference entries", () => {
    expect(entries.length).toBeGreaterThanOrEqual(49);
  });
  it.each(entries.map((e, i) => [i, e] as const))("entry %i: ln p_t, score and posterior mean", (_i, e) => {
    const lp = p.logDensity([e.y], e.t)[0]!;
    expect(Math.abs(lp - e.logDensity) / Math.max(1, Math.abs(e.logDensity))).toBeLessThan(tol);
    expect(relErr(p.score([e.y], e.t).data, e.score)).toBeLessThan(tol);
    expect(relErr(p.posteriorMean([e.y], e.t).data, e.posteriorMean)).toBeLessThan(tol);
  });
});
