// Learner check: fits cases with the score learner and compares it with the exact score (the oracle) and EM.
// Prints per case: fit time, the true Theorem 3.1 term Σ ln(σ²_k/σ²_{k+1})·σ_k²·E|ŝ−s|² over the learned grid,
// the fit's own estimate ± SE, EM's true term on the same grid (discrete cases, k known), and the max mean
// error of the estimated mixture vs EM's. Cases: the public ones, `extra-specs.json`, and seeded
// `randomMixtureSpec` draws (`rand:k:dim:sep:minWeight:seed`).
// Usage (from the repository root):
//   node_modules/.pnpm/esbuild@0.27.7/node_modules/esbuild/bin/esbuild packages/score/scripts/learner-check.ts \
//     --bundle --platform=node --format=esm --conditions=@mixdiff/source --outfile=/tmp/lc.mjs --log-level=warning
//   CASES=gmm2d,circle2d N=20000 OPTS='{"preset":"paper"}' LEVELS=1 node /tmp/lc.mjs
// Other switches: EMBIC=1 (EM by BIC for continuous cases), EMKMAX (its largest k, default 20), JSON=1, EVAL (rows).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng, type Points } from "@mixdiff/core";
import { createDistribution, emDistribution, fitEm, fitEmBic, randomMixtureSpec } from "@mixdiff/mixtures";
import { estimateMixtureParameters, exactScoreModel, fitScore, type ScoreModel, scoreError } from "../src/index.js";
import { type CaseSpec, loadCase, oracleFor, sampleMixing, sampleNoisy } from "./cases.js";

const root = process.env.MIXDIFF_ROOT ?? process.cwd();
const N = Number(process.env.N ?? 20000);
const names = (process.env.CASES ?? "").split(",").filter(Boolean);
const opts = JSON.parse(process.env.OPTS ?? "{}") as Record<string, unknown>;
const showLevels = process.env.LEVELS === "1";
const evalRows = Number(process.env.EVAL ?? 3000);

function allCases(): CaseSpec[] {
  const dir = join(root, "test-fixtures/eval/cases");
  const out = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => loadCase(join(dir, f)));
  out.push(...(JSON.parse(readFileSync(join(root, "packages/score/scripts/extra-specs.json"), "utf8")) as CaseSpec[]));
  return out;
}

function caseByName(name: string): CaseSpec | undefined {
  if (name.startsWith("rand:")) {
    const [, k, dim, sep, w, seed] = name.split(":");
    const spec = randomMixtureSpec({
      k: Number(k),
      dim: Number(dim),
      minSeparation: Number(sep),
      minWeight: Number(w),
      rng: createRng(`rand-${seed}`),
    });
    return { ...(spec as unknown as CaseSpec), name };
  }
  return allCases().find((c) => c.name === name);
}

function meanError(truth: number[][], est: number[][]): number {
  let worst = 0;
  for (const tm of truth) {
    let bd = Infinity;
    for (const e of est) bd = Math.min(bd, Math.hypot(...e.map((v, j) => v - tm[j]!)));
    worst = Math.max(worst, bd);
  }
  return worst;
}

const list = names.length ? names.map((n) => caseByName(n)).filter((c): c is CaseSpec => !!c) : allCases();
for (const c of list) {
  const rng = createRng(2024);
  const known = ["atoms", "circle", "polyline", "balls"].includes(c.mixing.kind);
  const dist = known ? undefined : createDistribution(c as never);
  let x: Points;
  if (dist) x = dist.sample(N, rng.stream("train")).x;
  else {
    x = sampleMixing(c, N, rng.stream("train"));
    const xr = rng.stream("train-noise");
    for (let i = 0; i < N; i++) {
      const r = xr.stream(i);
      for (let j = 0; j < c.dim; j++) x.data[i * c.dim + j] = x.data[i * c.dim + j]! + c.noiseStd * r.normal();
    }
  }
  const noisyFor = (n: number, t: number, r: ReturnType<typeof createRng>): Points => {
    if (!dist) return sampleNoisy(c, n, t, r);
    const y = dist.sample(n, r).x;
    const rr = r.stream("extra-noise");
    for (let i = 0; i < y.data.length; i++) y.data[i] = y.data[i]! + Math.sqrt(t) * rr.normal();
    return y;
  };
  const t0 = performance.now();
  const model = fitScore(x, { rng: createRng(7), sigma0: c.noiseStd, ...opts });
  const fitS = (performance.now() - t0) / 1000;
  const oracle = oracleFor(c);
  const d = model.diagnostics;
  const discrete = c.mixing.kind === "atoms";
  let em: ScoreModel | undefined;
  const emMeans: number[][] = [];
  let emS = 0;
  if (!discrete && process.env.EMBIC === "1") {
    // EM with k chosen by BIC (1…EMKMAX, default 20), σ0 known: the baseline for continuous cases.
    const t1 = performance.now();
    const kMax = Number(process.env.EMKMAX ?? 20);
    const { best } = fitEmBic(x, { kMax, rng: createRng(5), noiseStd: c.noiseStd });
    emS = (performance.now() - t1) / 1000;
    em = exactScoreModel(emDistribution(best));
  }
  if (discrete) {
    const t1 = performance.now();
    const r = fitEm(x, { k: (c.mixing.points as number[][]).length, rng: createRng(5), noiseStd: c.noiseStd });
    emS = (performance.now() - t1) / 1000;
    em = exactScoreModel(emDistribution(r));
    for (let k = 0; k < r.k; k++) emMeans.push(Array.from(r.means.data.subarray(k * c.dim, (k + 1) * c.dim)));
  }
  let trueKl = 0;
  let trueVar = 0;
  let emKl = 0;
  let emVar = 0;
  let estKl = 0;
  const s02 = c.noiseStd ** 2;
  const lines: string[] = [];
  d.levels.forEach((L, i) => {
    const y = noisyFor(evalRows, L.t, rng.stream("eval", i));
    const e = scoreError(model, oracle, L.t, y);
    const s2 = s02 + L.t;
    const next = d.levels[i + 1];
    const w = next ? Math.log(s2 / (s02 + next.t)) : 0;
    trueKl += w * e.mse * s2;
    trueVar += (w * s2 * e.standardError) ** 2;
    let emRel = Number.NaN;
    if (em) {
      const ee = scoreError(em, oracle, L.t, y);
      emKl += w * ee.mse * s2;
      emVar += (w * s2 * ee.standardError) ** 2;
      emRel = ee.relative;
    }
    if (L.heldOutMseEstimate !== undefined) estKl += (w / s2) * L.heldOutMseEstimate;
    lines.push(
      `   t=${L.t.toExponential(2).padEnd(9)} K=${String(L.cells).padStart(3)} d=${L.degree} λ=${L.ridge.toExponential(0)} rel ${(100 * e.relative).toFixed(1).padStart(5)}%  EM ${(100 * emRel).toFixed(1).padStart(5)}%  f-mse true ${(e.mse * s2 * s2).toExponential(2)} est ${L.heldOutMseEstimate?.toExponential(2) ?? "—"} ± ${L.heldOutMseStandardError?.toExponential(1) ?? "—"} gain ${L.heldOutLoss.toExponential(2)}`,
    );
  });
  let rec = "";
  let recovery: { meanError: number; atoms: number; emMeanError: number } | undefined;
  if (discrete) {
    const est = estimateMixtureParameters(model, { k: (c.mixing.points as number[][]).length });
    recovery = {
      meanError: meanError(c.mixing.points as number[][], est.means),
      atoms: est.means.length,
      emMeanError: meanError(c.mixing.points as number[][], emMeans),
    };
    rec = ` | mean err ${recovery.meanError.toFixed(3)} (${recovery.atoms} atoms) vs EM ${recovery.emMeanError.toFixed(3)}`;
  }
  if (process.env.JSON === "1") {
    // One JSON line per case (for scripts/quality-table.mjs); SEs of the true terms from the evaluation draws.
    console.log(
      JSON.stringify({
        name: c.name,
        dim: c.dim,
        kind: c.mixing.kind,
        m: d.subspaceDim,
        N,
        levels: d.levels.length,
        fitSeconds: fitS,
        emSeconds: em ? emS : undefined,
        trueKl,
        trueKlSE: Math.sqrt(trueVar),
        emKl: em ? emKl : undefined,
        emKlSE: em ? Math.sqrt(emVar) : undefined,
        estKl: d.klTerm,
        estKlSE: d.klTermStandardError,
        ...recovery,
      }),
    );
    continue;
  }
  console.log(
    `${c.name.padEnd(16)} n=${c.dim} m=${d.subspaceDim} N=${N} fit ${fitS.toFixed(1)} s${em ? ` (EM ${emS.toFixed(2)} s)` : ""} | true KL ${trueKl.toFixed(4)}${em ? ` EM ${emKl.toFixed(4)}` : ""} | est ${d.klTerm.toFixed(4)} ± ${(d.klTermStandardError ?? Number.NaN).toFixed(4)} (sum of available ${estKl.toFixed(4)})${rec}`,
  );
  if (showLevels) console.log(lines.join("\n"));
}
