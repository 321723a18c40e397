// Standard-error calibration: compares the mean reported standard error with the empirical standard deviation
// of each estimator over independent replications (H0: equal Gaussians; H1: shifted). Run:
//   npx esbuild packages/metrics/scripts/calibrate.ts --bundle --platform=node --format=esm \
//     --conditions=@mixdiff/source --outfile=/tmp/mixdiff-calibrate.mjs && node /tmp/mixdiff-calibrate.mjs
import { createRng, type Points } from "@mixdiff/core";

declare const process: { argv: string[] };
declare const console: { log(x: unknown): void };

import { energyDistance, histogramTV, knnTwoSampleTest, mmd2, slicedWasserstein } from "../src/index.js";

function gauss(n: number, d: number, shift: number, seed: string): Points {
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  rng.fillNormal(data);
  for (let i = 0; i < n; i++) data[i * d] = data[i * d]! + shift;
  return { data, rows: n, cols: d };
}

const reps = Number(process.argv[2] ?? 200);
for (const [n, m, d] of [
  [200, 200, 2],
  [100, 300, 1],
] as const) {
  for (const shift of [0, 0.5]) {
    const stats: Record<string, { v: number[]; se: number[] }> = {};
    const add = (k: string, v: number, se: number) => {
      stats[k] ??= { v: [], se: [] };
      stats[k].v.push(v);
      stats[k].se.push(se);
    };
    for (let r = 0; r < reps; r++) {
      const x = gauss(n, d, 0, `x${r}`);
      const y = gauss(m, d, shift, `y${r}`);
      const rng = createRng(r);
      const a = mmd2(x, y, { rng, bandwidth: 1 });
      add("mmd2 h=1", a.value, a.standardError ?? NaN);
      const b = mmd2(x, y, { rng, unbiased: false, bandwidth: 1 });
      add("mmd2 biased h=1", b.value, b.standardError ?? NaN);
      const e = energyDistance(x, y, { rng });
      add("energy", e.value, e.standardError ?? NaN);
      const k = knnTwoSampleTest(x, y, { rng });
      add("knn", k.value, k.standardError ?? NaN);
      const h = histogramTV(x, y, { bins: 6, range: Array.from({ length: d }, () => [-3, 3] as [number, number]) });
      add("histTV", h.value - h.bias, h.standardError ?? NaN);
      const sw = slicedWasserstein(x, y, { rng: rng.stream("sw"), projections: 32 });
      add("slicedW2", sw.value, sw.standardError ?? NaN);
      const sw1 = slicedWasserstein(x, y, { rng: rng.stream("sw1"), projections: 32, p: 1 });
      add("slicedW1", sw1.value, sw1.standardError ?? NaN);
    }
    for (const [k, s] of Object.entries(stats)) {
      const mean = s.v.reduce((p, c) => p + c, 0) / reps;
      const sd = Math.sqrt(s.v.reduce((p, c) => p + (c - mean) ** 2, 0) / (reps - 1));
      const se = s.se.reduce((p, c) => p + c, 0) / reps;
      console.log(
        `n=${n} m=${m} d=${d} shift=${shift} ${k.padEnd(16)} mean=${mean.toExponential(3)} sd=${sd.toExponential(3)} meanSE=${se.toExponential(3)} ratio=${(se / sd).toFixed(2)}`,
      );
    }
  }
}
