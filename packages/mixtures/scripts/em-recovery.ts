// EM recovery of cases/gmm2d and gmm10d from 20 000 samples: max over components of the max-abs coordinate
// and Euclidean error to the nearest fitted mean, over 5 data seeds. Run from the repo root:
//   npx esbuild packages/mixtures/scripts/em-recovery.ts --bundle --platform=node --format=esm \
//     --conditions=@mixdiff/source --outfile=/tmp/mixdiff-em.mjs && node /tmp/mixdiff-em.mjs
import { createRng, row } from "@mixdiff/core";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import { createDistribution, fitEm } from "../src/index.js";

declare const console: { log(...x: unknown[]): void };
declare const performance: { now(): number };

for (const spec of [gmm2d, gmm10d]) {
  const p = createDistribution(spec);
  for (let seed = 1; seed <= 5; seed++) {
    const { x } = p.sample(20_000, createRng(seed));
    const t0 = performance.now();
    const fit = fitEm(x, { k: spec.mixing.points.length, rng: createRng(100 + seed), restarts: 3 });
    const ms = performance.now() - t0;
    let maxAbs = 0;
    let maxEuc = 0;
    for (const m of spec.mixing.points) {
      let bestA = Infinity;
      let bestE = Infinity;
      for (let j = 0; j < fit.k; j++) {
        const f = row(fit.means, j);
        let a = 0;
        let e = 0;
        m.forEach((v, c) => {
          a = Math.max(a, Math.abs(f[c]! - v));
          e += (f[c]! - v) ** 2;
        });
        bestA = Math.min(bestA, a);
        bestE = Math.min(bestE, Math.sqrt(e));
      }
      maxAbs = Math.max(maxAbs, bestA);
      maxEuc = Math.max(maxEuc, bestE);
    }
    console.log(
      `${spec.name} seed ${seed}: max-abs ${maxAbs.toFixed(4)}  max-euclid ${maxEuc.toFixed(4)}  iterations ${fit.iterations}  converged ${fit.converged}  ${ms.toFixed(0)} ms`,
    );
  }
}
