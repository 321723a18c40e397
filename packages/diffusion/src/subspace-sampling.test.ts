/**
 * Sampling in a model's declared subspace (PAPER.md R8): the m kept coordinates are simulated, the complement
 * is drawn exactly. The Gaussian checks are exact (impulse noise, no Monte Carlo error); the rest are
 * deterministic byte comparisons.
 */
import { createPoints, createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { fitScore, type ScoreModel } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import { impulseRng } from "../test/impulse-rng.js";
import { gaussianModel } from "../test/models.js";
import type { Sampler } from "./sample-options.js";
import { type SamplerName, samplers } from "./samplers.js";
import type { SubspaceEvaluator } from "./subspace-model.js";

const entries = Object.entries(samplers) as [SamplerName, Sampler][];
const r2 = Math.SQRT1_2;
/** u = (1, 1, 0)/√2 and the model's mean. */
const U = Float64Array.of(r2, r2, 0);
const M = [0.5, -1, 2];
const VU = 4; // variance along u (≥ σ0² = 1); exactly σ0² in the complement, as a declared subspace promises

/** N(M, VU·uuᵀ + (I − uuᵀ)) in R³ with σ0 = 1, declaring span(u). */
function planeModel(declare = true): ScoreModel {
  const score = (y: Points, t: number, out: Points = createPoints(y.rows, 3)): Points => {
    for (let r = 0; r < y.rows; r++) {
      let a = 0;
      for (let c = 0; c < 3; c++) a += U[c]! * (y.data[r * 3 + c]! - M[c]!);
      for (let c = 0; c < 3; c++) {
        const d = y.data[r * 3 + c]! - M[c]!;
        const along = a * U[c]!;
        out.data[r * 3 + c] = -along / (VU + t) - (d - along) / (1 + t);
      }
    }
    return out;
  };
  return {
    dim: 3,
    sigma0: 1,
    mean: Float64Array.from(M),
    tMax: Number.POSITIVE_INFINITY,
    score,
    posteriorMean(y, t, out = createPoints(y.rows, 3)) {
      score(y, t, out);
      for (let i = 0; i < y.data.length; i++) out.data[i] = y.data[i]! + (1 + t) * out.data[i]!;
      return out;
    },
    ...(declare ? { subspace: { dim: 1, basis: U } } : {}),
  };
}

/**
 * Exact output mean and covariance of a linear sampler whose samples use `count` normal draws each: with
 * impulse noise, row i fires draw i, so `row_i − row_count` is the i-th column of the output's noise map.
 */
function exactCov(run: (n: number) => Float64Array, count: number, dim: number) {
  const out = run(count + 1);
  const b = out.subarray(count * dim, count * dim + dim);
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < dim; p++) {
      for (let q = 0; q < dim; q++) {
        cov[p * dim + q]! += (out[i * dim + p]! - b[p]!) * (out[i * dim + q]! - b[q]!);
      }
    }
  }
  return { mean: Array.from(b), cov };
}

const drawsPerStep = (name: SamplerName) => (name === "predictorCorrector" ? 2 : 1);
const quad = (cov: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) s += a[p]! * cov[p * 3 + q]! * b[q]!;
  return s;
};
const V1 = [r2, -r2, 0]; // the complement: v1 ⟂ u, e3
const E3 = [0, 0, 1];

describe.each(entries)("sampler %s on a model with a declared subspace", (name, s) => {
  const steps = 30;
  const tMax = 200;

  it("draws the complement exactly: N(mean, (σ0² + tMin)·I) there, and the kept coordinate as the reduced model", () => {
    const count = 1 + drawsPerStep(name) * steps + 2 * 3; // start + steps (m = 1 each) + complement (2 draws of n)
    const sub = exactCov((n) => s(planeModel(), { n, rng: impulseRng(), steps, tMax }).samples.data, count, 3);
    const tMin = 1e-3;
    for (let c = 0; c < 3; c++) expect(Math.abs(sub.mean[c]! - M[c]!)).toBeLessThan(1e-12);
    for (const v of [V1, E3]) expect(Math.abs(quad(sub.cov, v, v) - (1 + tMin))).toBeLessThan(1e-12);
    expect(Math.abs(quad(sub.cov, V1, E3))).toBeLessThan(1e-12);
    for (const v of [V1, E3]) expect(Math.abs(quad(sub.cov, v, U))).toBeLessThan(1e-12);
    // Along u: the same sampler on the 1-D model N(0, VU) with the same grid, to rounding.
    const oneD = exactCov(
      (n) => s(gaussianModel([0], [VU]), { n, rng: impulseRng(), steps, tMax }).samples.data,
      1 + drawsPerStep(name) * steps,
      1,
    );
    expect(Math.abs(quad(sub.cov, U, U) - oneD.cov[0]!)).toBeLessThan(1e-12 * VU);
  });

  it("a full simulation (simulateSubspace: false, or no declaration) carries the discretisation error there", () => {
    const count = 1 + drawsPerStep(name) * steps;
    const full = exactCov(
      (n) => s(planeModel(), { n, rng: impulseRng(), steps, tMax, simulateSubspace: false }).samples.data,
      count,
      3,
    );
    const undeclared = exactCov(
      (n) => s(planeModel(false), { n, rng: impulseRng(), steps, tMax }).samples.data,
      count,
      3,
    );
    expect(Array.from(full.cov)).toEqual(Array.from(undeclared.cov));
    // 30 steps over ln-range ≈ 5.3: first-order samplers are off by ≳ 1e-3 relative (see default-steps.ts).
    expect(Math.abs(quad(full.cov, E3, E3) / (1 + 1e-3) - 1)).toBeGreaterThan(1e-3);
  });
});

describe("a subspace that evaluates its own m coordinates (SubspaceEvaluator)", () => {
  /** planeModel whose subspace also gives h_t(w) = Uᵀ(f_t(mean + U w) − mean), and whose full methods count calls. */
  function planeWithEvaluator() {
    const base = planeModel();
    const calls = { full: 0, own: 0 };
    const h = (w: Points, t: number, out: Points = createPoints(w.rows, 1)): Points => {
      calls.own++;
      // N(0, VU) along u: f = mean + (σ0²/(VU + t))·… in VE time: h(w) = w·(1 − (1 + t)/(VU + t)).
      for (let r = 0; r < w.rows; r++) out.data[r] = w.data[r]! * (1 - (1 + t) / (VU + t));
      return out;
    };
    const model: ScoreModel = {
      ...base,
      score: (y, t, out) => {
        calls.full++;
        return base.score(y, t, out);
      },
      posteriorMean: (y, t, out) => {
        calls.full++;
        return base.posteriorMean(y, t, out);
      },
      subspace: { dim: 1, basis: U, posteriorMean: h } as SubspaceEvaluator & NonNullable<ScoreModel["subspace"]>,
    };
    return { model, calls };
  }

  it.each(entries)("%s uses it instead of lifting to R^n, with the same samples to rounding", (_name, s) => {
    const { model, calls } = planeWithEvaluator();
    const o = { n: 40, rng: createRng(3), steps: 25, tMax: 200, chunkSize: 16 };
    const own = s(model, o).samples.data;
    expect(calls.own).toBeGreaterThan(0);
    expect(calls.full).toBe(0);
    const generic = s(planeModel(), o).samples.data;
    for (let i = 0; i < own.length; i++)
      expect(Math.abs(own[i]! - generic[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(generic[i]!)));
  });
});

describe("subspace sampling of a learned model", () => {
  // Three clusters on a line in R³: the learner keeps m = 1 and declares it.
  const rng = createRng("sub-learned");
  const N = 1500;
  const x = createPoints(N, 3);
  const r = rng.stream("x");
  for (let i = 0; i < N; i++) {
    const c = (i % 3) - 1;
    x.data[i * 3] = 4 * c + r.normal();
    x.data[i * 3 + 1] = 2 * c + r.normal();
    x.data[i * 3 + 2] = r.normal();
  }
  const model = fitScore(x, { rng: rng.stream("fit"), sigma0: 1, levels: 8, noiseDraws: 2 });

  it("declares its subspace and samplers use it (simulatedDim), deterministically and batch-invariantly", () => {
    expect(model.subspace?.dim).toBe(model.subspaceDim);
    expect(model.subspaceDim).toBe(1);
    for (const [, s] of entries) {
      const o = { rng: createRng(5), steps: 12 };
      const a = s(model, { ...o, n: 30 });
      expect(a.simulatedDim).toBe(1);
      expect(s(model, { ...o, n: 30 }).samples.data).toEqual(a.samples.data);
      expect(s(model, { ...o, n: 30, chunkSize: 7 }).samples.data).toEqual(a.samples.data);
      expect(s(model, { ...o, n: 12, offset: 18, chunkSize: 5 }).samples.data).toEqual(a.samples.data.subarray(54));
      expect(s(model, { ...o, n: 30, simulateSubspace: false }).simulatedDim).toBe(3);
    }
  });

  it("trajectories end at the samples and recording them does not change the samples", () => {
    const o = { n: 9, rng: createRng(2), steps: 10, chunkSize: 4 };
    const plain = samplers.exponentialIntegrator(model, o);
    const r = samplers.exponentialIntegrator(model, { ...o, trajectoryEvery: 3 });
    expect(r.samples.data).toEqual(plain.samples.data);
    const pts = r.trajectory!.points;
    expect(pts.map((p) => p.rows)).toEqual([9, 9, 9, 9, 9]);
    expect(pts[pts.length - 1]!.data).toEqual(r.samples.data);
    expect(pts.every((p) => p.data.every(Number.isFinite))).toBe(true);
  });
});

describe("trajectory complement along a declared subspace", () => {
  it("has the forward marginal N(·, σ0² + t) at every recorded time (exact, impulse noise)", () => {
    const steps = 12;
    const every = 4;
    const recorded = [0, 4, 8, 12];
    const count = 1 + steps + 2 * 3 + (recorded.length - 1) * 3;
    const res = samplers.exponentialIntegrator(planeModel(), {
      n: count + 1,
      rng: impulseRng(),
      steps,
      tMax: 50,
      trajectoryEvery: every,
    });
    expect(res.trajectory!.steps).toEqual(recorded);
    for (let j = 0; j < recorded.length; j++) {
      const t = res.grid[recorded[j]!]!;
      const e = exactCov(() => res.trajectory!.points[j]!.data, count, 3);
      expect(Math.abs(quad(e.cov, E3, E3) - (1 + t))).toBeLessThan(1e-9 * (1 + t));
      expect(Math.abs(quad(e.cov, V1, V1) - (1 + t))).toBeLessThan(1e-9 * (1 + t));
      expect(Math.abs(quad(e.cov, V1, E3))).toBeLessThan(1e-9 * (1 + t));
    }
  });
});

describe("validation of a declared subspace", () => {
  const bad: [string, object][] = [
    ["a non-orthonormal basis", { dim: 1, basis: Float64Array.of(1, 1, 0) }],
    ["a basis of the wrong length", { dim: 2, basis: Float64Array.of(1, 0, 0) }],
    ["m = dim", { dim: 3, basis: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) }],
    ["a non-integer m", { dim: 0.5, basis: Float64Array.of(1, 0, 0) }],
  ];
  it.each(bad)("rejects %s with INVALID_INPUT naming model.subspace", (_label, sub) => {
    let err: unknown;
    try {
      samplers.exponentialIntegrator(
        { ...planeModel(), subspace: sub as ScoreModel["subspace"] },
        { n: 2, rng: createRng(1), steps: 3 },
      );
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "INVALID_INPUT"), String(err)).toBe(true);
    expect((err as { location: { path?: string } }).location.path).toMatch(/^model\.subspace/);
  });
});
