import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDistribution } from "../create-distribution.js";

describe("atoms vs a naive evaluation of the Gaussian-mixture density", () => {
  // Property test: for random mixtures and points not too far from them (so the naive Σ w φ does not underflow),
  // the log-sum-exp oracle equals ln Σ_i w_i N(y; μ_i, s2 I) and E[μ|y] = Σ_i π_i μ_i computed directly.
  it("agrees to 1e-12 on random mixtures (fast-check, 200 runs, fixed seed)", () => {
    const coord = fc.double({ min: -5, max: 5, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((dim) =>
          fc.record({
            dim: fc.constant(dim),
            points: fc.array(fc.array(coord, { minLength: dim, maxLength: dim }), { minLength: 1, maxLength: 5 }),
            y: fc.array(coord, { minLength: dim, maxLength: dim }),
            raw: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
            noiseStd: fc.double({ min: 0.5, max: 2, noNaN: true }),
            t: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
        ),
        ({ dim, points, y, raw, noiseStd, t }) => {
          const w = raw.slice(0, points.length);
          const sum = w.reduce((a, b) => a + b, 0);
          const weights = w.map((v) => v / sum);
          const p = createDistribution({ dim, noiseStd, mixing: { kind: "atoms", points, weights } });
          const s2 = noiseStd * noiseStd + t;
          let dens = 0;
          const m = new Array<number>(dim).fill(0);
          points.forEach((mu, i) => {
            const d2 = mu.reduce((a, v, d) => a + (v - y[d]!) ** 2, 0);
            const f = weights[i]! * Math.exp(-d2 / (2 * s2)) * (2 * Math.PI * s2) ** (-dim / 2);
            dens += f;
            mu.forEach((v, d) => {
              m[d] = m[d]! + f * v;
            });
          });
          const lp = p.logDensity([y], t)[0]!;
          expect(Math.abs(lp - Math.log(dens))).toBeLessThan(1e-12 * Math.max(1, Math.abs(lp)));
          const pm = p.posteriorMean([y], t).data;
          for (let d = 0; d < dim; d++) expect(Math.abs(pm[d]! - m[d]! / dens)).toBeLessThan(1e-12 * 5);
        },
      ),
      { numRuns: 200, seed: 20250101 },
    );
  });
  it("is exact at a far point where the naive sum underflows", () => {
    const p = createDistribution({
      dim: 1,
      noiseStd: 1,
      mixing: { kind: "atoms", points: [[0], [1]], weights: [0.5, 0.5] },
    });
    // ln(½φ(y) + ½φ(y−1)) = −y²/2 − ½ln 2π + ln((1 + e^{y−½})/2): at y = 100 the naive sum is 0
    const y = 100;
    const want = -(y * y) / 2 - 0.5 * Math.log(2 * Math.PI) + (y - 0.5) + Math.log1p(Math.exp(-(y - 0.5))) - Math.LN2;
    expect(p.logDensity([[y]])[0]).toBeCloseTo(want, 10);
    expect(p.posteriorMean([[y]]).data[0]).toBeCloseTo(1, 14);
  });
});
