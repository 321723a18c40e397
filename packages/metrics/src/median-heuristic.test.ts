import { createRng, toPoints } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { medianHeuristic } from "./median-heuristic.js";

describe("medianHeuristic", () => {
  const cases = [
    { x: [[0], [1]], y: [[3]], expected: 2 }, // distances 1, 3, 2
    { x: [[0], [1]], y: [[3], [7]], expected: 3.5 }, // sorted 1 2 3 4 6 7: (3 + 4)/2
    { x: [[0, 0]], y: [[3, 4]], expected: 5 },
    { x: [[2], [2]], y: [[2]], expected: 1 }, // all equal: falls back to 1
  ];
  for (const c of cases) {
    test(`median of pooled distances = ${c.expected}`, () => {
      expect(medianHeuristic(toPoints(c.x), toPoints(c.y), createRng(0))).toBeCloseTo(c.expected, 14);
    });
  }
});
