import { createRng } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { ControlVariates, estimateLevelError } from "./held-out-error.js";
import { createWorkspace, type LevelState, levelFeatures, predictLevel } from "./level-predictor.js";

describe("ControlVariates", () => {
  test("removes a correlated zero-mean variate: estimate = mean of the uncorrelated part", () => {
    // L = Y + 5·C1 − 2·C2 with C1, C2 ~ N(0, 1) known mean 0 and Y ~ N(3, 0.01): the controlled mean has the
    // sd of Y's mean (0.1/√R), the plain mean the sd of L's (≈ 5.4/√R). R = 4000: |estimate − 3| < 4·0.1/√R.
    const rng = createRng(3);
    const R = 4000;
    const cv = new ControlVariates(2);
    const c = new Float64Array(2);
    for (let r = 0; r < R; r++) {
      c[0] = rng.normal();
      c[1] = rng.normal();
      cv.add(3 + 0.1 * rng.normal() + 5 * (c[0] as number) - 2 * (c[1] as number), c);
    }
    const { value, beta } = cv.estimate();
    expect(Math.abs(value - 3)).toBeLessThan((4 * 0.1) / Math.sqrt(R));
    expect(beta[0]).toBeCloseTo(5, 1);
    expect(beta[1]).toBeCloseTo(-2, 1);
  });
  test("a variate without variance gets coefficient 0", () => {
    const cv = new ControlVariates(2);
    const rng = createRng(4);
    for (let r = 0; r < 100; r++) cv.add(1 + rng.normal(), Float64Array.of(rng.normal(), 0));
    const { beta } = cv.estimate();
    expect(beta[1]).toBe(0);
    expect(Number.isFinite(beta[0] as number)).toBe(true);
  });
});

// Gaussian means μ ~ N(0, τ²I): the posterior mean is linear, f(y) = a·y with a = τ²/(τ² + σ²), so a
// degree-1 level represents it exactly and every term of the estimate has a closed form.
describe("estimateLevelError on a Gaussian prior (closed forms)", () => {
  const m = 2;
  const tau2 = 4;
  const sigma0 = 1;
  const feats = levelFeatures(m, 1);
  const ws = createWorkspace(feats);
  const big = new Float64Array(m).fill(1e9);
  const outLower = new Float64Array(m).fill(-Infinity);
  const outUpper = new Float64Array(m).fill(Infinity);
  const nE = 6000;
  const rng = createRng(5);
  const x = new Float64Array(nE * m);
  for (let i = 0; i < x.length; i++) x[i] = Math.sqrt(tau2 + sigma0 * sigma0) * rng.normal();
  const spread = new Float64Array(nE);
  for (let i = 0; i < nE; i++) spread[i] = (x[2 * i] as number) ** 2 + (x[2 * i + 1] as number) ** 2;
  const evalSet = { x, rows: nE, spread, spreadMean: m * (tau2 + sigma0 * sigma0) };

  /**
   * f̂(y) = slope·y + shift (slope per coordinate when an array), as a degree-1 Hermite level centred at 0
   * (features 1, y₁/σ, y₂/σ).
   */
  function level(t: number, slope: number | number[], shift: number[]): LevelState {
    const sig = Math.sqrt(sigma0 * sigma0 + t);
    const B = new Float64Array(3 * m);
    for (let c = 0; c < m; c++) {
      B[c] = shift[c] as number;
      B[(1 + c) * m + c] = (typeof slope === "number" ? slope : (slope[c] as number)) * sig;
    }
    return {
      t,
      centers: new Float64Array(m),
      degrees: Int32Array.of(1),
      coefficients: [B],
      lower: big.map((v) => -v),
      upper: big,
      mass: Float64Array.of(1),
    };
  }

  test("the level built here evaluates to slope·y + shift", () => {
    const L = level(1, 0.5, [0.3, -0.2]);
    const out = new Float64Array(2);
    predictLevel(L, sigma0, feats, ws, Float64Array.of(2, 4), 1, out, outLower, outUpper);
    expect(out[0]).toBeCloseTo(1.3, 12);
    expect(out[1]).toBeCloseTo(1.8, 12);
  });

  for (const t of [0.1, 1, 10]) {
    const s2 = sigma0 * sigma0 + t;
    const a = tau2 / (tau2 + s2);
    const ey2 = m * (tau2 + s2); // E|y|² under p_t
    test(`t = ${t}: exact f → 0, shifted f → |δ|², tilted f → E|g|² − σ²E∇·g (within 3 SE)`, () => {
      const cases: { slope: number; shift: number[]; expected: number }[] = [
        { slope: a, shift: [0, 0], expected: 0 },
        { slope: a, shift: [0.3, -0.4], expected: 0.25 },
        // g = 0.05·y lies in the feature span: the plug-in of ∇·f̂ hides it (documented bias):
        // expected = E|g|² − σ²·E[∇·g] = 0.0025·E|y|² − σ²·0.05·m.
        { slope: a + 0.05, shift: [0, 0], expected: 0.0025 * ey2 - s2 * 0.05 * m },
      ];
      cases.forEach((c, k) => {
        const est = estimateLevelError({
          level: level(t, c.slope, c.shift),
          sigma0,
          feats,
          ws,
          evalSet,
          draws: 4,
          rng: createRng(100 + k),
          outLower,
          outUpper,
        });
        // Here every term of the loss is spanned by the variates (|x|², x·ξ, |ξ|², x_j): the estimate is
        // exact up to rounding and its standard error ≈ 0.
        expect(Math.abs(est.mse - c.expected), `case ${k}: ${est.mse} ± ${est.standardError}`).toBeLessThan(
          3 * est.standardError + 1e-9,
        );
      });
    });
  }

  test("a piecewise f̂ with a jump: the boundary term of ∇·f̂ is counted (E|g|² − σ²·δ·p(0))", () => {
    // Two cells with centres (∓1, 0), each f̂ = exact f ± (δ/2)·e₁: g = sign(y₁)(δ/2)e₁, E|g|² = δ²/4 and the
    // distributional ∇·g = δ·δ₀(y₁), so the estimate is δ²/4 − σ²·δ·p₁(0), p₁ = N(0, τ² + σ²) density.
    const t = 1;
    const s2 = sigma0 * sigma0 + t;
    const a = tau2 / (tau2 + s2);
    const delta = 0.4;
    const sig = Math.sqrt(s2);
    const cellB = (shift: number, cx: number) => {
      const B = new Float64Array(3 * m);
      // f = a·y = a·(σu + c) → constant a·c + shift, linear a·σ.
      B[0] = a * cx + shift;
      B[1 * m + 0] = a * sig;
      B[2 * m + 1] = a * sig;
      return B;
    };
    const lev: LevelState = {
      t,
      centers: Float64Array.of(-1, 0, 1, 0),
      degrees: Int32Array.of(1, 1),
      coefficients: [cellB(-delta / 2, -1), cellB(delta / 2, 1)],
      lower: new Float64Array(4).fill(-1e9),
      upper: new Float64Array(4).fill(1e9),
      mass: Float64Array.of(0.5, 0.5),
    };
    const est = estimateLevelError({
      level: lev,
      sigma0,
      feats,
      ws,
      evalSet,
      draws: 8,
      rng: createRng(31),
      outLower,
      outUpper,
    });
    const p0 = 1 / Math.sqrt(2 * Math.PI * (tau2 + s2));
    const expected = (delta * delta) / 4 - s2 * delta * p0;
    expect(Math.abs(est.mse - expected), `${est.mse} ± ${est.standardError} vs ${expected}`).toBeLessThan(
      3 * est.standardError,
    );
    // Without the boundary term the estimate would be ≈ δ²/4 = 0.04: far outside.
    expect(Math.abs(est.mse - (delta * delta) / 4)).toBeGreaterThan(5 * est.standardError);
  });

  test("a non-linear truth (two atoms): estimate = E|g|² − σ²E∇·g within 3 SE, with a calibrated SE", () => {
    // μ = ±(2, 0): f(y) = (2·tanh(2y₁/σ²), 0), ∇·f = (4/σ²)(1 − tanh²(2y₁/σ²)). f̂(y) = (b·y₁, 0), g = f̂ − f.
    // The expected value is computed by Monte Carlo on 400 000 points of p_t (its SE is added in quadrature).
    const t = 0.5;
    const s2 = sigma0 * sigma0 + t;
    const b = 0.6;
    const lev = level(t, [b, 0], [0, 0]);
    const r = createRng(21);
    const draw = (n: number) => {
      const out = new Float64Array(n * m);
      for (let i = 0; i < n; i++) {
        out[i * m] = (r.uniform() < 0.5 ? -2 : 2) + sigma0 * r.normal();
        out[i * m + 1] = sigma0 * r.normal();
      }
      return out;
    };
    const xs = draw(nE);
    const sp = new Float64Array(nE);
    for (let i = 0; i < nE; i++) sp[i] = (xs[2 * i] as number) ** 2 + (xs[2 * i + 1] as number) ** 2;
    const est = estimateLevelError({
      level: lev,
      sigma0,
      feats,
      ws,
      evalSet: { x: xs, rows: nE, spread: sp, spreadMean: 4 + 2 * sigma0 * sigma0 },
      draws: 4,
      rng: createRng(22),
      outLower,
      outUpper,
    });
    let s1 = 0;
    let sq = 0;
    const M = 400_000;
    const ys = draw(M);
    for (let i = 0; i < M; i++) {
      const y1 = (ys[2 * i] as number) + Math.sqrt(t) * r.normal();
      const th = Math.tanh((2 * y1) / s2);
      const g = b * y1 - 2 * th;
      const v = g * g - s2 * (b - (4 / s2) * (1 - th * th));
      s1 += v;
      sq += v * v;
    }
    const expected = s1 / M;
    const mcSe = Math.sqrt((sq / M - expected * expected) / M);
    expect(est.standardError).toBeGreaterThan(0);
    expect(Math.abs(est.mse - expected), `${est.mse} ± ${est.standardError} vs ${expected}`).toBeLessThan(
      3 * Math.hypot(est.standardError, mcSe),
    );
  });

  test("the control variates cut the standard error at small t (vs the plain held-out loss)", () => {
    // The plain loss |f̂ − z|² has sd ≈ (σ⁴/t)·√(2m) per row at small t; with the variates the residual is
    // O(σ²) — at t = 0.1 more than 10× smaller.
    const t = 0.1;
    const s2 = 1 + t;
    const est = estimateLevelError({
      level: level(t, tau2 / (tau2 + s2), [0, 0]),
      sigma0,
      feats,
      ws,
      evalSet,
      draws: 4,
      rng: createRng(9),
      outLower,
      outUpper,
    });
    const plainSe = (((s2 * s2) / t) * Math.sqrt(2 * m)) / Math.sqrt(nE * 4);
    expect(est.standardError).toBeLessThan(plainSe / 10);
  });
});
