import { createRng, isMixdiffError, type Points, pointsFrom } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { Matrix, QrDecomposition } from "ml-matrix";
import { describe, expect, test } from "vitest";
import { BASIS_KINDS } from "./bases.js";
import { divergencePolynomial } from "./divergence-polynomial.js";
import { featureCount } from "./feature-count.js";
import { fitPolynomial } from "./fit-polynomial.js";
import { jacobianPolynomial } from "./jacobian-polynomial.js";
import { polynomialFromJSON } from "./polynomial-from-json.js";
import { predictPolynomial } from "./predict-polynomial.js";

function randomPoints(n: number, m: number, seed: string, spread = 1): Points {
  const data = new Float64Array(n * m);
  createRng(seed).fillNormal(data);
  for (let i = 0; i < data.length; i++) data[i]! *= spread;
  return pointsFrom(data, m);
}

/** A fixed vector polynomial of total degree 3 in 3 variables, written out by hand (outputs 2). */
function cubic(x: Float64Array, i: number): [number, number] {
  const a = x[i * 3]!;
  const b = x[i * 3 + 1]!;
  const c = x[i * 3 + 2]!;
  return [1 - 2 * a + 0.5 * b * c + a * a * b - 0.25 * c * c * c, 0.3 + a * b - b * b + 2 * a * a * a - c];
}

function apply(x: Points, f: (x: Float64Array, i: number) => number[]): Points {
  const q = f(x.data, 0).length;
  const out = new Float64Array(x.rows * q);
  for (let i = 0; i < x.rows; i++) out.set(f(x.data, i), i * q);
  return pointsFrom(out, q);
}

describe("fitPolynomial", () => {
  for (const basis of BASIS_KINDS) {
    test(`exact recovery of a degree-3 polynomial to 1e-9 (${basis})`, () => {
      const x = randomPoints(300, 3, "exact-train");
      const z = apply(x, cubic);
      const m = fitPolynomial(x, z, { degree: 3, ridge: 0, basis, clip: false });
      const xt = randomPoints(50, 3, "exact-test", 1.5);
      const want = apply(xt, cubic);
      const got = predictPolynomial(m, xt);
      expectClose(got.data, want.data, { abs: 1e-9, what: "predictions" });
      // Jacobian of the fitted polynomial equals the analytic one of the cubic
      const J = jacobianPolynomial(m, xt);
      for (let i = 0; i < xt.rows; i++) {
        const [a, b, c] = [xt.data[i * 3]!, xt.data[i * 3 + 1]!, xt.data[i * 3 + 2]!];
        const ref = [
          [-2 + 2 * a * b, 0.5 * c + a * a, 0.5 * b - 0.75 * c * c],
          [b + 6 * a * a, a - 2 * b, -1],
        ];
        for (let o = 0; o < 2; o++)
          for (let j = 0; j < 3; j++) expectClose(J[i * 6 + o * 3 + j]!, ref[o]![j]!, { abs: 1e-8 });
      }
    });
  }

  test("agrees with ml-matrix QR on the same Hermite design to 1e-8 (noisy target)", () => {
    const n = 500;
    const x = randomPoints(n, 2, "qr-x");
    const rng = createRng("qr-noise");
    const z = apply(x, (d, i) => [Math.sin(d[i * 2]!) + 0.1 * rng.normal()]);
    const m = fitPolynomial(x, z, { degree: 4, ridge: 0, center: [0, 0], scale: 1 });
    // independent design: He_k/√k! written out for k ≤ 4
    const h = [
      () => 1,
      (u: number) => u,
      (u: number) => (u * u - 1) / Math.SQRT2,
      (u: number) => (u ** 3 - 3 * u) / Math.sqrt(6),
      (u: number) => (u ** 4 - 6 * u * u + 3) / Math.sqrt(24),
    ];
    const cols: [number, number][] = [];
    for (let k = 0; k <= 4; k++) for (let a = k; a >= 0; a--) cols.push([a, k - a]);
    const F = new Matrix(n, cols.length);
    for (let i = 0; i < n; i++)
      cols.forEach(([a, b], c) => {
        F.set(i, c, h[a]!(x.data[i * 2]!) * h[b]!(x.data[i * 2 + 1]!));
      });
    const ref = new QrDecomposition(F).solve(Matrix.from1DArray(n, 1, z.data));
    expect(m.coefficients.length).toBe(featureCount(2, 4));
    for (let c = 0; c < cols.length; c++) expectClose(m.coefficients[c]!, ref.get(c, 0), { abs: 1e-8 });
  });

  test("Jacobian equals finite differences; divergence is its trace; clipped coordinates have zero slope", () => {
    const x = randomPoints(400, 2, "fd-x");
    const z = apply(x, (d, i) => [Math.tanh(d[i * 2]!) * d[i * 2 + 1]!, Math.exp(-(d[i * 2 + 1]! ** 2))]);
    const m = fitPolynomial(x, z, { degree: 5, ridge: 1e-6 });
    const pts = pointsFrom(new Float64Array([0.3, -0.2, -0.7, 0.5, 0.1, 0.9]), 2);
    const J = jacobianPolynomial(m, pts);
    const div = divergencePolynomial(m, pts);
    const h = 1e-6;
    for (let i = 0; i < pts.rows; i++) {
      for (let j = 0; j < 2; j++) {
        const plus = pts.data.slice(i * 2, i * 2 + 2);
        const minus = plus.slice();
        plus[j]! += h;
        minus[j]! -= h;
        const fp = predictPolynomial(m, pointsFrom(plus, 2)).data;
        const fm = predictPolynomial(m, pointsFrom(minus, 2)).data;
        for (let o = 0; o < 2; o++) {
          const fd = (fp[o]! - fm[o]!) / (2 * h);
          // central-difference error O(h²) plus rounding O(ε/h) ≈ 1e-10·|f|
          expectClose(J[i * 4 + o * 2 + j]!, fd, { abs: 1e-7 });
        }
      }
      expectClose(div[i]!, J[i * 4]! + J[i * 4 + 3]!, { abs: 5e-15 });
    }
    // far outside the training box: prediction is constant and the Jacobian is 0
    const far = pointsFrom(new Float64Array([50, 60]), 2);
    expect(Array.from(jacobianPolynomial(m, far))).toEqual([0, 0, 0, 0]);
    const edge = predictPolynomial(m, pointsFrom(new Float64Array([500, 600]), 2)).data;
    expect(Array.from(predictPolynomial(m, far).data)).toEqual(Array.from(edge));
  });

  test("cross-validation picks the true degree for a noisy quadratic and a positive ridge only when it helps", () => {
    const n = 2000;
    const x = randomPoints(n, 1, "cv-x");
    const rng = createRng("cv-noise");
    const z = apply(x, (d, i) => [1 + d[i]! - 0.5 * d[i]! * d[i]! + 0.05 * rng.normal()]);
    const m = fitPolynomial(x, z, { rng: createRng("folds"), ridges: [0] });
    // Degrees ≥ 2 all contain the truth; CV error differences between 2 and 3+ are O(σ²·p/n), degree < 2 costs
    // O(n·0.25) — so the choice is ≥ 2, and with the rounding tie-break it is small.
    expect(m.degree).toBeGreaterThanOrEqual(2);
    expect(m.degree).toBeLessThanOrEqual(4);
    const exact = fitPolynomial(
      x,
      apply(x, (d, i) => [1 + d[i]! - 0.5 * d[i]! * d[i]!]),
      {},
    );
    expect(exact.degree).toBe(2);
  });

  test("JSON round trip is bit-exact, including −0", () => {
    const x = randomPoints(100, 2, "json-x");
    const z = apply(x, (d, i) => [d[i * 2]! * d[i * 2 + 1]!, -0]);
    const m = fitPolynomial(x, z, { degree: 3, ridge: 1e-4 });
    const back = polynomialFromJSON(JSON.parse(JSON.stringify(m)));
    expect(back).toEqual(m);
    for (let k = 0; k < m.coefficients.length; k++)
      expect(Object.is(back.coefficients[k], m.coefficients[k])).toBe(true);
    const a = predictPolynomial(m, x).data;
    const b = predictPolynomial(back, x).data;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  test("input validation: shapes, finiteness, options", () => {
    expect(() => fitPolynomial([[0], [1]], [[1]], { degree: 1 })).toThrow(/rows/);
    expect(() => fitPolynomial([[0], [Number.NaN]], [[1], [2]], { degree: 1 })).toThrow(/row 1, column 0/);
    expect(() => fitPolynomial([[0], [1]], [[1], [2]], { degree: -1 })).toThrow(/degree/);
    expect(() => fitPolynomial([[0], [1]], [[1], [2]], { degree: 1, scale: 0 })).toThrow(/scale/);
    expect(() => fitPolynomial([[0], [1]], [[1], [2]], { degree: 1, center: [0, 0] })).toThrow(/center/);
    const m = fitPolynomial([[0], [1]], [[1], [2]], { degree: 1, ridge: 0 });
    expect(() => predictPolynomial(m, pointsFrom(new Float64Array(4), 2))).toThrow(/columns/);
    expect(() => divergencePolynomial({ ...m, outputs: 2 }, pointsFrom(new Float64Array(1), 1))).toThrow(/outputs/);
  });

  test("JSON reader names the bad field and the version", () => {
    const m = fitPolynomial([[0], [1], [2]], [[1], [3], [5]], { degree: 1, ridge: 0 });
    const bad = (patch: Record<string, unknown>) => ({ ...JSON.parse(JSON.stringify(m)), ...patch });
    const cases = [
      { patch: { kind: "x" }, code: "MODEL_FORMAT", path: "kind" },
      { patch: { version: 2 }, code: "MODEL_VERSION", path: "version" },
      { patch: { basis: "legendre" }, code: "MODEL_FORMAT", path: "basis" },
      { patch: { coefficients: [1, "a"] }, code: "MODEL_FORMAT", path: "coefficients[1]" },
      { patch: { coefficients: [1] }, code: "MODEL_FORMAT", path: "coefficients" },
      { patch: { scale: -1 }, code: "MODEL_FORMAT", path: "scale" },
      { patch: { center: [] }, code: "MODEL_FORMAT", path: "center" },
    ];
    for (const c of cases) {
      let caught: unknown;
      try {
        polynomialFromJSON(bad(c.patch));
      } catch (e) {
        caught = e;
      }
      expect(isMixdiffError(caught, c.code as never)).toBe(true);
      expect((caught as { location: { path: string } }).location.path).toBe(c.path);
    }
    expect(() => polynomialFromJSON(null)).toThrow(/object/);
  });
});
