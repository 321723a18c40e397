import { describe, expect, it } from "vitest";
import { gaussLegendre } from "./gauss-legendre.js";

describe("gaussLegendre", () => {
  it.each([1, 2, 5, 16, 40])("n = %i integrates every monomial of degree ≤ 2n − 1 exactly", (n) => {
    const { nodes, weights } = gaussLegendre(n);
    for (let deg = 0; deg <= 2 * n - 1; deg++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i]! * nodes[i]! ** deg;
      const exact = deg % 2 === 1 ? 0 : 2 / (deg + 1);
      expect(Math.abs(s - exact)).toBeLessThan(1e-14);
    }
  });
  it("nodes ascend inside (−1, 1)", () => {
    const { nodes } = gaussLegendre(16);
    for (let i = 1; i < 16; i++) expect(nodes[i]).toBeGreaterThan(nodes[i - 1]!);
    expect(nodes[0]).toBeGreaterThan(-1);
  });
});
