// Quality run: fits each public case with N samples and default options, prints per-level relative
// score error vs the exact oracle under p_t, the held-out KL-term estimate and the true KL term,
// the fit time, and (discrete cases) estimated means/weights vs truth.
// Usage (from packages/score):
//   QUALITY_N=20000 QUALITY_CASES=gmm2d,circle2d QUALITY_OPTS='{"noiseDraws":8}' npx vitest run --config scripts/quality.config.ts
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createPoints, createRng, type Points } from "@mixdiff/core";
import { createDistribution, fitEm } from "@mixdiff/mixtures";
import { test } from "vitest";
import { estimateMixtureParameters, exactScoreModel, fitScore, scoreError } from "../src/index.js";
import type { ScoreModel } from "../src/score-model.js";
import { atomsOf, type CaseSpec, loadCase, sampleMixing, sampleNoisy } from "./cases.js";

const dir = join(import.meta.dirname ?? __dirname, "../../../test-fixtures/eval/cases");
const N = Number(process.env.QUALITY_N ?? 20000);
const names = (process.env.QUALITY_CASES ?? "").split(",").filter(Boolean);
const extra = JSON.parse(process.env.QUALITY_OPTS ?? "{}") as Record<string, unknown>;

function atomsModel(c: CaseSpec): ScoreModel {
  const { points, weights } = atomsOf(c);
  const n = c.dim;
  const K = points.length;
  const s02 = c.noiseStd ** 2;
  const mean = new Float64Array(n);
  points.forEach((p, k) => {
    p.forEach((v, j) => {
      mean[j] = (mean[j] as number) + (weights[k] as number) * v;
    });
  });
  const flat = Float64Array.from(points.flat());
  const lw = weights.map(Math.log);
  const logits = new Float64Array(K);
  const pm = (y: Points, t: number, out?: Points) => {
    const res = out ?? createPoints(y.rows, n);
    const s2 = s02 + t;
    for (let i = 0; i < y.rows; i++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let dot = 0;
        let nn = 0;
        for (let j = 0; j < n; j++) {
          const mu = flat[k * n + j] as number;
          dot += (y.data[i * n + j] as number) * mu;
          nn += mu * mu;
        }
        const v = (lw[k] as number) + (dot - nn / 2) / s2;
        logits[k] = v;
        if (v > mx) mx = v;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += logits[k] = Math.exp((logits[k] as number) - mx);
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (logits[k] as number) * (flat[k * n + j] as number);
        res.data[i * n + j] = s / z;
      }
    }
    return res;
  };
  return {
    dim: n,
    sigma0: c.noiseStd,
    mean,
    tMax: Infinity,
    posteriorMean: pm,
    score: (y, t, out) => {
      const r = pm(y, t, out);
      for (let k = 0; k < r.data.length; k++) r.data[k] = ((r.data[k] as number) - (y.data[k] as number)) / (s02 + t);
      return r;
    },
  };
}

function oracleFor(c: CaseSpec): ScoreModel {
  if (!["polyline", "balls"].includes(c.mixing.kind)) {
    try {
      return exactScoreModel(createDistribution(c as never));
    } catch {
      /* fall through */
    }
  }
  return atomsModel(c);
}

test("quality", () => {
  // Extra cases (not in the fixtures): QUALITY_SPECS='[{"name":"sphere5","dim":5,"noiseStd":1,"mixing":{"kind":"sphere","center":[0,0,0,0,0],"radius":4}}]'
  const extraSpecs = JSON.parse(process.env.QUALITY_SPECS ?? "[]") as CaseSpec[];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .concat(extraSpecs.map((e) => JSON.stringify(e)));
  for (const f of files) {
    const c = f.startsWith("{") ? (JSON.parse(f) as CaseSpec) : loadCase(join(dir, f));
    if (names.length > 0 && !names.includes(c.name)) continue;
    const rng = createRng(2024);
    const known = ["atoms", "circle", "polyline", "balls"].includes(c.mixing.kind);
    const dist = known ? undefined : createDistribution(c as never);
    const noisyFor = (n: number, t: number, r: ReturnType<typeof createRng>) => {
      if (!dist) return sampleNoisy(c, n, t, r);
      const x = dist.sample(n, r).x;
      const rr = r.stream("extra-noise");
      for (let i = 0; i < x.data.length; i++) x.data[i] = (x.data[i] as number) + Math.sqrt(t) * rr.normal();
      return x;
    };
    const mu = dist ? dist.sample(N, rng.stream("train")).x : sampleMixing(c, N, rng.stream("train"));
    const xr = rng.stream("train-noise");
    for (let i = 0; i < (dist ? 0 : N); i++) {
      const r = xr.stream(i);
      for (let j = 0; j < c.dim; j++)
        mu.data[i * c.dim + j] = (mu.data[i * c.dim + j] as number) + c.noiseStd * r.normal();
    }
    const fitStart = Date.now();
    const model = fitScore(mu, { rng: createRng(7), sigma0: c.noiseStd, ...extra });
    const fitMs = Date.now() - fitStart;
    const oracle = oracleFor(c);
    const d = model.diagnostics;
    console.log(
      `\n== ${c.name} (n=${c.dim}, N=${N}) fit ${(fitMs / 1000).toFixed(2)} s, m=${d.subspaceDim}, held-out KL term ${d.klTerm.toFixed(4)} ± ${(d.klTermStandardError ?? Number.NaN).toFixed(4)}`,
    );
    console.log("   t        cells deg  true-rel   heldout-rel   [shrink ridge | f-mse: true, estimate ± se]");
    let trueKl = 0;
    const bands = { hi: 0, mid: 0, lo: 0 };
    d.levels.forEach((L, i) => {
      const y = noisyFor(3000, L.t, rng.stream("eval", i));
      const e = scoreError(model, oracle, L.t, y);
      const s2 = c.noiseStd ** 2 + L.t;
      if (i + 1 < d.levels.length)
        trueKl += Math.log(s2 / (c.noiseStd ** 2 + (d.levels[i + 1]?.t as number))) * e.mse * s2;
      if (L.t >= 5) bands.hi = Math.max(bands.hi, e.relative);
      else if (L.t >= 1) bands.mid = Math.max(bands.mid, e.relative);
      else if (L.t >= 0.1) bands.lo = Math.max(bands.lo, e.relative);
      console.log(
        `   ${L.t.toExponential(2).padEnd(9)} ${String(L.cells).padStart(4)} ${L.degree}   ${(100 * e.relative).toFixed(1).padStart(6)}%   ${(100 * L.heldOutRelError).toFixed(1).padStart(6)}%   [${L.shrink ? "S" : "-"} ${L.ridge} | ${(e.mse * s2 * s2).toExponential(2)}, ${(L.heldOutMseEstimate ?? Number.NaN).toExponential(2)} ± ${(L.heldOutMseStandardError ?? Number.NaN).toExponential(1)}]`,
      );
    });
    for (const t of [0.01, 0.001]) {
      const y = noisyFor(3000, t, rng.stream("eval-low", t));
      console.log(`   t=${t} (below floor): ${(100 * scoreError(model, oracle, t, y).relative).toFixed(1)}%`);
    }
    if (c.mixing.kind === "atoms") {
      const truthMeans = c.mixing.points as number[][];
      const truthW = c.mixing.weights as number[];
      // match each true atom to the nearest estimated atom
      const report = (label: string, means: number[][], weights: number[]) => {
        let me = 0;
        let we = 0;
        truthMeans.forEach((tm, k) => {
          let best = 0;
          let bd = Infinity;
          means.forEach((m, i) => {
            const dd = Math.hypot(...m.map((v, j) => v - (tm[j] as number)));
            if (dd < bd) {
              bd = dd;
              best = i;
            }
          });
          me = Math.max(me, bd);
          we = Math.max(we, Math.abs((weights[best] as number) - (truthW[k] as number)));
        });
        console.log(
          `   ${label}: ${means.length} atoms, max mean error ${me.toFixed(3)}, max weight error ${we.toFixed(3)}`,
        );
      };
      const est = estimateMixtureParameters(model);
      report("score model", est.means, est.weights);
      const em = fitEm(mu, { k: truthMeans.length, rng: createRng(5), noiseStd: c.noiseStd });
      const emMeans: number[][] = [];
      for (let k = 0; k < em.k; k++) emMeans.push(Array.from(em.means.data.subarray(k * c.dim, (k + 1) * c.dim)));
      report("EM (k known)", emMeans, Array.from(em.weights));
    }
    console.log(
      `   max rel err: t≥5 ${(100 * bands.hi).toFixed(1)}%, 1≤t<5 ${(100 * bands.mid).toFixed(1)}%, 0.1≤t<1 ${(100 * bands.lo).toFixed(1)}%; true KL term ${trueKl.toFixed(4)}`,
    );
  }
});
