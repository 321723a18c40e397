import { createPoints, createRng } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { exactScoreModel } from "./exact-score-model.js";
import { createWorkspace, type LevelState, levelFeatures, predictLevel } from "./level-predictor.js";

describe("mixture base", () => {
  // Atoms at the centres with weights = masses: a level with the base and zero polynomials is the exact
  // posterior mean (checked against the mixtures oracle), and its divergence is Σ_c Var_π(c)/σ².
  const means = [
    [-2, 0.5],
    [1.5, 1],
    [0.3, -2.2],
  ];
  const weights = [0.5, 0.3, 0.2];
  const sigma0 = 0.8;
  const t = 0.7;
  const oracle = exactScoreModel(gaussianMixture({ means, weights, noiseStd: sigma0 }));
  const m = 2;
  const feats = levelFeatures(m, 2);
  const ws = createWorkspace(feats);
  const level: LevelState = {
    t,
    centers: Float64Array.from(means.flat()),
    degrees: Int32Array.of(0, 0, 0),
    coefficients: [new Float64Array(m), new Float64Array(m), new Float64Array(m)],
    lower: new Float64Array(3 * m).fill(-1e9),
    upper: new Float64Array(3 * m).fill(1e9),
    mass: Float64Array.from(weights),
    base: true,
  };
  const rows = 200;
  const rng = createRng(1);
  const y = new Float64Array(rows * m);
  for (let i = 0; i < y.length; i++) y[i] = 3 * rng.normal();
  const lo = new Float64Array(m).fill(-Infinity);
  const hi = new Float64Array(m).fill(Infinity);

  test("equals the exact posterior mean of the atoms", () => {
    const out = new Float64Array(rows * m);
    predictLevel(level, sigma0, feats, ws, y, rows, out, lo, hi);
    const yp = createPoints(rows, m);
    yp.data.set(y);
    const exact = oracle.posteriorMean(yp, t).data;
    for (let k = 0; k < out.length; k++) expect(out[k]).toBeCloseTo(exact[k] as number, 12);
  });

  test("its divergence matches central finite differences", () => {
    const out = new Float64Array(rows * m);
    const div = new Float64Array(rows);
    predictLevel(level, sigma0, feats, ws, y, rows, out, lo, hi, div);
    const h = 1e-5;
    const a = new Float64Array(m);
    const b = new Float64Array(m);
    for (let i = 0; i < 20; i++) {
      let fd = 0;
      for (let c = 0; c < m; c++) {
        const yp = y.slice(i * m, i * m + m);
        const ym = y.slice(i * m, i * m + m);
        yp[c] = (yp[c] as number) + h;
        ym[c] = (ym[c] as number) - h;
        predictLevel(level, sigma0, feats, ws, yp, 1, a, lo, hi);
        predictLevel(level, sigma0, feats, ws, ym, 1, b, lo, hi);
        fd += ((a[c] as number) - (b[c] as number)) / (2 * h);
      }
      expect(div[i]).toBeCloseTo(fd, 6);
    }
  });

  test("without the flag the same level predicts the (zero) polynomials only", () => {
    const out = new Float64Array(rows * m);
    predictLevel({ ...level, base: false }, sigma0, feats, ws, y, rows, out, lo, hi);
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
