import { describe, expect, it } from "vitest";
import { logTruncatedNormal } from "./truncated-normal.js";

// [lo, hi, ln P(lo < Z < hi), E[Z | lo < Z < hi]] from mpmath at 60 digits.
const REF: [number, number, number, number][] = [
  [-1.0, 1.0, -0.38171514630212605, 0.0],
  [-3.0, 0.5, -0.37090055956203255, -0.503734458504945],
  [0.0, 1.0, -1.0748623268620714, 0.4598622292864265],
  [0.2, 0.3, -3.2531641905748114, 0.24979173827088316],
  [2.0, 2.1, -5.3214403776082895, 2.0482934302550997],
  [2.0, 5.0, -3.783196933757427, 2.3731800849531375],
  [-5.0, -2.0, -3.783196933757427, -2.3731800849531375],
  [10.0, 10.01, -55.573708338591146, 10.004916639184202],
  [40.0, 41.0, -804.6084420137538, 40.02496884720726],
  [-41.0, -40.0, -804.6084420137538, -40.02496884720726],
  [1000.0, 1001.0, -500007.82669481216, 1000.000999998],
  [-1000.0, 1000.0, 0.0, 0.0],
  [-0.001, 0.001, -7.13354679829352, 0.0],
  [-1e-9, 2e-9, -20.543592081482974, 5e-10],
  [0.49, 3.0, -1.1688725835426368, 1.1244330509949383],
  [5.0, 10000.0, -15.064998393988725, 5.186503967125842],
  [-30.0, -29.5, -439.4294749500187, -29.53382067392501],
  [100.0, 100.004, -5006.633744055029, 100.00186701829823],
  [-2.0, 30.0, -0.02301290932896349, 0.055247862678989956],
];

describe("logTruncatedNormal", () => {
  const out = new Float64Array(1);
  it.each(REF)("[%d, %d] matches mpmath", (lo, hi, logZ, mean) => {
    const got = logTruncatedNormal(lo, hi, out);
    expect(Math.abs(got - logZ)).toBeLessThan(1e-13 * Math.max(1, Math.abs(logZ)));
    expect(Math.abs(out[0]! - mean)).toBeLessThan(1e-12 * Math.max(1, Math.abs(mean)));
  });
  it("the mean lies inside the interval", () => {
    for (const [lo, hi] of [
      [3, 3 + 1e-12],
      [-1e6, -1e6 + 1],
      [0, 1e-300],
    ] as const) {
      logTruncatedNormal(lo, hi, out);
      expect(out[0]).toBeGreaterThanOrEqual(lo);
      expect(out[0]).toBeLessThanOrEqual(hi);
    }
  });
});
