// Diagnostic: where does the NLL gap of learned-model samples come from? Samples (M = 50 000) from the exact
// score, the learned model (its subspace simulated, and all n coordinates simulated), and hybrids that use the
// learned posterior mean for t > τ and the exact one below; reports each NLL gap (mean −ln p0 of the samples
// minus that of fresh exact samples) ± SE, and the paired difference to the exact-score run on the same noise
// (only meaningful for runs that simulate the same coordinates).
// Usage (repo root): npx esbuild apps/integration/bench/nll-diagnose.ts --bundle --platform=node --format=esm \
//   --conditions=@mixdiff/source --outfile=/tmp/diag/nll.mjs && CASE=gmm10d node /tmp/diag/nll.mjs
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { createDistribution, parseSpec } from "@mixdiff/mixtures";
import { exactScoreModel, fitScore, type ScoreModel } from "@mixdiff/score";

const name = process.env.CASE ?? "gmm10d";
const N = Number(process.env.N ?? 20000);
const M = Number(process.env.M ?? 50000);
const opts = JSON.parse(process.env.OPTS ?? "{}");
const root = process.env.MIXDIFF_ROOT ?? process.cwd();
const spec = parseSpec(JSON.parse(readFileSync(join(root, `test-fixtures/eval/cases/${name}.json`), "utf8")));
const dist = createDistribution(spec);
const x = dist.sample(N, createRng(Number(process.env.SEED ?? 2024)).stream("train")).x;
const t0 = Date.now();
const learned = fitScore(x, { rng: createRng(7), sigma0: spec.noiseStd, ...opts });
console.log(
  `${name}: fit ${Date.now() - t0} ms, KL ${learned.diagnostics.klTerm.toFixed(4)} ± ${learned.diagnostics.klTermStandardError?.toFixed(4)}, m=${learned.diagnostics.subspaceDim ?? "?"}`,
);
const exact = exactScoreModel(dist);

/** Learned posterior mean for t > τ, exact below (declares no subspace: the exact part does not live in it). */
function hybrid(tau: number): ScoreModel {
  const pick = (t: number) => (t > tau ? learned : exact);
  return {
    dim: exact.dim,
    sigma0: exact.sigma0,
    mean: learned.mean,
    tMax: learned.tMax,
    posteriorMean: (y, t, out) => pick(t).posteriorMean(y, t, out),
    score: (y, t, out) => pick(t).score(y, t, out),
  };
}
function nllOf(m: ScoreModel, simulateSubspace: boolean): Float64Array {
  const { samples } = sample(m, { n: M, rng: createRng(5), tMax: learned.tMax, simulateSubspace });
  return dist.logDensity(samples);
}
let base: Float64Array | undefined;
function nll(m: ScoreModel, simulateSubspace: boolean): { mean: number; se: number; paired: number; pairedSe: number } {
  const lp = nllOf(m, simulateSubspace);
  base ??= lp;
  let s = 0,
    s2 = 0,
    d = 0,
    d2 = 0;
  for (let i = 0; i < M; i++) {
    const v = lp[i]!;
    s -= v;
    s2 += v * v;
    const e = base[i]! - v;
    d += e;
    d2 += e * e;
  }
  const mean = s / M;
  const sd = Math.sqrt(s2 / M - mean * mean);
  const pm = d / M;
  const psd = Math.sqrt(d2 / M - pm * pm);
  return { mean, se: sd / Math.sqrt(M), paired: pm, pairedSe: psd / Math.sqrt(M) };
}
const ref = dist.sample(M, createRng(99)).x;
const lr = dist.logDensity(ref);
let r = 0;
for (const v of lr) r -= v;
r /= M;
console.log(`reference −ln p: ${r.toFixed(4)}`);
// [label, model, simulateSubspace]
const rows: [string, ScoreModel, boolean][] = [
  ["exact", exact, true],
  ["learned", learned, true],
  ["learned, all n", learned, false],
];
for (const tau of (process.env.TAUS ?? "0.1,0.5,2,10").split(",").map(Number)) {
  rows.push([`learned t>${tau}`, hybrid(tau), true]);
}
for (const [label, m, simulateSubspace] of rows) {
  const a = nll(m, simulateSubspace);
  console.log(
    `${label.padEnd(18)} gap ${(a.mean - r).toFixed(4)} ± ${a.se.toFixed(4)}; minus exact sampler (same noise) ${a.paired.toFixed(4)} ± ${a.pairedSe.toFixed(4)}`,
  );
}
