import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import { createDistribution } from "./create-distribution.js";
import { emDistribution } from "./em-distribution.js";
import { fitEm } from "./fit-em.js";
import { gaussianMixture } from "./gaussian-mixture.js";
import { responsibilities } from "./responsibilities.js";

describe("responsibilities", () => {
  const d = gaussianMixture({
    means: [
      [-2, 0],
      [2, 0],
      [0, 3],
    ],
    weights: [0.5, 0.3, 0.2],
  });

  it("are Bayes' rule over the components: w_i N(y; μ_i, σ²) / p(y), at any t", () => {
    const y = [
      [0.3, -0.4],
      [5, 5],
      [-1, 2],
    ];
    for (const t of [0, 0.7]) {
      const r = responsibilities(d, y, t);
      expect([r.rows, r.cols]).toEqual([3, 3]);
      const s2 = 1 + t;
      const means = [
        [-2, 0],
        [2, 0],
        [0, 3],
      ];
      const w = [0.5, 0.3, 0.2];
      y.forEach((p, row) => {
        const lp = d.logDensity([p], t)[0]!;
        means.forEach((m, i) => {
          const d2 = (p[0]! - m[0]!) ** 2 + (p[1]! - m[1]!) ** 2;
          const expected = Math.exp(Math.log(w[i]!) - d2 / (2 * s2) - Math.log(2 * Math.PI * s2) - lp);
          expect(Math.abs(r.data[row * 3 + i]! - expected)).toBeLessThan(1e-14);
        });
      });
    }
  });

  it("match EM's posterior means: Σ_i π_i μ_i = E[μ | y] (the distribution's posteriorMean)", () => {
    const y = [
      [1, 1],
      [-3, 0.5],
    ];
    const r = responsibilities(d, y);
    const f = d.posteriorMean(y);
    for (let row = 0; row < 2; row++) {
      const fx = -2 * r.data[row * 3]! + 2 * r.data[row * 3 + 1]!;
      const fy = 3 * r.data[row * 3 + 2]!;
      expect(Math.abs(fx - f.data[2 * row]!)).toBeLessThan(1e-14);
      expect(Math.abs(fy - f.data[2 * row + 1]!)).toBeLessThan(1e-14);
    }
  });

  it("stay finite and one-hot far away; sum to 1", () => {
    const r = responsibilities(d, [
      [1e6, 0],
      [0, -1e7],
    ]);
    expect(r.data[1]).toBe(1);
    expect(r.data[3]! + r.data[4]! + r.data[5]!).toBeCloseTo(1, 15);
    expect(Array.from(r.data).every(Number.isFinite)).toBe(true);
  });

  it("are EM's E-step: at a converged fit the weights are the mean responsibilities (the M-step's fixed point)", () => {
    const { x } = d.sample(400, createRng(1));
    const em = fitEm(x, { k: 3, rng: createRng(2), tolerance: 1e-12 });
    const r = responsibilities(emDistribution(em), x);
    for (let i = 0; i < 3; i++) {
      let m = 0;
      for (let row = 0; row < x.rows; row++) m += r.data[row * 3 + i]! / x.rows;
      expect(Math.abs(m - em.weights[i]!)).toBeLessThan(1e-5);
    }
    expect(responsibilities(gaussianMixture({ means: [[0, 0]] }), x).data.every((v) => v === 1)).toBe(true);
  });

  it("refuse a continuous mixture naming mixing.kind, and bad points or t", () => {
    const circle = createDistribution({ dim: 2, noiseStd: 1, mixing: { kind: "circle", center: [0, 0], radius: 2 } });
    try {
      responsibilities(circle, [[0, 0]]);
      expect.unreachable();
    } catch (e) {
      expect(isMixdiffError(e) && e.code === "INVALID_INPUT" && e.location.path === "mixing.kind").toBe(true);
    }
    expect(() => responsibilities(d, [[0, 0, 0]])).toThrow(/y/);
    expect(() => responsibilities(d, [[0, 0]], -1)).toThrow(/t must be/);
  });
});
