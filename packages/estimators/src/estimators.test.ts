/**
 * Conformance of the estimator interface over the learned diffusion model, EM and the truth (gmm2d, fixed seeds).
 * Held-out log-likelihood gaps estimate KL(truth ‖ fit): ≥ 0 up to the noise (4 paired standard errors, a 3e-5
 * false-failure rate) and, for a correct fit from N = 6000 points, of order p/(2N) ≈ 1e-3 (Wilks; p = 8 parameters).
 */
import { createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { probabilityFlowLogDensity } from "@mixdiff/diffusion";
import { type KnownDistribution, meanLogLikelihood } from "@mixdiff/metrics";
import { createDistribution } from "@mixdiff/mixtures";
import { exactScoreModel } from "@mixdiff/score";
import { expectClose, meanAndSe } from "@mixdiff/test-utils";
import { describe, expect, it } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import { diffusionEstimator } from "./diffusion-estimator.js";
import { emEstimator } from "./em-estimator.js";
import type { FittedEstimator } from "./fitted-estimator.js";
import { fromDistribution } from "./from-distribution.js";
import { fromScoreModel } from "./from-score-model.js";

const truthDist = createDistribution(gmm2d as never);
const rng = createRng("estimators");
const train = truthDist.sample(6000, rng.stream("train")).x;
const test = truthDist.sample(1000, rng.stream("test"), { latent: true });
const truth = fromDistribution(truthDist);
const fitted: [string, FittedEstimator][] = [
  ["diffusion", diffusionEstimator().fit(train, { rng: rng.stream("fit-diffusion") })],
  ["em", emEstimator({ kMax: 5, restarts: 2, tolerance: 1e-7 }).fit(train, { rng: rng.stream("fit-em") })],
  ["truth", truth],
];
const truthLogP = truth.logDensity(test.x);

/** Maps each component of `est` to the nearest true atom (component orders differ between fits). */
function toTrueLabels(est: FittedEstimator, labels: Int32Array): Int32Array {
  const c = est.components() as { means: Points };
  const atoms = gmm2d.mixing.points;
  const map = Array.from({ length: c.means.rows }, (_, i) => {
    const m = c.means.data.subarray(2 * i, 2 * i + 2);
    let best = 0;
    atoms.forEach((a, j) => {
      const d = (a[0]! - m[0]!) ** 2 + (a[1]! - m[1]!) ** 2;
      const b = (atoms[best]![0]! - m[0]!) ** 2 + (atoms[best]![1]! - m[1]!) ** 2;
      if (d < b) best = j;
    });
    return best;
  });
  return labels.map((l) => map[l]!);
}

describe.each(fitted)("%s estimator", (_, est) => {
  it("has the shapes of the interface and is a KnownDistribution of @mixdiff/metrics", () => {
    expect([est.dim, est.noiseStd]).toEqual([2, 1]);
    const s = est.sample(50, createRng(1)).x;
    expect([s.rows, s.cols]).toEqual([50, 2]);
    expect(est.sample(50, createRng(1)).x.data).toEqual(s.data);
    const y = [
      [0, 0],
      [4, 1],
      [-4, 0.5],
    ];
    expect(est.score(y).rows).toBe(3);
    expect(est.logDensity(y).length).toBe(3);
    const known: KnownDistribution = est;
    expect(meanLogLikelihood(test.x, known).n).toBe(1000);
  });

  it("held-out log-likelihood: the gap to the truth estimates KL(truth ‖ fit) ≈ 1e-3", () => {
    const lp = est.logDensity(test.x);
    const diff = truthLogP.map((v, i) => v - lp[i]!);
    const { mean, se } = meanAndSe(diff);
    expect(mean).toBeGreaterThanOrEqual(-4 * se);
    expect(mean).toBeLessThan(0.01 + 4 * se);
  });

  it("responsibilities: rows sum to 1, and predict labels like Bayes' rule with the true mixture (±1.5%)", () => {
    const c = est.components();
    expect(c?.means.rows).toBe(3);
    expectClose(
      c!.weights.reduce((a, b) => a + b, 0),
      1,
      { abs: 1e-12 },
    );
    const p = est.predictProba(test.x);
    expect([p.rows, p.cols]).toEqual([1000, 3]);
    for (let r = 0; r < p.rows; r++) {
      expectClose(p.data[3 * r]! + p.data[3 * r + 1]! + p.data[3 * r + 2]!, 1, { abs: 1e-12 });
    }
    const labels = test.labels as Int32Array;
    const accuracy = (pred: Int32Array) => pred.reduce((a, l, i) => a + (l === labels[i] ? 1 : 0), 0) / labels.length;
    const bayes = accuracy(truth.predict(test.x));
    // the fits' boundaries move by O(1/√N); 1.5% of 1000 points is 15 points near the boundaries
    expect(accuracy(toTrueLabels(est, est.predict(test.x)))).toBeGreaterThan(bayes - 0.015);
  });
});

describe("estimators", () => {
  it("a diffusion estimator's logDensity is the probability-flow likelihood of its learned model", () => {
    const d = fitted[0]![1];
    expect(d.kind).toBe("diffusion");
    const y = test.x.data.subarray(0, 20);
    const pts = { data: y, rows: 10, cols: 2 };
    expect(d.logDensity(pts)).toEqual(probabilityFlowLogDensity(d.learnedModel!, pts));
    expect(d.learnedModel?.kind).toBe("learned");
  });

  it("EM chooses k = 3 by BIC; fitting twice with one seed gives the same estimator", () => {
    const em = fitted[1]![1];
    expect(em.emResult?.k).toBe(3);
    const est = emEstimator({ k: 3, restarts: 2 });
    const a = est.fit(train, { rng: createRng(5) });
    const b = est.fit(train, { rng: createRng(5) });
    expect(b.logDensity(test.x)).toEqual(a.logDensity(test.x));
  });

  it("fromScoreModel of the exact model reproduces the closed form through the ODE", () => {
    const viaOde = fromScoreModel(exactScoreModel(truthDist));
    const lp = viaOde.logDensity({ data: test.x.data.subarray(0, 40), rows: 20, cols: 2 });
    expectClose(lp, truthLogP.slice(0, lp.length), { abs: 2e-5, what: "log-density via the ODE" });
    expect(viaOde.components()).toBeUndefined();
  });

  it("refuses what has no meaning, naming the field", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isMixdiffError(e) ? `${e.code}:${e.location.path ?? ""}` : String(e);
      }
      return "no error";
    };
    const circle = fromDistribution(
      createDistribution({ dim: 2, noiseStd: 1, mixing: { kind: "circle", center: [0, 0], radius: 3 } }),
    );
    expect(circle.components()).toBeUndefined();
    expect(code(() => circle.predictProba([[0, 0]]))).toBe("INVALID_INPUT:mixing.kind");
    expect(code(() => fromScoreModel(exactScoreModel(truthDist)).predict([[0, 0]]))).toBe("INVALID_INPUT:model");
    expect(code(() => emEstimator({ k: 2, kMax: 3 }))).toBe("INVALID_OPTION:kMax");
    expect(code(() => emEstimator({ k: 0 }))).toBe("INVALID_OPTION:k");
    expect(code(() => diffusionEstimator({ sampler: "nope" as never }))).toBe("INVALID_OPTION:sampler");
    expect(code(() => emEstimator({ k: 2 }).fit(train, {} as never))).toBe("INVALID_OPTION:rng");
    expect(code(() => truth.logDensity([[0, 0]], -1))).toBe("INVALID_OPTION:t");
    expect(code(() => fitted[0]![1].score([[0, 0]], Number.NaN))).toBe("INVALID_OPTION:t");
  });
});
