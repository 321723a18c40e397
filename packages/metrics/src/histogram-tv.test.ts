import { isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gaussianSample, normalCdf, shuffleRows } from "../test/helpers.js";
import { histogramTV } from "./histogram-tv.js";

describe("histogramTV", () => {
  const exact = [
    { name: "doc example", x: [[0.1], [0.2], [0.7]], y: [[0.6], [0.8], [0.9]], bins: 2, expected: 2 / 3 },
    { name: "disjoint", x: [[0], [0.1]], y: [[0.9], [1]], bins: 4, expected: 1 },
    { name: "identical", x: [[0], [0.5], [1]], y: [[1], [0], [0.5]], bins: 3, expected: 0 },
    {
      name: "2-D corners",
      x: [
        [0, 0],
        [1, 1],
      ],
      y: [
        [0, 0],
        [0, 1],
      ],
      bins: 2,
      expected: 0.5,
    },
  ];
  for (const c of exact) {
    test(`exact: ${c.name}`, () => {
      const r = histogramTV(c.x, c.y, { bins: c.bins, range: c.x[0]!.map(() => [0, 1] as [number, number]) });
      expect(r.value).toBeCloseTo(c.expected, 14);
      expect(histogramTV(c.y, c.x, { bins: c.bins }).value).toBeCloseTo(r.value, 14); // symmetric
    });
  }

  test("points outside the range go to one overflow cell", () => {
    const r = histogramTV([[-5], [0.5]], [[0.5], [0.5]], { bins: 2, range: [[0, 1]] });
    expect(r.value).toBeCloseTo(0.5, 14);
    expect(r.details?.outsideX).toBeCloseTo(0.5, 14);
  });

  test("equal distributions: value − bias ≈ 0 within 4 SE; row order does not matter", () => {
    // 4 SE: false-failure rate ≤ 6e-5 (the delta-method SE is conservative at P = Q: scripts/calibrate.ts)
    const x = gaussianSample(2000, [0, 0], 1, "a");
    const y = gaussianSample(1500, [0, 0], 1, "b");
    const r = histogramTV(x, y, {
      bins: 8,
      range: [
        [-3, 3],
        [-3, 3],
      ],
    });
    expect(Math.abs(r.value - r.bias)).toBeLessThan(4 * (r.standardError as number));
    expect(r.bias).toBeGreaterThan(0);
    expect(
      histogramTV(shuffleRows(x, 1), y, {
        bins: 8,
        range: [
          [-3, 3],
          [-3, 3],
        ],
      }).value,
    ).toBe(r.value);
  });

  test("N(0,1) vs N(1,1): close to the exact TV 2Φ(½) − 1", () => {
    const tv = 2 * normalCdf(0.5) - 1;
    const x = gaussianSample(20000, [0], 1, "c");
    const y = gaussianSample(20000, [1], 1, "d");
    const r = histogramTV(x, y, { bins: 40, range: [[-5, 6]] });
    // 4 SE (≈ 6e-5 false failures) plus 0.01 for binning, which lowers TV by O(width²) ≈ 0.005 here
    expect(Math.abs(r.value - r.bias - tv)).toBeLessThan(4 * (r.standardError as number) + 0.01);
  });

  const bad = [
    { name: "3-D input", x: [[0, 0, 0]], y: [[0, 0, 0]], o: {}, code: "INVALID_INPUT" },
    { name: "bad range", x: [[0]], y: [[0]], o: { range: [[1, 0]] }, code: "INVALID_OPTION" },
    { name: "bins 0", x: [[0]], y: [[0]], o: { bins: 0 }, code: "INVALID_OPTION" },
  ];
  for (const c of bad) {
    test(`rejects ${c.name}`, () => {
      let err: unknown;
      try {
        histogramTV(c.x, c.y, c.o as never);
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, c.code as never)).toBe(true);
    });
  }
});
