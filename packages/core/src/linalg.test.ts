import { expectClose } from "@mixdiff/test-utils";
import { Matrix, SingularValueDecomposition, solve } from "ml-matrix";
import { describe, expect, test } from "vitest";
import { cholesky, choleskySolve } from "./cholesky.js";
import { logSumExp, softmaxInPlace } from "./log-sum-exp.js";
import { createRng } from "./rng.js";
import { symmetricEigen } from "./symmetric-eigen.js";

function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const b = new Float64Array(n * n);
  rng.fillNormal(b);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = s;
    }
  return a;
}

describe("cholesky", () => {
  test("solves like ml-matrix's LU solver (independent reference) to 1e-10", () => {
    for (const n of [1, 3, 10, 40]) {
      const a = randomSpd(n, n);
      const rng = createRng(100 + n);
      const b = new Float64Array(n * 2);
      rng.fillNormal(b);
      const x = choleskySolve(cholesky(a, n), Float64Array.from(b), 2);
      const ref = solve(Matrix.from1DArray(n, n, a), Matrix.from1DArray(n, 2, b));
      for (let i = 0; i < n * 2; i++) expectClose(x[i]!, ref.get(Math.floor(i / 2), i % 2), { abs: 5e-11 });
    }
  });
  test("is bit for bit the textbook row-by-row Cholesky–Crout factor, for every count of trailing rows", () => {
    // The factor sums four rows at a time; each entry must still be a[i][j] − Σ_k L[i][k]·L[j][k] in k order.
    for (const n of [2, 5, 6, 7, 8, 9, 23]) {
      const a = randomSpd(n, 7 * n);
      const want = new Float64Array(n * n);
      for (let j = 0; j < n; j++) {
        let d = a[j * n + j]!;
        for (let k = 0; k < j; k++) d -= want[j * n + k]! * want[j * n + k]!;
        want[j * n + j] = Math.sqrt(d);
        for (let i = j + 1; i < n; i++) {
          let s = a[i * n + j]!;
          for (let k = 0; k < j; k++) s -= want[i * n + k]! * want[j * n + k]!;
          want[i * n + j] = s / want[j * n + j]!;
        }
      }
      const got = cholesky(a, n).lower;
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
  test("adds jitter to a singular PSD matrix and refuses an indefinite one", () => {
    const f = cholesky(new Float64Array([1, 1, 1, 1]), 2);
    expect(f.jitter).toBeGreaterThan(0);
    expect(() => cholesky(new Float64Array([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});

describe("symmetricEigen", () => {
  test("matches singular values of an SPD matrix and reconstructs it", () => {
    const n = 6;
    const a = randomSpd(n, 9);
    const { values, vectors } = symmetricEigen(a, n);
    const sv = new SingularValueDecomposition(Matrix.from1DArray(n, n, a)).diagonal;
    expectClose(values, sv, { abs: 5e-10, what: "eigenvalues" });
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
        expectClose(s, a[i * n + j]!, { abs: 5e-10 });
      }
  });
});

describe("logSumExp", () => {
  test("is stable at extreme magnitudes", () => {
    expectClose(logSumExp([1000, 1000]), 1000 + Math.LN2, { abs: 5e-13 });
    expectClose(logSumExp([-1000, -1000]), -1000 + Math.LN2, { abs: 5e-13 });
    expect(logSumExp([Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp([1, Number.NaN])).toBeNaN();
    const w = new Float64Array([0, Math.log(3), -2000]);
    softmaxInPlace(w);
    expectClose(w[0]!, 0.25, { abs: 5e-15 });
    expectClose(w[1]!, 0.75, { abs: 5e-15 });
    expect(w[2]).toBe(0);
  });
});
