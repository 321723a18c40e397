import { Matrix } from "ml-matrix";
import { describe, expect, test } from "vitest";
import { checkAllocation, MAX_ARRAY_BYTES } from "./allocation.js";
import { isMixdiffError } from "./errors.js";
import { createPoints, pointsFrom, row, sliceRows, toArrays, toMatrix, toPoints } from "./points.js";

describe("toPoints", () => {
  test("converts arrays and matrices to the same row-major data", () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const a = toPoints(rows);
    const b = toPoints(new Matrix(rows));
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(b.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(toArrays(a)).toEqual(rows);
    expect(toMatrix(a).to2DArray()).toEqual(rows);
    expect(Array.from(row(a, 1))).toEqual([4, 5, 6]);
    expect(sliceRows(a, 1, 5).rows).toBe(1);
  });
  const bad: { input: unknown; code: string; where: RegExp }[] = [
    { input: [], code: "INVALID_INPUT", where: /empty/ },
    { input: [[1, 2], [3]], code: "DIMENSION_MISMATCH", where: /row 1/ },
    { input: [[1, Number.NaN]], code: "NON_FINITE_INPUT", where: /row 0, column 1/ },
    {
      input: [
        [1, 2],
        [3, Number.POSITIVE_INFINITY],
      ],
      code: "NON_FINITE_INPUT",
      where: /row 1, column 1/,
    },
    { input: [[1, "2"]], code: "INVALID_INPUT", where: /row 0, column 1/ },
    { input: "nope", code: "INVALID_INPUT", where: /expected Points/ },
  ];
  for (const c of bad) {
    test(`rejects ${JSON.stringify(c.input)} with ${c.code}`, () => {
      try {
        toPoints(c.input as never, { name: "samples" });
        expect.unreachable();
      } catch (e) {
        expect(isMixdiffError(e, c.code as never)).toBe(true);
        expect((e as Error).message).toMatch(c.where);
        expect((e as Error).message).toMatch(/^samples/);
      }
    });
  }
  test("checks the expected dimension", () => {
    expect(() => toPoints([[1, 2]], { expectedCols: 3 })).toThrow(/expected 3/);
  });
  test("pointsFrom checks the length", () => {
    expect(() => pointsFrom(new Float64Array(5), 2)).toThrow(/multiple/);
    expect(createPoints(2, 3).data.length).toBe(6);
  });
});

describe("createPoints: allocation guard (issue 18 item 10)", () => {
  test("a batch above the 2 GiB array limit is RESOURCE_LIMIT with the estimate, never a RangeError", () => {
    expect(() => createPoints(1e10, 2)).toThrowError(
      expect.objectContaining({
        name: "MixdiffError",
        code: "RESOURCE_LIMIT",
        message: expect.stringMatching(/createPoints: 10000000000 × 2 points need 160 GB, above the 2\.15 GB limit/),
        details: { estimate: 1.6e11, budget: 2 ** 31 },
      }),
    );
  });
  test("the largest batch at the limit is not refused by the guard", () => {
    expect(() => checkAllocation("f", "x", MAX_ARRAY_BYTES / 8)).not.toThrow();
    expect(() => checkAllocation("f", "x", MAX_ARRAY_BYTES / 8 + 1)).toThrow(/above the 2\.15 GB limit/);
    expect(() => checkAllocation("f", "x", 2 ** 60)).toThrow(/RESOURCE_LIMIT|limit/);
  });
});
