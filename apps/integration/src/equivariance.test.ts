// C2: scale-, shift- and rotation-equivariance of the LEARNED fit (fitScore).
//
// Why exact equality (to rounding) is expected: fitScore centres the data (b cancels), every default is
// relative to σ0² or to the data (tMax = max(10σ0², 20·S), tMin = 1e-3σ0², tFloor = 0.05σ0², r0 = σ0, the
// noise edge σ0²(1 + √(n/N))², the theory preset's T, t1 in units of σ0²), the regression features are
// standardised `(y − c)/σ`, the ridges are relative to the Gram diagonal and the held-out choices compare
// losses that all scale by a². The noise ξ is drawn in the PCA coordinates from the same seeded streams, so
// fitting a·X + b with σ0 → a·σ0 reproduces the same computation with every length multiplied by a; only
// the roundings of the affine map differ. A single flipped Voronoi assignment, degree or ridge choice, or a
// default that is not scale-relative, changes f̂ by O(1)·a (a non-relative default in the theory preset
// did: 1.5e-2·a before the fix), far above the rounding tolerance used here.
//
// Rotations: the PCA basis is only defined up to the sign of each eigenvector; symmetricEigen fixes it by
// making the largest-magnitude component positive, a coordinate convention that a rotation Q preserves for
// some Q (coordinate permutations, small angles) and not for others (reflections, most large angles). When
// it is preserved, the fit of Q·X is exactly Q·(fit of X). When a basis vector flips, the projected data
// flip sign along it while the noise drawn in those coordinates does not, so the fit uses a different
// (equally distributed) noise realisation: equivariant in distribution only, and its posterior means
// differ from Q·f̂ by the fit's seed-to-seed variability (≈ 0.1–0.8 here with 8 levels). Not asserted.
import { createRng, type Points } from "@mixdiff/core";
import { fitScore, type LearnedScoreModel, principalSubspace, theoryConstants } from "@mixdiff/score";
import { describe, expect, it } from "vitest";

const N = 3000;
const rng = createRng(5);
/** 3-component 2-D mixture (σ0 = 1) with distinct covariance eigenvalues (a well-defined PCA basis). */
const means2 = [
  [-4, 0],
  [4, 1],
  [0, 5],
];
const X2: Points = {
  data: Float64Array.from({ length: N * 2 }, (_, k) => means2[Math.floor(k / 2) % 3]![k % 2]! + rng.normal()),
  rows: N,
  cols: 2,
};
/** The same means in a plane of R³ (third coordinate pure noise): projection "auto" keeps m = 2 < n = 3. */
const X3: Points = {
  data: Float64Array.from({ length: N * 3 }, (_, k) => {
    const i = Math.floor(k / 3);
    const j = k % 3;
    return (j < 2 ? means2[i % 3]![j]! : 0) + rng.normal();
  }),
  rows: N,
  cols: 3,
};
/** Few levels and draws: the property is pathwise, not statistical, so a crude fit tests it as well. */
const FAST = { levels: 8, noiseDraws: 4 } as const;
const TS = [0.01, 0.1, 1, 10, 100];

/** Row-wise `a·Q·y + b` (Q row-major n×n, identity when omitted). */
function affine(p: Points, a: number, b: number[], Q?: number[]): Points {
  const n = p.cols;
  const out = new Float64Array(p.data.length);
  for (let i = 0; i < p.rows; i++)
    for (let r = 0; r < n; r++) {
      let v = 0;
      for (let c = 0; c < n; c++) v += (Q ? Q[r * n + c]! : r === c ? 1 : 0) * p.data[i * n + c]!;
      out[i * n + r] = a * v + b[r]!;
    }
  return { data: out, rows: p.rows, cols: n };
}

/** Query points: data rows (cluster centres, tails) and points between the clusters. */
function queries(x: Points): Points {
  const rows = 12;
  return { data: x.data.slice(0, rows * x.cols), rows, cols: x.cols };
}

/**
 * max over t ∈ TS and the query points of |f̂₁(a·Q·y + b, a²t) − (a·Q·f̂₀(y, t) + b)|, and the scale it is
 * compared with: a·(largest |coordinate| of the query points and f̂₀) + |b|∞ — each double rounding of the
 * affine map is ~1e-16 of that.
 */
function discrepancy(m0: LearnedScoreModel, m1: LearnedScoreModel, y: Points, a: number, b: number[], Q?: number[]) {
  const y1 = affine(y, a, b, Q);
  let worst = 0;
  let scale = 0;
  for (const t of TS) {
    const f0 = m0.posteriorMean(y, t);
    const expected = affine(f0, a, b, Q).data;
    const got = m1.posteriorMean(y1, a * a * t).data;
    for (let k = 0; k < got.length; k++) {
      expect(Number.isFinite(got[k])).toBe(true);
      worst = Math.max(worst, Math.abs(got[k]! - expected[k]!));
      scale = Math.max(scale, Math.abs(f0.data[k]!), Math.abs(y.data[k]!));
    }
  }
  return { worst, scale: a * scale + Math.max(...b.map(Math.abs)) };
}

/**
 * The fitted levels of m1 are those of m0 with t scaled by a², the same cells, degrees and ridges, and the
 * same (dimensionless) klTerm. Centring a·X + b loses a relative 1e-16·|b|/a of the data's precision, and
 * klTerm is a difference of nearly cancelling held-out terms, so its tolerance grows with |b|/a. klTerm also
 * depends on the atoms' EM, stopped when the mean log-likelihood gains less than 1e-9 per step: a rounding can
 * stop it a step earlier or later, which moves klTerm by up to ~1e-8 of its value — hence 1e-7 relative here.
 */
function expectSameLevels(m0: LearnedScoreModel, m1: LearnedScoreModel, a: number, b: number[] = [0]) {
  const l0 = m0.diagnostics.levels;
  const l1 = m1.diagnostics.levels;
  expect(l1.length).toBe(l0.length);
  l0.forEach((L, i) => {
    const M = l1[i]!;
    expect(Math.abs(M.t - a * a * L.t)).toBeLessThanOrEqual(1e-12 * a * a * L.t);
    expect([M.cells, M.degree]).toEqual([L.cells, L.degree]);
    // the ridge is a candidate of a fixed grid (practical) or the ball constraint's bisection (paper), whose end
    // point moves by rounding only
    expect(Math.abs(M.ridge - L.ridge)).toBeLessThanOrEqual(1e-9 * Math.max(1e-300, L.ridge));
  });
  expect(m1.diagnostics.subspaceDim).toBe(m0.diagnostics.subspaceDim);
  // klTerm = Σ ln(σ²ratio)/σ² · E|f̂ − f|² is dimensionless.
  expect(Math.abs(m1.diagnostics.klTerm - m0.diagnostics.klTerm)).toBeLessThanOrEqual(
    1e-7 * (1 + Math.max(...b.map(Math.abs)) / a) * Math.max(1e-12, m0.diagnostics.klTerm),
  );
}

// Tolerance 1e-9 of the scale: the roundings (~1e-16 relative per operation) pass through a few thousand
// operations and ridge systems whose Jacobi-scaled condition numbers stay ≪ 1e6; observed ≤ 2e-14 (b = 0)
// and ≤ 3e-16 of |b| (b ≫ a). A flipped discrete choice would show up as ≥ 1e-3 of the scale.
const TOL = 1e-9;

describe("scale- and shift-equivariance of the learned fit (C2)", () => {
  const cases: [string, Points, number, number[], Record<string, number>][] = [
    ["2-D, a = 3.7, b = (12.5, −7)", X2, 3.7, [12.5, -7], {}],
    ["2-D, a = 1e4, b = (5e5, −2e5)", X2, 1e4, [5e5, -2e5], {}],
    ["2-D, a = 1e-3, b = (500, 1000) (|b| ≫ a)", X2, 1e-3, [500, 1000], {}],
    ["2-D, a = 2.5 with k = 3 and r0 = 1.5 (r0 scaled too)", X2, 2.5, [-1, 3], { k: 3, r0: 1.5 }],
    ["3-D data on a plane (m = 2 < n), a = 0.3, b = (1, 2, 3)", X3, 0.3, [1, 2, 3], {}],
  ];
  it.each(cases)("posterior mean of a·X + b (σ0 = a) is a·f̂(y, t) + b at a·y + b, a²t: %s", (_l, X, a, b, extra) => {
    const m0 = fitScore(X, { rng: createRng(9), ...FAST, ...extra });
    const scaled = { ...extra, ...(extra.r0 === undefined ? {} : { r0: a * extra.r0 }) };
    const m1 = fitScore(affine(X, a, b), { rng: createRng(9), sigma0: a, ...FAST, ...scaled });
    if (X === X3) expect(m0.diagnostics.subspaceDim).toBe(2);
    expectSameLevels(m0, m1, a, b);
    const { worst, scale } = discrepancy(m0, m1, queries(X), a, b);
    expect(worst).toBeLessThanOrEqual(TOL * scale);
  });

  it("the theory preset's constants are scale-relative (T, t1 scale by a²; κ, Nstep, d, k' do not change)", () => {
    const base = { epsilon: 0.1, n: 2, m2: 20, r0: 1.5, sigma0: 1, k: 3, alphaMin: 0.2 };
    // The paper's σ0 = 1 values (PAPER.md §5: T ≈ 2200, t1 ≈ 3.5e-3 for n = 2, M2 = 20, ε = 0.1).
    const c0 = theoryConstants(base);
    expect(c0.tMax).toBeCloseTo(2200, 9);
    expect(c0.tMin).toBeCloseTo(0.01 / (2 * Math.SQRT2), 12);
    for (const a of [0.01, 3.7, 1e3]) {
      const c1 = theoryConstants({ ...base, m2: a * a * base.m2, r0: a * base.r0, sigma0: a });
      expect(Math.abs(c1.tMax - a * a * c0.tMax)).toBeLessThanOrEqual(1e-12 * a * a * c0.tMax);
      expect(Math.abs(c1.tMin - a * a * c0.tMin)).toBeLessThanOrEqual(1e-12 * a * a * c0.tMin);
      expect(Math.abs(c1.kappa - c0.kappa)).toBeLessThanOrEqual(1e-12 * c0.kappa);
      expect([c1.nSteps, c1.degree, c1.maxCenters]).toEqual([c0.nSteps, c0.degree, c0.maxCenters]);
    }
  });

  it("the theory preset's fit is scale-equivariant too", () => {
    const o = { ...FAST, preset: "theory", degree: 3 } as const;
    const a = 3.7;
    const b = [12.5, -7];
    const m0 = fitScore(X2, { rng: createRng(9), ...o });
    const m1 = fitScore(affine(X2, a, b), { rng: createRng(9), sigma0: a, ...o });
    expectSameLevels(m0, m1, a, b);
    const { worst, scale } = discrepancy(m0, m1, queries(X2), a, b);
    expect(worst).toBeLessThanOrEqual(TOL * scale);
  });
});

describe("rotation-equivariance of the learned fit (C2)", () => {
  const rot = (th: number) => [Math.cos(th), -Math.sin(th), Math.sin(th), Math.cos(th)];
  /** True when the PCA basis of Q·X is Q times the basis of X, column by column, signs included. */
  const basisFollows = (Q: number[]) => {
    const s0 = principalSubspace(X2, 1, "auto");
    const s1 = principalSubspace(affine(X2, 1, [0, 0], Q), 1, "auto");
    const m = s0.dim;
    let dev = 0;
    for (let k = 0; k < m; k++)
      for (let r = 0; r < 2; r++) {
        let v = 0;
        for (let c = 0; c < 2; c++) v += Q[r * 2 + c]! * s0.basis[c * m + k]!;
        dev = Math.max(dev, Math.abs(v - s1.basis[r * m + k]!));
      }
    return dev < 1e-9;
  };
  const rotations: [string, number[]][] = [
    ["rotation by 0.1 rad", rot(0.1)],
    ["rotation by 0.3 rad", rot(0.3)],
    ["coordinate swap", [0, 1, 1, 0]],
    ["rotation by 0.7 rad", rot(0.7)],
    ["reflection diag(1, −1)", [1, 0, 0, -1]],
  ];

  it("the sign convention of the PCA basis follows some rotations and not others (both kinds are tested)", () => {
    const follows = rotations.map(([, Q]) => basisFollows(Q));
    expect(follows).toEqual([true, true, true, false, false]);
  });

  it.each(rotations.filter(([, Q]) => basisFollows(Q)))(
    "when the PCA basis follows Q, the fit of Q·X has posterior mean Q·f̂(y, t) at Q·y: %s",
    (_l, Q) => {
      const m0 = fitScore(X2, { rng: createRng(9), ...FAST });
      const m1 = fitScore(affine(X2, 1, [0, 0], Q), { rng: createRng(9), ...FAST });
      expectSameLevels(m0, m1, 1);
      const { worst, scale } = discrepancy(m0, m1, queries(X2), 1, [0, 0], Q);
      expect(worst).toBeLessThanOrEqual(TOL * scale);
    },
  );
});
