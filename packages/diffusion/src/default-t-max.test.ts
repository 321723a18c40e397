import { describe, expect, it } from "vitest";
import { atomsModel, gaussianModel } from "../test/models.js";
import { defaultTMax, mixingSpread } from "./default-t-max.js";

describe("defaultTMax", () => {
  it("reads the mixing spread E|μ − Eμ|² off the posterior mean", () => {
    // 0.5 δ(−3) + 0.5 δ(3): spread 9. gmm2d: Σ w|μ|² − |Σ wμ|² = 18.25 − 1.6025 = 16.6475.
    expect(mixingSpread(atomsModel([[-3], [3]], [0.5, 0.5]))).toBeCloseTo(9, 4);
    const gmm = atomsModel(
      [
        [-4, 0],
        [4, 0],
        [0, 5],
      ],
      [0.4, 0.35, 0.25],
    );
    expect(mixingSpread(gmm)).toBeCloseTo(16.6475, 3);
    // Gaussian N(m, diag(v)) = Q0 * N(0, σ0²): Cov(μ) = diag(v − σ0²).
    expect(mixingSpread(gaussianModel([1, 2], [3, 5], 1))).toBeCloseTo(2 + 4, 4);
    // A far-away, wide mixture needs the probe to move further out.
    expect(mixingSpread(atomsModel([[-3000], [3000]], [0.5, 0.5]))).toBeCloseTo(9e6, -2);
  });

  it("is spread/(2·klTarget) − σ0², at least 10σ0², or the model's own finite tMax", () => {
    expect(defaultTMax(atomsModel([[-3], [3]], [0.5, 0.5]))).toBeCloseTo(9 / 2e-3 - 1, 0);
    expect(defaultTMax(atomsModel([[-3], [3]], [0.5, 0.5]), { klTarget: 0.01 })).toBeCloseTo(449, 0);
    expect(defaultTMax(gaussianModel([0], [1], 1))).toBe(10);
    expect(defaultTMax({ ...gaussianModel([0], [1]), tMax: 42 })).toBe(42);
  });
});
