import { createRng, row } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import circle2d from "../../../test-fixtures/eval/cases/circle2d.json";
import disks2d from "../../../test-fixtures/eval/cases/disks2d.json";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm2dOverlap from "../../../test-fixtures/eval/cases/gmm2d-overlap.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import polyline2d from "../../../test-fixtures/eval/cases/polyline2d.json";
import { createDistribution } from "./create-distribution.js";
import { gaussLegendre } from "./gauss-legendre.js";
import type { DistributionSpec } from "./mixing-distribution.js";

const s = Math.SQRT1_2;
const sphere4: DistributionSpec = {
  name: "sphere2-in-R4",
  dim: 4,
  noiseStd: 0.7,
  mixing: {
    kind: "sphere",
    center: [1, 0, -1, 0.5],
    radius: 2,
    axes: [
      [s, s, 0, 0],
      [0, 0, 1, 0],
      [s, -s, 0, 0],
    ],
  },
};
const balls3: DistributionSpec = {
  dim: 3,
  noiseStd: 0.5,
  mixing: {
    kind: "balls",
    centers: [
      [0, 0, 0],
      [3, 1, 0],
    ],
    radius: 1.2,
    weights: [0.3, 0.7],
  },
};
const eye = (n: number): number[][] =>
  Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, d) => (a === d ? 1 : 0)));
// high-dimensional shells exercise large Bessel orders (ν = 14, 9) and the ρ^{n−1} drift of the radial rule
const sphere30: DistributionSpec = {
  dim: 30,
  noiseStd: 0.5,
  mixing: { kind: "sphere", center: Array(30).fill(0.1), radius: 4, axes: eye(30) },
};
const balls20: DistributionSpec = {
  dim: 20,
  noiseStd: 0.3,
  mixing: { kind: "balls", centers: [Array(20).fill(0), Array(20).fill(1)], radius: 3, weights: [0.5, 0.5] },
};
const ALL: [string, unknown][] = [
  ["gmm2d", gmm2d],
  ["gmm2d-overlap", gmm2dOverlap],
  ["gmm10d", gmm10d],
  ["circle2d", circle2d],
  ["polyline2d", polyline2d],
  ["disks2d", disks2d],
  ["sphere4", sphere4],
  ["balls3", balls3],
  ["sphere30", sphere30],
  ["balls20", balls20],
];

describe.each(ALL)("%s", (_name, spec) => {
  const p = createDistribution(spec);
  const n = p.dim;

  it("score = ∇ ln p_t by central finite differences (h = 1e-5) at random points and times", () => {
    const rng = createRng(101);
    for (const t of [0, 0.05, 1, 9]) {
      for (let trial = 0; trial < 4; trial++) {
        const y = Array.from({ length: n }, () => 6 * rng.normal());
        const sc = p.score([y], t).data;
        const h = 1e-5;
        for (let d = 0; d < n; d++) {
          const yp = [...y];
          const ym = [...y];
          yp[d] = yp[d]! + h;
          ym[d] = ym[d]! - h;
          const fd = (p.logDensity([yp], t)[0]! - p.logDensity([ym], t)[0]!) / (2 * h);
          // error budget: O(h²·|∂³ln p|) + rounding ≈ 1e-16·|ln p|/h ≤ ~1e-8 here
          expect(Math.abs(fd - sc[d]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(sc[d]!)));
        }
      }
    }
  });

  it("is finite far away (y = 1e3·𝟙) and at t → 0, including a tiny noiseStd", () => {
    const far = [Array(n).fill(1e3), Array(n).fill(-30)];
    for (const t of [0, 1e-300, 1e6]) {
      for (const v of p.logDensity(far, t)) expect(Number.isFinite(v)).toBe(true);
      for (const v of p.score(far, t).data) expect(Number.isFinite(v)).toBe(true);
    }
    const sharp = createDistribution({ ...p.toSpec(), noiseStd: 1e-3 });
    const pts = sharp.sample(5, createRng(1)).x;
    for (const v of sharp.logDensity(pts, 0)) expect(Number.isFinite(v)).toBe(true);
    for (const v of sharp.posteriorMean(pts, 0).data) expect(Number.isFinite(v)).toBe(true);
  });

  it("sampling matches E[X] and E|X|² = E|μ|² + n σ0² within 4.5 standard errors", () => {
    // per-assertion false-failure rate ≤ 7e-6 (|Z| > 4.5), SEs from the sample itself (n = 20 000)
    const N = 20_000;
    const { x } = p.sample(N, createRng(202));
    const mean = p.mean();
    const sq = new Float64Array(N);
    for (let d = 0; d < n; d++) {
      let m = 0;
      let m2 = 0;
      for (let i = 0; i < N; i++) {
        const v = x.data[i * n + d]!;
        m += v;
        m2 += v * v;
      }
      m /= N;
      const se = Math.sqrt((m2 / N - m * m) / N);
      expect(Math.abs(m - mean[d]!)).toBeLessThan(4.5 * se);
    }
    for (let i = 0; i < N; i++) {
      let r2 = 0;
      for (let d = 0; d < n; d++) r2 += x.data[i * n + d]! ** 2;
      sq[i] = r2;
    }
    const m = sq.reduce((a, b) => a + b, 0) / N;
    const v = sq.reduce((a, b) => a + (b - m) ** 2, 0) / (N - 1);
    const want = p.mixing.secondMoment() + n * p.noiseStd ** 2;
    expect(Math.abs(m - want)).toBeLessThan(4.5 * Math.sqrt(v / N));
  });

  it("latent μ lies in the support; samples are prefix-stable and seed-reproducible", () => {
    const a = p.sample(50, createRng(9), { latent: true });
    const b = p.sample(10, createRng(9), { latent: true });
    expect(Array.from(b.x.data)).toEqual(Array.from(a.x.data.subarray(0, 10 * n)));
    expect(Array.from(b.labels as Int32Array)).toEqual(Array.from((a.labels as Int32Array).subarray(0, 10)));
    const R = p.mixing.supportRadius();
    for (let i = 0; i < 50; i++) {
      const mu = row(a.mu as never, i);
      let r2 = 0;
      for (let d = 0; d < n; d++) r2 += mu[d]! ** 2;
      expect(Math.sqrt(r2)).toBeLessThanOrEqual(R * (1 + 1e-12));
    }
    expect(p.sample(3, createRng(10)).x.data).not.toEqual(p.sample(3, createRng(9)).x.data);
    expect(createDistribution(p.toSpec()).toSpec()).toEqual(p.toSpec());
  });
});

describe("component masses", () => {
  // labels ~ Multinomial(N, w): 4.5 SE bound, false-failure ≤ 7e-6 per component.
  it.each([
    ["gmm2d", gmm2d, [0.4, 0.35, 0.25]],
    ["gmm10d", gmm10d, [0.4, 0.3, 0.2, 0.1]],
    ["disks2d", disks2d, [0.5, 0.5]],
    // polyline2d: two segments of equal length √85 → masses ½, ½
    ["polyline2d", polyline2d, [0.5, 0.5]],
  ] as const)("%s labels have the mixing weights", (_n, spec, w) => {
    const N = 20_000;
    const { labels } = createDistribution(spec).sample(N, createRng(303), { latent: true });
    for (let j = 0; j < w.length; j++) {
      const count = (labels as Int32Array).filter((l) => l === j).length;
      const wj = w[j]!;
      expect(Math.abs(count / N - wj)).toBeLessThan(4.5 * Math.sqrt((wj * (1 - wj)) / N));
    }
  });
  it("circle and sphere latents lie exactly on the sphere", () => {
    const { mu } = createDistribution(sphere4).sample(200, createRng(4), { latent: true });
    const c = [1, 0, -1, 0.5];
    for (let i = 0; i < 200; i++) {
      const m = row(mu as never, i);
      let r2 = 0;
      for (let d = 0; d < 4; d++) r2 += (m[d]! - c[d]!) ** 2;
      expect(Math.sqrt(r2)).toBeCloseTo(2, 12);
      expect(m[3]).toBeCloseTo(0.5, 12); // the 4th coordinate is outside span(axes)
    }
  });
});

describe("independent cross-checks of the continuous families", () => {
  const ys = [[0.3], [1.7], [-4], [25], [0.5], [3.5]];
  it("a 0-sphere (two points) equals an atoms mixture", () => {
    const sph = createDistribution({
      dim: 2,
      noiseStd: 0.8,
      mixing: { kind: "sphere", center: [1, 1], radius: 3, axes: [[0.6, 0.8]] },
    });
    const at = createDistribution({
      dim: 2,
      noiseStd: 0.8,
      mixing: {
        kind: "atoms",
        points: [
          [2.8, 3.4],
          [-0.8, -1.4],
        ],
      },
    });
    const pts = [
      [0, 0],
      [2, 3],
      [-5, 7],
      [40, -3],
    ];
    for (const t of [0, 0.3, 10]) {
      const a = sph.logDensity(pts, t);
      const b = at.logDensity(pts, t);
      for (let i = 0; i < pts.length; i++)
        expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(b[i]!)));
      const pa = sph.posteriorMean(pts, t).data;
      const pb = at.posteriorMean(pts, t).data;
      for (let i = 0; i < pa.length; i++) expect(pa[i]).toBeCloseTo(pb[i]!, 11);
    }
  });
  it("a circle embedded in R³ factorises as circle × Gaussian", () => {
    const emb = createDistribution({
      dim: 3,
      noiseStd: 1,
      mixing: {
        kind: "sphere",
        center: [0, 0, 0],
        radius: 5,
        axes: [
          [1, 0, 0],
          [0, 1, 0],
        ],
      },
    });
    const c = createDistribution(circle2d);
    for (const t of [0, 2]) {
      const s2 = 1 + t;
      for (const y of [
        [1, 2, 0.5],
        [6, -1, -3],
      ]) {
        const want = c.logDensity([[y[0]!, y[1]!]], t)[0]! - 0.5 * Math.log(2 * Math.PI * s2) - y[2]! ** 2 / (2 * s2);
        expect(emb.logDensity([y], t)[0]).toBeCloseTo(want, 12);
      }
    }
  });
  it.each([0.3, 1e-3])("a 1-D ball equals a one-segment polyline (noiseStd %d)", (noiseStd) => {
    const b = createDistribution({ dim: 1, noiseStd, mixing: { kind: "balls", centers: [[2]], radius: 1.5 } });
    const l = createDistribution({ dim: 1, noiseStd, mixing: { kind: "polyline", points: [[0.5], [3.5]] } });
    for (const t of [0, 0.1, 4]) {
      const a = b.logDensity(ys, t);
      const c = l.logDensity(ys, t);
      for (let i = 0; i < ys.length; i++)
        expect(Math.abs(a[i]! - c[i]!)).toBeLessThan(1e-11 * Math.max(1, Math.abs(c[i]!)));
      const pa = b.posteriorMean(ys, t).data;
      const pc = l.posteriorMean(ys, t).data;
      for (let i = 0; i < ys.length; i++) expect(Math.abs(pa[i]! - pc[i]!)).toBeLessThan(1e-11);
    }
  });
  it("a 2-sphere in R³ matches direct Gauss–Legendre quadrature over (cos θ, φ) (80² nodes)", () => {
    const c = [0.5, -1, 2];
    const R = 1.7;
    const p = createDistribution({
      dim: 3,
      noiseStd: 0.6,
      mixing: {
        kind: "sphere",
        center: c,
        radius: R,
        axes: [
          [0, 0, 1],
          [1, 0, 0],
          [0, 1, 0],
        ],
      },
    });
    const { nodes, weights } = gaussLegendre(80);
    for (const [y, t] of [
      [[0.5, -1, 2], 0],
      [[2, 0, 2.5], 0.3],
      [[-1, -2, 1], 1],
    ] as [number[], number][]) {
      const s2 = 0.36 + t;
      let tot = 0;
      const m = [0, 0, 0];
      for (let a = 0; a < 80; a++) {
        const ct = nodes[a]!;
        const st = Math.sqrt(1 - ct * ct);
        for (let b = 0; b < 80; b++) {
          const ph = Math.PI * (1 + nodes[b]!);
          const mu = [c[0]! + R * st * Math.cos(ph), c[1]! + R * st * Math.sin(ph), c[2]! + R * ct];
          const d2 = (y[0]! - mu[0]!) ** 2 + (y[1]! - mu[1]!) ** 2 + (y[2]! - mu[2]!) ** 2;
          // uniform measure on the sphere: d(cos θ) dφ / (4π); φ-rule has Jacobian π
          const w = (weights[a]! * weights[b]! * Math.PI * Math.exp(-d2 / (2 * s2))) / (4 * Math.PI);
          tot += w;
          for (let d = 0; d < 3; d++) m[d] = m[d]! + w * mu[d]!;
        }
      }
      const lp = Math.log(tot) - 1.5 * Math.log(2 * Math.PI * s2);
      expect(Math.abs(p.logDensity([y], t)[0]! - lp)).toBeLessThan(1e-10);
      const got = p.posteriorMean([y], t).data;
      for (let d = 0; d < 3; d++) expect(Math.abs(got[d]! - m[d]! / tot)).toBeLessThan(1e-10);
    }
  });
  it("a 3-D ball matches direct spherical-coordinate Gauss–Legendre quadrature (60³ nodes)", () => {
    const p = createDistribution(balls3);
    const { nodes, weights } = gaussLegendre(60);
    const brute = (y: number[], s2: number): [number, number[]] => {
      // Σ_j w_j ∫_ball φ_{s2}(y − c_j − x) dx / vol; also ∫ μ (...) for the posterior mean
      const mix = balls3.mixing as { centers: number[][]; radius: number; weights: number[] };
      const r = mix.radius;
      const vol = (4 / 3) * Math.PI * r ** 3;
      let tot = 0;
      const m = [0, 0, 0];
      mix.centers.forEach((c, j) => {
        for (let a = 0; a < 60; a++) {
          const rho = (r / 2) * (1 + nodes[a]!);
          for (let b = 0; b < 60; b++) {
            const ct = nodes[b]!;
            const st = Math.sqrt(1 - ct * ct);
            for (let e = 0; e < 60; e++) {
              const ph = Math.PI * (1 + nodes[e]!);
              const mu = [c[0]! + rho * st * Math.cos(ph), c[1]! + rho * st * Math.sin(ph), c[2]! + rho * ct];
              const d2 = (y[0]! - mu[0]!) ** 2 + (y[1]! - mu[1]!) ** 2 + (y[2]! - mu[2]!) ** 2;
              const w =
                mix.weights[j]! *
                weights[a]! *
                weights[b]! *
                weights[e]! *
                (r / 2) *
                Math.PI *
                rho *
                rho *
                Math.exp(-d2 / (2 * s2));
              tot += w;
              for (let d = 0; d < 3; d++) m[d] = m[d]! + w * mu[d]!;
            }
          }
        }
      });
      return [Math.log(tot / vol) - 1.5 * Math.log(2 * Math.PI * s2), m.map((v) => v / tot)];
    };
    for (const [y, t] of [
      [[0.5, 0.2, -0.3], 0],
      [[2, 2, 1], 0.5],
      [[-3, 0, 2], 2],
    ] as [number[], number][]) {
      const [lp, pm] = brute(y, 0.25 + t);
      expect(Math.abs(p.logDensity([y], t)[0]! - lp)).toBeLessThan(1e-9);
      const got = p.posteriorMean([y], t).data;
      for (let d = 0; d < 3; d++) expect(Math.abs(got[d]! - pm[d]!)).toBeLessThan(1e-9);
    }
  });
});

describe("input validation", () => {
  const p = createDistribution(gmm2d);
  it.each([
    [() => p.logDensity([[1, 2, 3]]), "DIMENSION_MISMATCH"],
    [() => p.score([[1, Number.NaN]]), "NON_FINITE_INPUT"],
    [() => p.posteriorMean([[1, 2]], -1), "INVALID_OPTION"],
    [() => p.score([[1, 2]], Number.POSITIVE_INFINITY), "INVALID_OPTION"],
    [() => p.sample(-1, createRng(1)), "INVALID_OPTION"],
    [() => p.sample(2, undefined as never), "INVALID_OPTION"],
    [() => p.score([[1, 2]], 0, { data: new Float64Array(4), rows: 2, cols: 2 }), "DIMENSION_MISMATCH"],
  ])("throws a MixdiffError (%#)", (f, code) => {
    expect(f).toThrow(expect.objectContaining({ name: "MixdiffError", code }));
  });
  it.each(ALL)("%s: out may alias y", (_n, spec) => {
    const q = createDistribution(spec);
    const { x } = q.sample(4, createRng(5));
    const pm = q.posteriorMean(x, 0.2).data.slice();
    const sc = q.score(x, 0.2).data.slice();
    const a = { data: x.data.slice(), rows: x.rows, cols: x.cols };
    const b = { data: x.data.slice(), rows: x.rows, cols: x.cols };
    expect(Array.from(q.posteriorMean(a, 0.2, a).data)).toEqual(Array.from(pm));
    expect(Array.from(q.score(b, 0.2, b).data)).toEqual(Array.from(sc));
  });
  it("sample(1e10) is RESOURCE_LIMIT naming n and the estimate before allocating, never a V8 RangeError (issue 18)", () => {
    for (const n of [1e10, 2 ** 40]) {
      let err: unknown;
      try {
        p.sample(n, createRng(1));
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ name: "MixdiffError", code: "RESOURCE_LIMIT" });
      expect((err as Error).message).toMatch(
        /^sample: n × dim = \d+ × 2 values need [\d.]+ [GT]?B, above the 2\.15 GB limit/,
      );
      expect((err as Error).message).toMatch(/offset/);
    }
  });
  it.each(ALL)("%s: pieces drawn with offset concatenate to one draw, byte for byte", (_n, spec) => {
    const q = createDistribution(spec);
    const whole = q.sample(23, createRng(8), { latent: true });
    const parts = [0, 7, 8, 20].map((o, k, a) =>
      q.sample((a[k + 1] ?? 23) - o, createRng(8), { latent: true, offset: o }),
    );
    const cat = (f: (r: (typeof parts)[number]) => ArrayLike<number>) => parts.flatMap((r) => Array.from(f(r)));
    expect(cat((r) => r.x.data)).toEqual(Array.from(whole.x.data));
    expect(cat((r) => r.mu!.data)).toEqual(Array.from(whole.mu!.data));
    expect(cat((r) => r.labels!)).toEqual(Array.from(whole.labels!));
    expect(Array.from(q.sample(23, createRng(8)).x.data)).toEqual(Array.from(whole.x.data));
    expect(() => q.sample(2, createRng(8), { offset: -1 })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION" }),
    );
  });
  it("a point too far out for double precision is NUMERICAL_FAILURE naming the row, never a silent NaN", () => {
    const y = [
      [0, 0],
      [1e200, 0],
    ];
    for (const f of [() => p.logDensity(y, 1), () => p.score(y, 1), () => p.posteriorMean(y, 1)]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ name: "MixdiffError", code: "NUMERICAL_FAILURE", location: { row: 1 } });
      expect((err as Error).message).toMatch(/row 1.*too far out/);
    }
  });
  it("writes into out when given", () => {
    const out = { data: new Float64Array(2), rows: 1, cols: 2 };
    expect(p.score([[1, 2]], 0.5, out)).toBe(out);
    expect(Array.from(out.data)).toEqual(Array.from(p.score([[1, 2]], 0.5).data));
  });
});
