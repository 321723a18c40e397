import { cholesky, choleskySolve, createRng } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { createNormalEquations } from "./normal-equations.js";
import { solveRidge } from "./solve-ridge.js";

// Per-feature ridge weights: the solution must solve (ΦᵀΦ + λ·rows·diag(w)) C = Φᵀz, checked against a direct
// Cholesky solve of that system built independently here (agreement to rounding: relative 1e-9).
describe("solveRidge penalty weights", () => {
  const rows = 200;
  const p = 4;
  const r = createRng(5);
  const phi = new Float64Array(rows * p);
  const z = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const x = r.normal();
    phi.set([1, x, x * x, x * x * x], i * p);
    z[2 * i] = 1 + x - 0.5 * x * x + 0.1 * r.normal();
    z[2 * i + 1] = x * x * x + 0.1 * r.normal();
  }
  const ne = createNormalEquations(p, 2);
  ne.add(phi, z, rows);
  const direct = (ridge: number, w: number[], s: number): Float64Array => {
    const A = ne.gram(s);
    for (let i = 0; i < s; i++) A[i * s + i] = A[i * s + i]! + ridge * rows * w[i]!;
    return choleskySolve(cholesky(A, s), ne.rhs(s), 2);
  };
  test.each([
    [0.5, [0, 0, 1, 1], 4],
    [0.1, [0, 0, 2.5, 0.3], 4],
    [0.3, [0, 1, 1], 3],
    [0.2, [1, 1, 1, 1], 4],
  ])("ridge %d with weights %j (size %d)", (ridge, w, s) => {
    const got = solveRidge(ne, { ridge, size: s, penalty: Float64Array.from(w) }).coefficients;
    const want = direct(ridge, w, s);
    for (let k = 0; k < want.length; k++) expectClose(got[k]!, want[k]!, { abs: 1e-9 * (1 + Math.abs(want[k]!)) });
  });
  test("zero weights on the constant and linear terms leave them unshrunk (differs from uniform ridge)", () => {
    const a = solveRidge(ne, { ridge: 10, penalty: Float64Array.from([0, 0, 1, 1]) }).coefficients;
    const b = solveRidge(ne, { ridge: 10 }).coefficients;
    expect(Math.abs(a[0]! - b[0]!)).toBeGreaterThan(0.05);
  });
  test("all-ones weights equal the default", () => {
    const a = solveRidge(ne, { ridge: 0.2, penalty: new Float64Array(p).fill(1) }).coefficients;
    const b = solveRidge(ne, { ridge: 0.2 }).coefficients;
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  test.each([
    ["too short", new Float64Array(2)],
    ["negative", Float64Array.from([0, 0, -1, 1])],
    ["NaN", Float64Array.from([0, 0, Number.NaN, 1])],
  ])("rejects a %s penalty with INVALID_OPTION", (_n, pen) => {
    expect(() => solveRidge(ne, { ridge: 1, penalty: pen })).toThrowError(
      expect.objectContaining({ code: "INVALID_OPTION" }),
    );
  });
});
