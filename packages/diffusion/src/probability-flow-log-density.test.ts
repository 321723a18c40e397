/**
 * The probability-flow likelihood against closed forms: on the exact models ln p̂ must equal the distribution's own
 * `logDensity` up to the solver's error (RK4: O(h⁴); Richardson's estimate from N and 2N steps bounds it) plus the
 * prior's error at T (≈ 2·tr Cov(μ)/T ≈ 4e-8 at the default T). Also tests the exact models' `divergence`.
 */
import { createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { createDistribution, type Distribution } from "@mixdiff/mixtures";
import { exactScoreModel, fitScore, type ScoreModel } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import circle2d from "../../../test-fixtures/eval/cases/circle2d.json";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import { probabilityFlowLogDensity } from "./probability-flow-log-density.js";

const cases = [
  ["gmm2d", gmm2d],
  ["gmm10d", gmm10d],
  ["circle2d", circle2d],
] as const;

const maxAbs = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe("exactScoreModel(d).divergence", () => {
  it.each(cases)("%s: equals the trace of the score's Jacobian (central differences, h = 1e-5)", (_, spec) => {
    const d = createDistribution(spec as never);
    const model = exactScoreModel(d);
    const { x } = d.sample(20, createRng(1));
    for (const t of [0, 0.3, 5]) {
      const div = model.divergence(x, t);
      const n = d.dim;
      const h = 1e-5;
      for (let r = 0; r < x.rows; r++) {
        let tr = 0;
        for (let j = 0; j < n; j++) {
          const plus = Array.from(x.data.subarray(r * n, r * n + n));
          const minus = plus.slice();
          plus[j]! += h;
          minus[j]! -= h;
          tr += (model.score([plus], t).data[j]! - model.score([minus], t).data[j]!) / (2 * h);
        }
        // central differences of the score: error ≈ h²·s''' + 1e-16·|s|/h ≲ 1e-8 here; the circle's own
        // divergence is a central difference with h = 1e-4·σ (≈ 1e-7 relative)
        expect(Math.abs(div[r]! - tr)).toBeLessThan(1e-6 * Math.max(1, Math.abs(tr)));
      }
    }
  });
});

describe("probabilityFlowLogDensity", () => {
  it.each(cases)("%s: matches the closed-form ln p_0 within the RK4 error of its step count", (_, spec) => {
    const d = createDistribution(spec as never);
    const model = exactScoreModel(d);
    const { x } = d.sample(60, createRng(2));
    const exact = d.logDensity(x);
    const errs: number[] = [];
    for (const steps of [64, 128, 256]) {
      const a = probabilityFlowLogDensity(model, x, { steps });
      const b = probabilityFlowLogDensity(model, x, { steps: 2 * steps });
      // Richardson: for a 4th-order method, err(N) ≈ (16/15)·(L_N − L_2N); allow 2× that plus the prior's 1e-6.
      const richardson = (16 / 15) * maxAbs(a, b);
      const err = maxAbs(a, exact);
      expect(err).toBeLessThanOrEqual(2 * richardson + 1e-6);
      errs.push(err);
    }
    // 4th order: each halving of h divides the error by ≈ 16 (at least 8 here; measured 14–20)
    expect(errs[0]! / errs[1]!).toBeGreaterThan(8);
    expect(errs[1]! / errs[2]!).toBeGreaterThan(8);
    // the stated accuracy of the default h = 1/16: below 1e-5 per point (measured 0.5–8e-6 on 200 points)
    expect(maxAbs(probabilityFlowLogDensity(model, x), exact)).toBeLessThan(2e-5);
  });

  it("gives ln p_t at t > 0, and Heun is second order", () => {
    const d = createDistribution(gmm2d as never);
    const model = exactScoreModel(d);
    const { x } = d.sample(40, createRng(3));
    expect(maxAbs(probabilityFlowLogDensity(model, x, { t: 0.5 }), d.logDensity(x, 0.5))).toBeLessThan(2e-5);
    const exact = d.logDensity(x);
    const e1 = maxAbs(probabilityFlowLogDensity(model, x, { solver: "heun", steps: 256 }), exact);
    const e2 = maxAbs(probabilityFlowLogDensity(model, x, { solver: "heun", steps: 512 }), exact);
    expect(e1 / e2).toBeGreaterThan(3); // 4 for an O(h²) method
    expect(e1 / e2).toBeLessThan(5);
  });

  it("is a normalised density for a learned model (1-D: ∫ exp(ln p̂) dy = 1 by the trapezoid rule)", () => {
    const truth = createDistribution({
      dim: 1,
      noiseStd: 1,
      mixing: { kind: "atoms", points: [[-3], [2]], weights: [0.6, 0.4] },
    });
    const model = fitScore(truth.sample(4000, createRng(4)).x, { rng: createRng(5) });
    const grid = Array.from({ length: 401 }, (_, i) => [-14 + (28 * i) / 400]);
    const lp = probabilityFlowLogDensity(model, grid);
    let mass = 0;
    for (let i = 0; i < 401; i++) mass += ((i === 0 || i === 400 ? 0.5 : 1) * 28 * Math.exp(lp[i]!)) / 400;
    // the flow of any smooth field transports the normalised prior: the mass is 1 up to the solver's error (below
    // 1e-5 at the default steps), the trapezoid rule (spectrally accurate for a smooth, fast-decaying density) and
    // the tails beyond ±14 (< 1e-9); measured 3e-8
    expect(Math.abs(mass - 1)).toBeLessThan(1e-5);
    // and close to the truth where the data are: a fit from 4000 points (held-out KL ≈ 3e-4; measured 0.015 here)
    const mid = probabilityFlowLogDensity(model, [[-3], [2]]);
    const t = truth.logDensity([[-3], [2]]);
    expect(Math.abs(mid[0]! - t[0]!)).toBeLessThan(0.05);
    expect(Math.abs(mid[1]! - t[1]!)).toBeLessThan(0.05);
  });

  it("does not depend on chunkSize; refuses models without divergence and bad options, naming the field", () => {
    const d: Distribution = createDistribution(gmm2d as never);
    const model = exactScoreModel(d);
    const y = d.sample(9, createRng(6)).x;
    const a = probabilityFlowLogDensity(model, y, { steps: 20 });
    expect(probabilityFlowLogDensity(model, y, { steps: 20, chunkSize: 4 })).toEqual(a);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isMixdiffError(e) ? `${e.code}:${e.location.path ?? e.location.row}` : String(e);
      }
      return "no error";
    };
    const { divergence: _, ...noDiv } = model;
    expect(code(() => probabilityFlowLogDensity(noDiv as ScoreModel, y))).toBe("INVALID_INPUT:model.divergence");
    expect(code(() => probabilityFlowLogDensity(model, y, { steps: 0 }))).toBe("INVALID_OPTION:steps");
    expect(code(() => probabilityFlowLogDensity(model, y, { t: -1 }))).toBe("INVALID_OPTION:t");
    expect(code(() => probabilityFlowLogDensity(model, y, { t: 5, tMax: 2 }))).toBe("INVALID_OPTION:tMax");
    expect(code(() => probabilityFlowLogDensity(model, y, { solver: "euler" as "rk4" }))).toBe("INVALID_OPTION:solver");
    expect(code(() => probabilityFlowLogDensity(model, [[0, 0, 0]]))).toMatch(/^DIMENSION_MISMATCH/);
    expect(code(() => probabilityFlowLogDensity(model, y, { signal: { aborted: true } }))).toMatch(/^INTERRUPTED/);
    const blowUp: ScoreModel = {
      ...model,
      divergence: (p: Points) => new Float64Array(p.rows).fill(Number.POSITIVE_INFINITY),
    };
    expect(code(() => probabilityFlowLogDensity(blowUp, y, { steps: 3 }))).toBe("NUMERICAL_FAILURE:0");
  });
});
