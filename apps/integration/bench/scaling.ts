// Scaling measurements for BENCHMARKS.md (issue 10): fitScore cost vs N, subspace dimension m, degree d and
// number of levels, the 8-D four-direction target, and RSS. The whole report is one command from the root,
// `pnpm bench:full` (scripts/bench-full.sh). By hand, from apps/integration (no TS runner is installed, so
// bundle with the esbuild that tsup ships and run with node):
//   ESB=$(ls -d ../../node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild | head -1)
//   $ESB bench/scaling.ts --bundle --platform=node --format=cjs --conditions=@mixdiff/source \
//     --outfile=../../.tmp/bench/scaling.cjs && /usr/bin/time -v node ../../.tmp/bench/scaling.cjs [--quick] \
//     --out ../../.tmp/bench/scaling.json 2> ../../.tmp/bench/scaling.log
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createRng } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { fitScore } from "@mixdiff/score";
import { directionsSpec } from "../../cli/src/bench/specs.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const outIdx = args.indexOf("--out");
const out = resolve(outIdx >= 0 ? args[outIdx + 1]! : "../../.tmp/bench/scaling.json");

interface Row {
  series: "N" | "m" | "degree" | "levels" | "target8d" | "memory";
  dim: number;
  n: number;
  m: number;
  degree: number | null;
  levels: number;
  ms: number;
  rssMB: number;
}

const rows: Row[] = [];
function measure(series: Row["series"], spec: object, n: number, opts: { degree?: number; levels?: number } = {}) {
  const d = createDistribution(spec);
  const x = d.sample(n, createRng(`scaling-${series}-${n}`)).x;
  const t0 = performance.now();
  const model = fitScore(x, { rng: createRng(`scaling-fit-${series}-${n}`), ...opts });
  const ms = performance.now() - t0;
  const json = model.toJSON();
  const row: Row = {
    series,
    dim: d.dim,
    n,
    m: json.model.subspaceDim,
    degree: opts.degree ?? null,
    levels: model.levels.length,
    ms,
    rssMB: process.memoryUsage().rss / 2 ** 20,
  };
  rows.push(row);
  process.stderr.write(`${JSON.stringify(row)}\n`);
}

const s2 = directionsSpec(2, 2);
// Warm-up fit (not recorded), so the first measured point does not carry JIT compilation.
fitScore(createDistribution(s2).sample(2000, createRng("warm")).x, { rng: createRng("warm-fit") });
const small = quick ? 1000 : 5000;
for (const n of quick ? [500, 1000, 2000] : [2500, 5000, 10_000, 20_000]) measure("N", s2, n);
for (const degree of [2, 4, 6]) measure("degree", s2, small, { degree });
for (const levels of [8, 16, 32]) measure("levels", s2, small, { levels });
for (const k of [2, 3, 4]) measure("m", directionsSpec(8, k), small);
if (!quick) {
  measure("target8d", directionsSpec(8, 4), 20_000);
  measure("memory", s2, 1_000_000);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ quick, node: process.version, rows }, null, 2)}\n`);
process.stderr.write(`written ${out}\n`);
