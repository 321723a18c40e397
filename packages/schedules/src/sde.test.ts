import { describe, expect, it } from "vitest";
import { edmSchedule } from "./edm.js";
import { forwardDrift, probabilityFlowDrift, reverseDrift } from "./sde.js";
import { veSchedule } from "./ve.js";
import { vpSchedule } from "./vp.js";

describe("SDE coefficients", () => {
  it("forward drift is f·x", () => {
    expect(Array.from(forwardDrift(vpSchedule(), 0.3, new Float64Array([2, -1])))).toEqual([-2, 1]);
    expect(Array.from(forwardDrift(veSchedule(), 0.3, new Float64Array([2])))).toEqual([0]);
  });

  it("reverse drift is f·x − g²·score and the probability-flow drift halves the score term", () => {
    const x = new Float64Array([1.5, -0.5]);
    const score = new Float64Array([-2, 3]);
    const s = vpSchedule();
    // VP: f = −1, g² = 2.
    const close = (a: Float64Array, b: number[]) => {
      for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-14);
    };
    close(reverseDrift(s, 1, x, score), [-1.5 + 4, 0.5 - 6]);
    close(probabilityFlowDrift(s, 1, x, score), [-1.5 + 2, 0.5 - 3]);
  });

  it("EDM probability flow is (x − D)/σ with D = x + σ²·score", () => {
    const sigma = 2.5;
    const x = new Float64Array([0.7]);
    const score = new Float64Array([-0.3]);
    const d = x[0]! + sigma * sigma * score[0]!;
    const v = probabilityFlowDrift(edmSchedule(), sigma, x, score);
    expect(Math.abs(v[0]! - (x[0]! - d) / sigma)).toBeLessThan(1e-15);
  });

  it("writes in place when out aliases x", () => {
    const x = new Float64Array([1, 2]);
    const r = reverseDrift(veSchedule(), 1, x, new Float64Array([1, 1]), x);
    expect(r).toBe(x);
    expect(Array.from(x)).toEqual([-1, -1]);
  });
});
