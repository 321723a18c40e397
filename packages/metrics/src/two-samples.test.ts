import { isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { twoSamples } from "./two-samples.js";

describe("twoSamples", () => {
  test("converts both inputs", () => {
    const { x, y } = twoSamples([[0], [1]], [[2], [3], [4]], "fn", 2);
    expect([x.rows, y.rows, x.cols]).toEqual([2, 3, 1]);
  });

  const bad = [
    { name: "ragged", x: [[0], [1, 2]], y: [[0]], code: "DIMENSION_MISMATCH", text: "fn: x" },
    { name: "column mismatch", x: [[0]], y: [[0, 1]], code: "DIMENSION_MISMATCH", text: "fn: y" },
    { name: "infinite", x: [[0]], y: [[Infinity]], code: "NON_FINITE_INPUT", text: "row 0, column 0" },
    { name: "too few", x: [[0]], y: [[1], [2]], code: "INVALID_INPUT", text: "at least 2" },
  ];
  for (const b of bad) {
    test(`rejects ${b.name}`, () => {
      let err: unknown;
      try {
        twoSamples(b.x, b.y, "fn", 2);
      } catch (e) {
        err = e;
      }
      expect(isMixdiffError(err, b.code as never)).toBe(true);
      expect((err as Error).message).toContain(b.text);
    });
  }
});
