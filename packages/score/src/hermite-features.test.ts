import { describe, expect, test } from "vitest";
import { featureCount, hermiteFeatures } from "./hermite-features.js";

// 20-point Gauss–Hermite rule for the standard normal (probabilists'), built by Golub–Welsch-free
// brute force: nodes are roots of He_20 found by bisection, weights n!/(n² He_{n-1}(x)²)/√(2π)·√(2π).
function gaussHermite(n: number): { x: number[]; w: number[] } {
  const he = (k: number, x: number): [number, number] => {
    let a = 1;
    let b = x;
    if (k === 0) return [1, 0];
    for (let j = 1; j < k; j++) [a, b] = [b, x * b - j * a];
    return [b, a];
  };
  const xs: number[] = [];
  const ws: number[] = [];
  const lim = 2 * Math.sqrt(n) + 2;
  const steps = 20000;
  let prev = he(n, -lim)[0];
  for (let i = 1; i <= steps; i++) {
    const x = -lim + (2 * lim * i) / steps;
    const v = he(n, x)[0];
    if (prev === 0 || Math.sign(v) !== Math.sign(prev)) {
      let lo = x - (2 * lim) / steps;
      let hi = x;
      for (let it = 0; it < 100; it++) {
        const mid = (lo + hi) / 2;
        if (Math.sign(he(n, mid)[0]) === Math.sign(he(n, lo)[0])) lo = mid;
        else hi = mid;
      }
      xs.push((lo + hi) / 2);
    }
    prev = v;
  }
  let fact = 1;
  for (let j = 2; j <= n; j++) fact *= j;
  for (const x of xs) ws.push(fact / (n * n * he(n - 1, x)[0] ** 2));
  return { x: xs, w: ws };
}

describe("hermiteFeatures", () => {
  test.each([
    [1, 6, 7],
    [2, 6, 28],
    [3, 5, 56],
    [10, 2, 66],
  ])("size of dim %i degree %i is C(m+d,d) = %i", (m, d, size) => {
    expect(featureCount(m, d)).toBe(size);
    expect(hermiteFeatures(m, d).size).toBe(size);
  });

  test("orthonormal under N(0, I_2) (exact quadrature, degree ≤ 4)", () => {
    const { x, w } = gaussHermite(12);
    expect(x.length).toBe(12);
    const f = hermiteFeatures(2, 4);
    const P = f.size;
    const gram = new Float64Array(P * P);
    const phi = new Float64Array(P);
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j < x.length; j++) {
        f.evaluate(new Float64Array([x[i] as number, x[j] as number]), 0, phi, 0);
        const ww = (w[i] as number) * (w[j] as number);
        for (let a = 0; a < P; a++)
          for (let b = 0; b < P; b++) gram[a * P + b] += ww * (phi[a] as number) * (phi[b] as number);
      }
    }
    for (let a = 0; a < P; a++)
      for (let b = 0; b < P; b++) expect(Math.abs((gram[a * P + b] as number) - (a === b ? 1 : 0))).toBeLessThan(1e-9);
  });

  test("lower degrees are a prefix; graded order", () => {
    const hi = hermiteFeatures(3, 4);
    const lo = hermiteFeatures(3, 2);
    expect(Array.from(hi.exponents.subarray(0, lo.exponents.length))).toEqual(Array.from(lo.exponents));
    expect(hi.sizeByDegree[2]).toBe(lo.size);
    let prev = 0;
    for (let a = 0; a < hi.size; a++) {
      const deg = hi.exponents[a * 3]! + hi.exponents[a * 3 + 1]! + hi.exponents[a * 3 + 2]!;
      expect(deg).toBeGreaterThanOrEqual(prev);
      prev = deg;
    }
  });

  test("gradient matches central finite differences", () => {
    const f = hermiteFeatures(2, 5);
    const u = new Float64Array([0.37, -1.21]);
    const phi = new Float64Array(f.size);
    const grad = new Float64Array(f.size * 2);
    f.evaluateWithGradient(u, 0, phi, grad);
    const a = new Float64Array(f.size);
    const b = new Float64Array(f.size);
    const h = 1e-5;
    for (let q = 0; q < 2; q++) {
      const up = Float64Array.from(u);
      const dn = Float64Array.from(u);
      up[q] += h;
      dn[q] -= h;
      f.evaluate(up, 0, a, 0);
      f.evaluate(dn, 0, b, 0);
      // central differences: error O(h²·|φ'''|) ≲ 1e-8 here
      for (let k = 0; k < f.size; k++)
        expect(Math.abs((a[k]! - b[k]!) / (2 * h) - grad[k * 2 + q]!)).toBeLessThan(1e-6);
    }
  });
});
