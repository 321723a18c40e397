import { isMixdiffError } from "@mixdiff/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bentonGrid } from "./benton-grid.js";
import { geometricGrid } from "./geometric-grid.js";
import { karrasGrid } from "./karras-grid.js";
import { theoryGrid } from "./theory-grid.js";
import { uniformGrid } from "./uniform-grid.js";

type Build = (tMax: number, tMin: number, steps: number) => Float64Array;

const grids: readonly [string, Build][] = [
  ["uniformGrid", (tMax, tMin, steps) => uniformGrid({ tMax, tMin, steps })],
  ["geometricGrid", (tMax, tMin, steps) => geometricGrid({ tMax, tMin, steps })],
  ["bentonGrid", (tMax, tMin, steps) => bentonGrid({ tMax, tMin, steps })],
  ["bentonGrid σ0 = 0.3", (tMax, tMin, steps) => bentonGrid({ tMax, tMin, steps, sigma0: 0.3 })],
  ["karrasGrid", (tMax, tMin, steps) => karrasGrid({ sigmaMax: tMax, sigmaMin: tMin, steps })],
  ["karrasGrid ρ = 3", (tMax, tMin, steps) => karrasGrid({ sigmaMax: tMax, sigmaMin: tMin, steps, rho: 3 })],
];

function expectGridInvariants(g: Float64Array, tMax: number, tMin: number, length?: number): void {
  if (length !== undefined) expect(g.length).toBe(length);
  expect(g[0]).toBe(tMax);
  expect(g[g.length - 1]).toBe(tMin);
  for (let i = 1; i < g.length; i++) expect(g[i]!).toBeLessThan(g[i - 1]!);
}

describe.each(grids)("%s", (_name, build) => {
  it("prime and small step counts give exactly steps + 1 strictly decreasing points from tMax to tMin", () => {
    for (const steps of [1, 2, 7, 13, 50, 97]) expectGridInvariants(build(80, 2e-3, steps), 80, 2e-3, steps + 1);
  });

  it("holds the invariants for random ranges and step counts (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.double({ min: 1.01, max: 1e5, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        (tMin, ratio, steps) => {
          const tMax = tMin * ratio;
          expectGridInvariants(build(tMax, tMin, steps), tMax, tMin, steps + 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  const bad: readonly [string, () => unknown, string][] = [
    ["steps = 0", () => build(10, 1, 0), "INVALID_OPTION"],
    ["steps = 2.5", () => build(10, 1, 2.5), "INVALID_OPTION"],
    ["steps = NaN", () => build(10, 1, Number.NaN), "INVALID_OPTION"],
    ["steps > 10⁷", () => build(10, 1, 2e7), "RESOURCE_LIMIT"],
    ["tMax < tMin", () => build(1, 10, 5), "INVALID_OPTION"],
    ["tMax = tMin", () => build(1, 1, 5), "INVALID_OPTION"],
    ["tMax = Infinity", () => build(Number.POSITIVE_INFINITY, 1, 5), "INVALID_OPTION"],
    ["range too narrow for the steps", () => build(1 + 1e-15, 1, 50), "INVALID_OPTION"],
  ];
  it.each(bad)("rejects %s", (_n, f, code) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, code as "INVALID_OPTION")).toBe(true);
  });
});

describe("grid shapes", () => {
  it("uniform: equal differences", () => {
    expect(Array.from(uniformGrid({ tMax: 1, tMin: 0, steps: 4 }))).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });

  it("geometric: constant ratios; rejects tMin = 0", () => {
    const g = geometricGrid({ tMax: 100, tMin: 0.01, steps: 4 });
    for (let i = 1; i < g.length; i++) expect(Math.abs(g[i]! / g[i - 1]! - 0.1)).toBeLessThan(1e-14);
    expect(() => geometricGrid({ tMax: 1, tMin: 0, steps: 3 })).toThrow(/tMin/);
  });

  it("karras: ρ-th roots are equally spaced (Karras et al. 2022, eq. 5)", () => {
    const g = karrasGrid({ sigmaMin: 0.002, sigmaMax: 80, steps: 18 });
    const r = Array.from(g, (v) => v ** (1 / 7));
    for (let i = 2; i < r.length; i++) expect(Math.abs(r[i]! - r[i - 1]! - (r[1]! - r[0]!))).toBeLessThan(1e-12);
  });

  it("benton: uniform in ln(1 + t) above VP time 1, geometric in ln(1 + t) below", () => {
    const g = bentonGrid({ tMax: 1e4, tMin: 1e-3, steps: 200 });
    const u = Array.from(g, (t) => Math.log1p(t));
    const above = u.map((v, i) => [v, i] as const).filter(([v]) => v > 2.2);
    const below = u.map((v, i) => [v, i] as const).filter(([v]) => v < 1.8);
    expect(above.length).toBeGreaterThan(20);
    expect(below.length).toBeGreaterThan(20);
    const du = u[1]! - u[0]!;
    for (let k = 1; k < above.length; k++) {
      const [, i] = above[k]!;
      expect(Math.abs(u[i]! - u[i - 1]! - du)).toBeLessThan(1e-9);
    }
    const ratio = below[1]![0] / below[0]![0];
    for (let k = 1; k < below.length; k++) {
      const [, i] = below[k]!;
      if (i === g.length - 1) continue;
      expect(Math.abs(u[i]! / u[i - 1]! - ratio)).toBeLessThan(1e-9);
    }
    // Continuity of the spacing at the switch (ψ is C¹): ratio ≈ 1 − du/2.
    expect(Math.abs(ratio - Math.exp(du / 2))).toBeLessThan(1e-9);
  });
});

describe("theoryGrid (Theorem 3.1 step rule)", () => {
  it("each step satisfies t_k + 1 = (t_{k+1} + 1)·max{e^{−2κ}, (t_{k+1} + 1)^{−κ}} except the clipped last one", () => {
    const kappa = 0.02;
    const g = theoryGrid({ T: 400, tMin: 1e-3, kappa });
    expectGridInvariants(g, 400, 1e-3);
    for (let k = 1; k < g.length - 1; k++) {
      const prev = g[k - 1]! + 1;
      const want = prev * Math.max(Math.exp(-2 * kappa), prev ** -kappa);
      expect(Math.abs(g[k]! + 1 - want)).toBeLessThan(1e-12 * want);
    }
    // The last step is no longer than the rule allows.
    const prev = g[g.length - 2]! + 1;
    expect(g[g.length - 1]! + 1).toBeGreaterThanOrEqual(prev * Math.max(Math.exp(-2 * kappa), prev ** -kappa) - 1e-15);
  });

  it("its length follows (u_T − 2)/(2κ) + ln(2/u_min)/κ with u = ln(1 + t)", () => {
    for (const kappa of [0.01, 0.05, 0.2]) {
      const g = theoryGrid({ T: 1000, tMin: 1e-3, kappa });
      const predicted = (Math.log1p(1000) - 2) / (2 * kappa) + Math.log(2 / Math.log1p(1e-3)) / -Math.log1p(-kappa);
      expect(Math.abs(g.length - 1 - predicted)).toBeLessThanOrEqual(2);
    }
  });

  it("σ0 rescales time: the grid for σ0 is σ0² times the grid for σ0 = 1", () => {
    const a = theoryGrid({ T: 100, tMin: 0.01, kappa: 0.1 });
    const b = theoryGrid({ T: 400, tMin: 0.04, kappa: 0.1, sigma0: 2 });
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(b[i]! - 4 * a[i]!)).toBeLessThan(1e-12 * b[i]!);
  });

  it("refuses a grid longer than maxSteps before allocating (RESOURCE_LIMIT), and bad κ", () => {
    const tooLong = () => theoryGrid({ T: 2200, tMin: 3.5e-3, kappa: 6e-8 });
    expect(tooLong).toThrow(/maxSteps/);
    try {
      tooLong();
    } catch (e) {
      expect(isMixdiffError(e, "RESOURCE_LIMIT")).toBe(true);
    }
    expect(() => theoryGrid({ T: 10, tMin: 1, kappa: 1 })).toThrow(/kappa/);
    expect(() => theoryGrid({ T: 10, tMin: 1, kappa: 0 })).toThrow(/kappa/);
    expect(() => theoryGrid({ T: 1, tMin: 10, kappa: 0.1 })).toThrow(/T must be > tMin/);
  });

  it("the paper's scale (n = 2, ε = 0.1: T ≈ 2200, κ ≈ 6e-5) gives ≈ 2·10⁵ levels", () => {
    const g = theoryGrid({ T: 2200, tMin: 3.5e-3, kappa: 6e-5 });
    expect(g.length).toBeGreaterThan(1e5);
    expect(g.length).toBeLessThan(3e5);
  });
});
