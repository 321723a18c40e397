import { createRng } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import { describe, expect, test } from "vitest";
import { createNormalEquations, normalEquationsFromState } from "./normal-equations.js";
import { solveRidge } from "./solve-ridge.js";

function randomProblem(n: number, p: number, q: number, seed: string) {
  const rng = createRng(seed);
  const phi = new Float64Array(n * p);
  const z = new Float64Array(n * q);
  rng.fillNormal(phi);
  rng.fillNormal(z);
  return { phi, z };
}

function bytes(ne: ReturnType<typeof createNormalEquations>): string {
  const s = ne.state();
  const parts = [ne.gram(), ne.rhs(), ne.sumSquares(), s.gram, s.rhs, s.sumSquares];
  return parts.map((a) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).join(",")).join("|");
}

describe("createNormalEquations", () => {
  test("agrees with ml-matrix QR least squares to 1e-8 on random well-conditioned problems", () => {
    for (const [n, p, q] of [
      [50, 5, 1],
      [700, 20, 3],
      [1000, 45, 2],
    ] as const) {
      const { phi, z } = randomProblem(n, p, q, `qr-${n}`);
      const ne = createNormalEquations(p, q);
      ne.add(phi, z, n);
      const { coefficients, conditionNumber, jitter } = solveRidge(ne);
      expect(jitter).toBe(0);
      // The estimate is ‖Av‖/(1/‖A⁻¹w‖) for unit v, w: ‖Av‖ ≤ λmax and 1/‖A⁻¹w‖ ≥ λmin, so it never exceeds
      // the true κ(ΦᵀΦ) (here from ml-matrix's eigenvalues); it is a real estimate, not a floor of 1.
      const eig = new EigenvalueDecomposition(
        Matrix.from1DArray(n, p, phi)
          .transpose()
          .mmul(Matrix.from1DArray(n, p, phi)),
      ).realEigenvalues;
      const kappa = Math.max(...eig) / Math.min(...eig);
      expect(conditionNumber).toBeLessThanOrEqual(kappa * (1 + 1e-9));
      expect(conditionNumber).toBeGreaterThan(0.5 * kappa);
      expect(conditionNumber).toBeLessThan(100);
      const ref = new QrDecomposition(Matrix.from1DArray(n, p, phi)).solve(Matrix.from1DArray(n, q, z));
      for (let i = 0; i < p; i++) {
        for (let o = 0; o < q; o++) expectClose(coefficients[i * q + o]!, ref.get(i, o), { abs: 1e-8 });
      }
    }
  });

  test("the condition estimate is exact on a small known system: κ(tridiag(1, 2, 1)) = 3 + 2√2", () => {
    // ΦᵀΦ = A for Φ = Lᵀ (A = LLᵀ). A's eigenvalues are 2 − √2, 2, 2 + √2: with these gaps, 60 power and
    // inverse-power steps converge far below 1e-10 (error ∝ (2/(2 + √2))^120 and ((2 − √2)/2)^120).
    const A = new Matrix([
      [2, 1, 0],
      [1, 2, 1],
      [0, 1, 2],
    ]);
    const phi = Float64Array.from(new CholeskyDecomposition(A).lowerTriangularMatrix.transpose().to1DArray());
    const ne = createNormalEquations(3, 1);
    ne.add(phi, new Float64Array([1, 2, 3]), 3);
    const { conditionNumber, jitter } = solveRidge(ne);
    expect(jitter).toBe(0);
    expectClose(conditionNumber, 3 + 2 * Math.SQRT2, { rel: 1e-10, what: "κ" });
  });

  test("identical bytes for any chunking of add (including chunks that cut blocks)", () => {
    const n = 1100;
    const p = 13;
    const q = 2;
    const { phi, z } = randomProblem(n, p, q, "chunking");
    const whole = createNormalEquations(p, q);
    whole.add(phi, z, n);
    const ref = bytes(whole);
    const rng = createRng("chunk-sizes");
    for (const pattern of ["ones", "primes", "random", "blocks"] as const) {
      const ne = createNormalEquations(p, q);
      let r = 0;
      let k = 0;
      while (r < n) {
        const size =
          pattern === "ones"
            ? 1
            : pattern === "primes"
              ? [7, 257, 3, 101][k++ % 4]!
              : pattern === "blocks"
                ? 256
                : 1 + Math.floor(rng.uniform() * 400);
        const m = Math.min(size, n - r);
        ne.add(phi.subarray(r * p, (r + m) * p), z.subarray(r * q, (r + m) * q), m);
        r += m;
      }
      expect(ne.rows).toBe(n);
      expect(bytes(ne)).toBe(ref);
    }
  });

  test("merging fixed shards in order is deterministic and round-trips through state()", () => {
    const n = 900;
    const p = 9;
    const { phi, z } = randomProblem(n, p, 1, "merge");
    const shard = (a: number, b: number, chunk: number) => {
      const ne = createNormalEquations(p, 1);
      for (let r = a; r < b; r += chunk) {
        const e = Math.min(b, r + chunk);
        ne.add(phi.subarray(r * p, e * p), z.subarray(r, e), e - r);
      }
      return ne;
    };
    const run = (chunk: number) => {
      const total = createNormalEquations(p, 1);
      for (const [a, b] of [
        [0, 300],
        [300, 600],
        [600, 900],
      ] as const) {
        total.merge(normalEquationsFromState(shard(a, b, chunk).state()));
      }
      return total;
    };
    const a = run(17);
    expect(bytes(a)).toBe(bytes(run(300)));
    expect(a.rows).toBe(n);
    // and it is the same least-squares problem as one stream (to rounding)
    const single = shard(0, n, 64);
    const g1 = a.gram();
    const g2 = single.gram();
    expectClose(g1, g2, { abs: 5e-10, what: "Gram matrix" });
  });

  test("leading sub-block solve equals a fit with only those features", () => {
    const n = 400;
    const { phi, z } = randomProblem(n, 8, 1, "sub");
    const ne = createNormalEquations(8, 1);
    ne.add(phi, z, n);
    const small = createNormalEquations(3, 1);
    const phi3 = new Float64Array(n * 3);
    for (let r = 0; r < n; r++) for (let i = 0; i < 3; i++) phi3[r * 3 + i] = phi[r * 8 + i]!;
    small.add(phi3, z, n);
    const a = solveRidge(ne, { size: 3, ridge: 0.1 }).coefficients;
    const b = solveRidge(small, { ridge: 0.1 }).coefficients;
    for (let i = 0; i < 3; i++) expectClose(a[i]!, b[i]!, { abs: 5e-13 });
  });

  test("ridge solves (ΦᵀΦ + λ·rows·I)c = Φᵀz", () => {
    const n = 200;
    const p = 4;
    const { phi, z } = randomProblem(n, p, 1, "ridge");
    const ne = createNormalEquations(p, 1);
    ne.add(phi, z, n);
    const lambda = 0.3;
    const { coefficients } = solveRidge(ne, { ridge: lambda });
    const F = Matrix.from1DArray(n, p, phi);
    const A = F.transpose()
      .mmul(F)
      .add(Matrix.eye(p).mul(lambda * n));
    const ref = new QrDecomposition(A).solve(F.transpose().mmul(Matrix.from1DArray(n, 1, z)));
    for (let i = 0; i < p; i++) expectClose(coefficients[i]!, ref.get(i, 0), { abs: 5e-11 });
  });

  test("singular systems: jitter reported, no rows rejected", () => {
    const ne = createNormalEquations(2, 1);
    expect(() => solveRidge(ne)).toThrow(/no rows/);
    ne.add(new Float64Array([1, 1, 2, 2, 3, 3]), new Float64Array([1, 2, 3]), 3);
    const s = solveRidge(ne);
    expect(s.jitter).toBeGreaterThan(0);
    expect(s.conditionNumber).toBeGreaterThan(1e5);
    expect(() => ne.add(new Float64Array(3), new Float64Array(1), 2)).toThrow(/DIMENSION|need phi/);
  });
});
