// Oracle accuracy and speed: max error against test-fixtures/eval/reference-values.json for every case, and
// posterior-mean evaluations per second (10 000 points of the case at t = 0.5, best of 3). Run from the repo root:
//   npx esbuild packages/mixtures/scripts/oracle-check.ts --bundle --platform=node --format=esm \
//     --conditions=@mixdiff/source --outfile=/tmp/mixdiff-oracle.mjs && node /tmp/mixdiff-oracle.mjs
import { createRng } from "@mixdiff/core";
import circle2d from "../../../test-fixtures/eval/cases/circle2d.json";
import disks2d from "../../../test-fixtures/eval/cases/disks2d.json";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm2dOverlap from "../../../test-fixtures/eval/cases/gmm2d-overlap.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import polyline2d from "../../../test-fixtures/eval/cases/polyline2d.json";
import ref from "../../../test-fixtures/eval/reference-values.json";
import { createDistribution } from "../src/index.js";

declare const console: { log(...x: unknown[]): void };
declare const performance: { now(): number };

interface RefEntry {
  t: number;
  y: number[];
  logDensity: number;
  score: number[];
  posteriorMean: number[];
}
const cases: Record<string, unknown> = { gmm2d, "gmm2d-overlap": gmm2dOverlap, gmm10d, circle2d, polyline2d, disks2d };
const refCases = (ref as unknown as { cases: Record<string, RefEntry[]> }).cases;

console.log("case            max rel err ln p   max err score/max(1,|s|)   max err E[mu|y]   evals/s");
for (const [name, spec] of Object.entries(cases)) {
  const p = createDistribution(spec);
  let eL = 0;
  let eS = 0;
  let eM = 0;
  const entries = refCases[name];
  if (entries === undefined) throw new Error(`oracle-check: no reference entries for ${name}`);
  for (const e of entries) {
    const lp = p.logDensity([e.y], e.t)[0]!;
    eL = Math.max(eL, Math.abs(lp - e.logDensity) / Math.max(1, Math.abs(e.logDensity)));
    const s = p.score([e.y], e.t).data;
    const m = p.posteriorMean([e.y], e.t).data;
    e.score.forEach((v, i) => {
      eS = Math.max(eS, Math.abs(s[i]! - v) / Math.max(1, Math.abs(v)));
    });
    e.posteriorMean.forEach((v, i) => {
      eM = Math.max(eM, Math.abs(m[i]! - v) / Math.max(1, Math.abs(v)));
    });
  }
  const { x } = p.sample(10_000, createRng(1));
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    p.posteriorMean(x, 0.5);
    best = Math.min(best, performance.now() - t0);
  }
  console.log(
    name.padEnd(15),
    eL.toExponential(2).padStart(18),
    eS.toExponential(2).padStart(26),
    eM.toExponential(2).padStart(17),
    Math.round(10_000 / (best / 1000))
      .toLocaleString("en-US")
      .padStart(10),
  );
}
