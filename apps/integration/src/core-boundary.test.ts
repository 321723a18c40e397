// C1 (library boundary): shapes, input types, non-finite values and caller-array immutability at `toPoints`,
// the one conversion every public entry point goes through. Entry-point-specific cases live in
// input-boundary.test.ts.
import { createRng, MixdiffError, streamRng, toPoints } from "@mixdiff/core";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { expectMixdiffError } from "./helpers";

describe("toPoints: non-finite values are rejected with row and column (C1)", () => {
  const cases: [string, number, number, number][] = [
    ["NaN at [0,0]", 0, 0, Number.NaN],
    ["+Inf at [0,0]", 0, 0, Infinity],
    ["-Inf only in the last row", 4, 1, -Infinity],
    ["NaN only in column 2", 2, 2, Number.NaN],
  ];
  it.each(cases)("%s", (_label, r, c, v) => {
    const x = Array.from({ length: 5 }, (_, i) => [i, i + 0.5, i - 1]);
    x[r]![c] = v;
    const e = expectMixdiffError(() => toPoints(x, { name: "x" }), "NON_FINITE_INPUT", /row \d+, column \d+/);
    expect(e.location).toEqual({ row: r, column: c });
    // Same for a Points input and a Matrix input.
    const p = toPoints(
      x.map((row) => row.map((u) => (Number.isFinite(u) ? u : 0))),
      { name: "x" },
    );
    p.data[r * 3 + c] = v;
    expectMixdiffError(() => toPoints(p, { name: "x" }), "NON_FINITE_INPUT");
    expectMixdiffError(() => toPoints(new Matrix(x), { name: "x" }), "NON_FINITE_INPUT");
  });
});

describe("toPoints: shapes (C1)", () => {
  it("N = 0 is an error naming the sample count", () => {
    expectMixdiffError(() => toPoints([], { name: "x" }), "INVALID_INPUT", /at least one point/);
    expectMixdiffError(
      () => toPoints({ data: new Float64Array(0), rows: 0, cols: 3 }, { name: "x" }),
      "INVALID_INPUT",
      /0 rows/,
    );
  });
  it("d = 0 is an error", () => {
    expectMixdiffError(() => toPoints([[], []], { name: "x" }), "INVALID_INPUT", /empty/);
  });
  it("a flat vector where a matrix is expected is an error", () => {
    expectMixdiffError(() => toPoints([1, 2, 3] as unknown as number[][], { name: "x" }), "INVALID_INPUT", /row 0/);
  });
  it("N = 1 and d = 1 work", () => {
    expect(toPoints([[3]])).toEqual({ data: new Float64Array([3]), rows: 1, cols: 1 });
    expect(toPoints([[1], [2], [3]]).rows).toBe(3);
  });
  it("a dimension mismatch names both numbers", () => {
    const e = expectMixdiffError(() => toPoints([[1, 2, 3]], { expectedCols: 2 }), "DIMENSION_MISMATCH", /3/, /2/);
    expect(e.details).toMatchObject({ expected: 2, actual: 3 });
  });
  it("Points whose data length disagrees with rows × cols is an error", () => {
    expectMixdiffError(() => toPoints({ data: new Float64Array(5), rows: 2, cols: 3 }), "DIMENSION_MISMATCH");
  });
});

describe("toPoints: input types (C1)", () => {
  const arrays = [
    [1.5, -2],
    [0, 3.25],
    [7, 8],
  ];
  it("number[][], Points and Matrix give the same batch", () => {
    const a = toPoints(arrays);
    expect(toPoints(new Matrix(arrays))).toEqual(a);
    expect(toPoints({ data: Float64Array.from(arrays.flat()), rows: 3, cols: 2 })).toEqual(a);
  });
  it.each([
    ["a string", [["1", 2]]],
    ["a BigInt", [[1n, 2]]],
    ["null", [[null, 2]]],
    ["a boolean", [[true, 2]]],
  ])("rejects %s with row and column", (_label, x) => {
    const e = expectMixdiffError(() => toPoints(x as unknown as number[][]), "INVALID_INPUT", /row 0, column 0/);
    expect(e.location).toEqual({ row: 0, column: 0 });
  });
  it("rejects ragged rows naming the row", () => {
    const e = expectMixdiffError(() => toPoints([[1, 2], [3], [4, 5]]), "DIMENSION_MISMATCH", /row 1/);
    expect(e.location.row).toBe(1);
  });
  it("rejects Float32Array / Int32Array batches as a typed error (convert with Float64Array.from)", () => {
    for (const data of [new Float32Array(4), new Int32Array(4)]) {
      expectMixdiffError(() => toPoints({ data, rows: 2, cols: 2 } as never), "INVALID_INPUT");
    }
  });
  it("never mutates the caller's arrays (frozen input converts fine)", () => {
    const frozen = Object.freeze(arrays.map((r) => Object.freeze([...r])));
    const before = JSON.stringify(frozen);
    const p = toPoints(frozen);
    p.data[0] = 99;
    expect(JSON.stringify(frozen)).toBe(before);
  });
});

describe("seeds (C3/C6)", () => {
  it.each([-1, 1.5, Number.NaN, 2 ** 53, Infinity])("seed %s is rejected before any work", (s) => {
    expectMixdiffError(() => createRng(s), "INVALID_OPTION", /seed/);
  });
  it("stream keys are derived from the key, not the state", () => {
    const a = createRng(7);
    a.uniform();
    a.normal();
    expect(a.stream(3).uniform()).toBe(streamRng(7, 3).uniform());
    expect(a.stream(3).uniform()).not.toBe(a.stream(4).uniform());
  });
  it("MixdiffError carries code, location and details", () => {
    const e = new MixdiffError("RESOURCE_LIMIT", "m", { path: "p" }, { bytes: 1 });
    expect([e.code, e.location.path, e.details.bytes, e.name]).toEqual(["RESOURCE_LIMIT", "p", 1, "MixdiffError"]);
  });
});
