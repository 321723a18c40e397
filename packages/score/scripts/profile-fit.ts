// Profiling harness: fits one public case (default gmm2d) with default options.
// Usage (from the repository root, or set MIXDIFF_ROOT): npx esbuild scripts/profile-fit.ts --bundle --platform=node --format=esm \
//   --conditions=@mixdiff/source --outfile=/tmp/prof/fit.mjs && node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/prof/fit.mjs
import { join } from "node:path";
import { createRng } from "@mixdiff/core";
import { fitScore } from "../src/index.js";
import { loadCase, sampleMixing } from "./cases.js";

const name = process.env.CASE ?? "gmm2d";
const N = Number(process.env.N ?? 20000);
const root = process.env.MIXDIFF_ROOT ?? process.cwd();
const c = loadCase(join(root, `test-fixtures/eval/cases/${name}.json`));
const rng = createRng(2024);
const x = sampleMixing(c, N, rng.stream("train"));
const xr = rng.stream("train-noise");
for (let i = 0; i < N; i++) {
  const r = xr.stream(i);
  for (let j = 0; j < c.dim; j++) x.data[i * c.dim + j] = (x.data[i * c.dim + j] as number) + c.noiseStd * r.normal();
}
const fitStart = Date.now();
const model = fitScore(x, { rng: createRng(7), sigma0: c.noiseStd });
const fitMs = Date.now() - fitStart;
console.log(
  `${name}: fit ${fitMs} ms, KL ${model.diagnostics.klTerm.toFixed(4)} ± ${model.diagnostics.klTermStandardError?.toFixed(4)}`,
);
