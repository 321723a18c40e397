import { createPoints, createRng } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { principalSubspace } from "./principal-subspace.js";

describe("principalSubspace", () => {
  test("4 means spanning a 3-D affine subspace of R^8: m = 3 and the span is recovered", () => {
    const means = [
      [3, 0, 0, 0, 0, 0, 0, 0],
      [-3, 0, 0, 0, 0, 0, 0, 0],
      [0, 3, 0, 0, 0, 0, 0, 0],
      [0, 0, 3, 0, 0, 0, 0, 0],
    ];
    const d = gaussianMixture({ means, weights: [0.25, 0.25, 0.25, 0.25] });
    const x = d.sample(4000, createRng(1)).x;
    const s = principalSubspace(x, 1, "auto");
    expect(s.dim).toBe(3);
    // every centred mean lies in span(U) up to the sampling error of the eigenvectors, O(√(n/N)·|μ|) ≈ 0.15
    for (const mu of means) {
      const r = mu.map((v, j) => v - s.mean[j]!);
      let resid = r.reduce((a, v) => a + v * v, 0);
      for (let k = 0; k < 3; k++) {
        let dot = 0;
        for (let j = 0; j < 8; j++) dot += r[j]! * s.basis[j * 3 + k]!;
        resid -= dot * dot;
      }
      expect(Math.sqrt(Math.max(0, resid))).toBeLessThan(0.3);
    }
  });
  test("pure noise keeps one direction; 'none' keeps all; a number keeps that many", () => {
    const x = createPoints(2000, 4);
    const r = createRng(2);
    for (let i = 0; i < x.data.length; i++) x.data[i] = r.normal();
    expect(principalSubspace(x, 1, "auto").dim).toBe(1);
    expect(principalSubspace(x, 1, "none").dim).toBe(4);
    expect(principalSubspace(x, 1, 2).dim).toBe(2);
    expect(() => principalSubspace(x, 1, 5)).toThrowError(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});
