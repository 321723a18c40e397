// Quality run (not a test): how the sampled per-coordinate variance of a Gaussian mixture approaches the
// truth as the number of steps grows, in 2-D and 8-D, with the exact score — and where defaultSteps lands.
// Mixture: 2·dim atoms at ±4·e_j (equal weights), σ0 = 1, so Var(X_j) = 16/dim + 1 per coordinate.
// Run: pnpm --filter @mixdiff/diffusion steps-vs-dim   (bundled with esbuild, ≈ 1–2 min on 2 cores)
import { createPoints, createRng, type Points } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import { defaultSteps } from "../src/default-steps.js";
import { defaultTMax } from "../src/default-t-max.js";
import { sample } from "../src/sample.js";
import type { SamplerName } from "../src/samplers.js";

declare const console: { log(...x: unknown[]): void };

function axisMixture(dim: number): ScoreModel {
  const k = 2 * dim;
  const mu: number[][] = [];
  for (let j = 0; j < dim; j++) {
    for (const s of [-4, 4]) {
      const m = new Array(dim).fill(0);
      m[j] = s;
      mu.push(m);
    }
  }
  const logits = new Float64Array(k);
  const posteriorMean = (y: Points, t: number, out: Points = createPoints(y.rows, dim)): Points => {
    const s2 = 1 + t;
    for (let r = 0; r < y.rows; r++) {
      let max = -Infinity;
      for (let i = 0; i < k; i++) {
        let dot = 0;
        for (let c = 0; c < dim; c++) dot += y.data[r * dim + c]! * mu[i]![c]!;
        logits[i] = (dot - 8) / s2;
        if (logits[i]! > max) max = logits[i]!;
      }
      let z = 0;
      for (let i = 0; i < k; i++) z += logits[i] = Math.exp(logits[i]! - max);
      for (let c = 0; c < dim; c++) {
        let f = 0;
        for (let i = 0; i < k; i++) f += logits[i]! * mu[i]![c]!;
        out.data[r * dim + c] = f / z;
      }
    }
    return out;
  };
  return {
    dim,
    sigma0: 1,
    mean: new Float64Array(dim),
    tMax: Number.POSITIVE_INFINITY,
    posteriorMean,
    score(y, t, out = createPoints(y.rows, dim)) {
      posteriorMean(y, t, out);
      for (let i = 0; i < y.data.length; i++) out.data[i] = (out.data[i]! - y.data[i]!) / (1 + t);
      return out;
    },
  };
}

const n = 8000;
const samplerNames: SamplerName[] = ["exponentialIntegrator", "eulerMaruyama"];
for (const dim of [2, 8]) {
  const model = axisMixture(dim);
  const tMax = defaultTMax(model);
  const tMin = 1e-3;
  const truth = 16 / dim + 1 + tMin;
  const def = defaultSteps({ dim, tMax, tMin });
  for (const name of samplerNames) {
    for (const steps of [50, 100, 200, 400, def]) {
      const { samples } = sample(model, { n, rng: createRng(`svd-${dim}`), steps, sampler: name });
      // Mean over coordinates of the relative variance error; its MC SE ≈ √(2/(n·dim))·(kurtosis factor).
      let rel = 0;
      for (let c = 0; c < dim; c++) {
        let v = 0;
        for (let r = 0; r < n; r++) v += samples.data[r * dim + c]! ** 2;
        rel += v / n / truth - 1;
      }
      console.log(
        `dim ${dim} ${name.padEnd(22)} steps ${String(steps).padStart(4)}${steps === def ? " (default)" : "          "} mean relative variance error ${(100 * (rel / dim)).toFixed(2)}%`,
      );
    }
  }
}
