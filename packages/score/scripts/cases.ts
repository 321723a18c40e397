// Helpers for the quality script: sampling the public eval cases and an atom-based oracle.
import { readFileSync } from "node:fs";
import { createPoints, type Points, type Rng } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { exactScoreModel, type ScoreModel } from "../src/index.js";

export interface CaseSpec {
  name: string;
  dim: number;
  noiseStd: number;
  mixing: {
    kind: string;
    points?: number[][];
    weights?: number[];
    center?: number[];
    radius?: number;
    centers?: number[][];
  };
}

export function loadCase(path: string): CaseSpec {
  return JSON.parse(readFileSync(path, "utf8")) as CaseSpec;
}

/** Atoms (points, weights) that represent Q0: exact for `atoms`, a fine quadrature otherwise. */
export function atomsOf(c: CaseSpec): { points: number[][]; weights: number[] } {
  const mx = c.mixing;
  if (mx.kind === "atoms") return { points: mx.points as number[][], weights: mx.weights as number[] };
  if (mx.kind === "circle") {
    const M = 4000;
    const [cx, cy] = mx.center as number[];
    const r = mx.radius as number;
    const pts: number[][] = [];
    for (let i = 0; i < M; i++) {
      const a = (2 * Math.PI * (i + 0.5)) / M;
      pts.push([(cx as number) + r * Math.cos(a), (cy as number) + r * Math.sin(a)]);
    }
    return { points: pts, weights: pts.map(() => 1 / M) };
  }
  if (mx.kind === "polyline") {
    const v = mx.points as number[][];
    const pts: number[][] = [];
    const w: number[] = [];
    for (let s = 0; s + 1 < v.length; s++) {
      const a = v[s]!;
      const b = v[s + 1]!;
      const len = Math.hypot(...a.map((x, j) => b[j]! - x));
      const M = Math.ceil(len * 200);
      for (let i = 0; i < M; i++) {
        const u = (i + 0.5) / M;
        pts.push(a.map((x, j) => x + u * (b[j]! - x)));
        w.push(len / M);
      }
    }
    const tot = w.reduce((p, q) => p + q, 0);
    return { points: pts, weights: w.map((x) => x / tot) };
  }
  if (mx.kind === "balls") {
    const pts: number[][] = [];
    const w: number[] = [];
    const r = mx.radius as number;
    const G = 80;
    (mx.centers as number[][]).forEach((ctr, ci) => {
      const wc = (mx.weights as number[])[ci]!;
      const cell: number[][] = [];
      for (let i = 0; i < G; i++)
        for (let j = 0; j < G; j++) {
          const x = -r + ((i + 0.5) * 2 * r) / G;
          const y = -r + ((j + 0.5) * 2 * r) / G;
          if (x * x + y * y <= r * r) cell.push([ctr[0]! + x, ctr[1]! + y]);
        }
      for (const p of cell) {
        pts.push(p);
        w.push(wc / cell.length);
      }
    });
    return { points: pts, weights: w };
  }
  throw new Error(`unknown kind ${mx.kind}`);
}

/** Samples of μ ~ Q0. */
export function sampleMixing(c: CaseSpec, N: number, rng: Rng): Points {
  const n = c.dim;
  const out = createPoints(N, n);
  const mx = c.mixing;
  for (let i = 0; i < N; i++) {
    const r = rng.stream("mu", i);
    let mu: number[];
    if (mx.kind === "atoms") {
      const u = r.uniform();
      let acc = 0;
      let k = 0;
      const w = mx.weights as number[];
      while (k < w.length - 1 && acc + w[k]! <= u) acc += w[k++]!;
      mu = (mx.points as number[][])[k]!;
    } else if (mx.kind === "circle") {
      const a = 2 * Math.PI * r.uniform();
      const ctr = mx.center as number[];
      mu = [ctr[0]! + (mx.radius as number) * Math.cos(a), ctr[1]! + (mx.radius as number) * Math.sin(a)];
    } else if (mx.kind === "polyline") {
      const v = mx.points as number[][];
      const lens = v.slice(1).map((b, s) => Math.hypot(...b.map((x, j) => x - v[s]![j]!)));
      const tot = lens.reduce((p, q) => p + q, 0);
      let u = r.uniform() * tot;
      let s = 0;
      while (s < lens.length - 1 && u > lens[s]!) u -= lens[s++]!;
      const a = v[s]!;
      const b = v[s + 1]!;
      const f = u / lens[s]!;
      mu = a.map((x, j) => x + f * (b[j]! - x));
    } else {
      const w = mx.weights as number[];
      const u = r.uniform();
      let acc = 0;
      let k = 0;
      while (k < w.length - 1 && acc + w[k]! <= u) acc += w[k++]!;
      const ctr = (mx.centers as number[][])[k]!;
      const rad = (mx.radius as number) * Math.sqrt(r.uniform());
      const a = 2 * Math.PI * r.uniform();
      mu = [ctr[0]! + rad * Math.cos(a), ctr[1]! + rad * Math.sin(a)];
    }
    for (let j = 0; j < n; j++) out.data[i * n + j] = mu[j]!;
  }
  return out;
}

/** Samples of P_t = Q0 * N(0, (σ0² + t) I). */
export function sampleNoisy(c: CaseSpec, N: number, t: number, rng: Rng): Points {
  const p = sampleMixing(c, N, rng);
  const s = Math.sqrt(c.noiseStd * c.noiseStd + t);
  for (let i = 0; i < N; i++) {
    const r = rng.stream("xi", i);
    for (let j = 0; j < c.dim; j++) p.data[i * c.dim + j] = p.data[i * c.dim + j]! + s * r.normal();
  }
  return p;
}

/** Exact score of a case from its atoms (exact for atoms, a fine quadrature otherwise). */
export function atomsModel(c: CaseSpec): ScoreModel {
  const { points, weights } = atomsOf(c);
  const n = c.dim;
  const K = points.length;
  const s02 = c.noiseStd ** 2;
  const mean = new Float64Array(n);
  points.forEach((p, k) => {
    p.forEach((v, j) => {
      mean[j] = mean[j]! + weights[k]! * v;
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
          const mu = flat[k * n + j]!;
          dot += y.data[i * n + j]! * mu;
          nn += mu * mu;
        }
        const v = lw[k]! + (dot - nn / 2) / s2;
        logits[k] = v;
        if (v > mx) mx = v;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += logits[k] = Math.exp(logits[k]! - mx);
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += logits[k]! * flat[k * n + j]!;
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
      for (let k = 0; k < r.data.length; k++) r.data[k] = (r.data[k]! - y.data[k]!) / (s02 + t);
      return r;
    },
  };
}

export function oracleFor(c: CaseSpec): ScoreModel {
  if (!["polyline", "balls"].includes(c.mixing.kind)) {
    try {
      return exactScoreModel(createDistribution(c as never));
    } catch {
      /* fall through */
    }
  }
  return atomsModel(c);
}
