import { describe, expect, test } from "vitest";
import { gaussianSample } from "../test/helpers.js";
import { kernelTwoSample } from "./kernel-two-sample.js";

/** Direct O(n²) definition with separate loops, as an independent check of the one-pass accumulation. */
function direct(x: number[][], y: number[][], k: (a: number[], b: number[]) => number, unbiased: boolean): number {
  const mean = (a: number[][], b: number[][], skipDiag: boolean) => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < a.length; i++)
      for (let j = 0; j < b.length; j++) {
        if (skipDiag && i === j) continue;
        s += k(a[i]!, b[j]!);
        c++;
      }
    return s / c;
  };
  return mean(x, x, unbiased) + mean(y, y, unbiased) - 2 * mean(x, y, false);
}

describe("kernelTwoSample", () => {
  const xs = gaussianSample(17, [0, 0], 1, "x");
  const ys = gaussianSample(11, [0.5, 0], 1.3, "y");
  const toRows = (p: typeof xs) =>
    Array.from({ length: p.rows }, (_, i) => Array.from(p.data.subarray(2 * i, 2 * i + 2)));
  const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
  const cases = [
    { name: "gaussian U", kernel: { kind: "gaussian", bandwidth: 0.8 } as const, unbiased: true },
    { name: "gaussian V", kernel: { kind: "gaussian", bandwidth: 0.8 } as const, unbiased: false },
    { name: "distance U", kernel: { kind: "distance" } as const, unbiased: true },
    { name: "distance V", kernel: { kind: "distance" } as const, unbiased: false },
  ];
  for (const c of cases) {
    test(`matches the direct definition: ${c.name}`, () => {
      const k =
        c.kernel.kind === "gaussian"
          ? (a: number[], b: number[]) => Math.exp(-(dist(a, b) ** 2) / (2 * 0.8 * 0.8))
          : (a: number[], b: number[]) => -dist(a, b);
      const r = kernelTwoSample(xs, ys, c.kernel, c.unbiased);
      expect(r.value).toBeCloseTo(direct(toRows(xs), toRows(ys), k, c.unbiased), 12);
      expect(Number.isFinite(r.standardError) && r.standardError > 0).toBe(true);
    });
  }

  test("standard error shrinks like 1/√n away from P = Q", () => {
    // with 4× the points the error should drop by ~2×; allow 1.6–2.5 (the estimate itself is noisy)
    const small = kernelTwoSample(
      gaussianSample(200, [0], 1, "a"),
      gaussianSample(200, [1], 1, "b"),
      { kind: "distance" },
      true,
    );
    const big = kernelTwoSample(
      gaussianSample(800, [0], 1, "c"),
      gaussianSample(800, [1], 1, "d"),
      { kind: "distance" },
      true,
    );
    const ratio = small.standardError / big.standardError;
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.5);
  });
  // Calibration: the mean reported standard error against the spread of the estimate over 150 independent
  // replications. The sample sd from 150 replications has a relative error of ≈ 1/√300 ≈ 6%, so the bands
  // below are > 4 of those wide around the values scripts/calibrate.ts measures (≈ 1.0 away from P = Q,
  // 1.15–1.45 at P = Q where the error is conservative); false-failure rate < 1e-4 each.
  const calibration = [
    {
      name: "gaussian kernel, shifted",
      kernel: { kind: "gaussian", bandwidth: 1 } as const,
      shift: 1,
      lo: 0.75,
      hi: 1.3,
    },
    { name: "distance kernel, shifted", kernel: { kind: "distance" } as const, shift: 1, lo: 0.75, hi: 1.3 },
    {
      name: "gaussian kernel, P = Q",
      kernel: { kind: "gaussian", bandwidth: 1 } as const,
      shift: 0,
      lo: 0.85,
      hi: 1.9,
    },
  ];
  for (const c of calibration) {
    test(`standard error is calibrated over replications: ${c.name}`, () => {
      const values: number[] = [];
      const errors: number[] = [];
      for (let r = 0; r < 150; r++) {
        const res = kernelTwoSample(
          gaussianSample(60, [0], 1, `cal-x-${c.name}-${r}`),
          gaussianSample(80, [c.shift], 1, `cal-y-${c.name}-${r}`),
          c.kernel,
          true,
        );
        values.push(res.value);
        errors.push(res.standardError);
      }
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
      const meanError = errors.reduce((a, b) => a + b, 0) / errors.length;
      expect(meanError / sd).toBeGreaterThan(c.lo);
      expect(meanError / sd).toBeLessThan(c.hi);
    });
  }
});
