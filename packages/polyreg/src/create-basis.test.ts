import { createRng, isMixdiffError } from "@mixdiff/core";
import { expectClose, expectWithinSe } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { BASIS_KINDS } from "./bases.js";
import { createBasis } from "./create-basis.js";

/** He_k by the textbook recurrence (unnormalised), an independent reference. */
function he(k: number, x: number): number {
  let a = 1;
  let b = x;
  if (k === 0) return 1;
  for (let n = 1; n < k; n++) [a, b] = [b, x * b - n * a];
  return b;
}
const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));

describe("createBasis", () => {
  test("hermite features equal ∏ He_{α_j}(u_j)/√α_j! and monomials ∏ u_j^{α_j}", () => {
    const rng = createRng("basis-values");
    for (const kind of BASIS_KINDS) {
      const b = createBasis({ kind, dim: 3, degree: 4 });
      const rows = 7;
      const u = new Float64Array(rows * 3);
      rng.fillNormal(u);
      const out = new Float64Array(rows * b.size);
      b.evaluate(u, rows, out);
      for (let r = 0; r < rows; r++) {
        for (let f = 0; f < b.size; f++) {
          let want = 1;
          for (let j = 0; j < 3; j++) {
            const k = b.exponents[f * 3 + j]!;
            const x = u[r * 3 + j]!;
            want *= kind === "hermite" ? he(k, x) / Math.sqrt(fact(k)) : x ** k;
          }
          expectClose(out[r * b.size + f]!, want, { abs: 5e-13 });
        }
      }
    }
  });

  test("Hermite features are orthonormal under N(0, I) (Monte Carlo within 5 standard errors)", () => {
    const b = createBasis({ dim: 2, degree: 3 });
    const n = 40000;
    const rng = createRng("orthonormal");
    const u = new Float64Array(n * 2);
    rng.fillNormal(u);
    const phi = new Float64Array(n * b.size);
    b.evaluate(u, n, phi);
    const p = b.size;
    for (let f = 0; f < p; f++) {
      for (let g = f; g < p; g++) {
        let s = 0;
        let s2 = 0;
        for (let r = 0; r < n; r++) {
          const v = phi[r * p + f]! * phi[r * p + g]!;
          s += v;
          s2 += v * v;
        }
        const mean = s / n;
        const se = Math.sqrt((s2 / n - mean * mean) / n);
        // 5 SE: per-entry false-failure rate ≈ 6e-7 (normal approximation), 55 entries.
        expectWithinSe(mean, f === g ? 1 : 0, se, { k: 5, slack: 1e-12, what: `E[φ${f}·φ${g}]` });
      }
    }
  });

  test("gradient equals central finite differences", () => {
    const rng = createRng("basis-gradient");
    for (const kind of BASIS_KINDS) {
      const b = createBasis({ kind, dim: 3, degree: 5 });
      const p = b.size;
      const u = new Float64Array(3);
      rng.fillNormal(u);
      const phi = new Float64Array(p);
      const grad = new Float64Array(3 * p);
      b.gradient(u, phi, grad);
      const ref = new Float64Array(p);
      b.evaluate(u, 1, ref);
      expect(Array.from(phi)).toEqual(Array.from(ref));
      const h = 1e-5;
      const plus = new Float64Array(p);
      const minus = new Float64Array(p);
      for (let j = 0; j < 3; j++) {
        const up = u.slice();
        const um = u.slice();
        up[j]! += h;
        um[j]! -= h;
        b.evaluate(up, 1, plus);
        b.evaluate(um, 1, minus);
        for (let f = 0; f < p; f++) {
          const fd = (plus[f]! - minus[f]!) / (2 * h);
          // central difference error O(h²·|φ‴|) ≲ 1e-8 for these magnitudes
          expectClose(grad[j * p + f]!, fd, { abs: 1e-6 * (1 + Math.abs(fd)) });
        }
      }
    }
  });

  test("refuses a request over the memory budget before allocating, with the estimate", () => {
    let caught: unknown;
    try {
      createBasis({ dim: 20, degree: 8 }); // C(28, 8) = 3 108 105 features → 77 TB Gram
    } catch (e) {
      caught = e;
    }
    expect(isMixdiffError(caught, "RESOURCE_LIMIT")).toBe(true);
    expect((caught as { details: { estimate: number } }).details.estimate).toBeGreaterThan(2 ** 30);
    expect(() => createBasis({ dim: 4, degree: 5, memoryBudgetBytes: 1000 })).toThrow(/budget/);
    expect(() => createBasis({ dim: 2, degree: 2, kind: "legendre" as never })).toThrow(/kind/);
  });
});
