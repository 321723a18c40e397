import { describe, expect, it } from "vitest";
import { CliError } from "./exit-codes.js";
import { findLabelColumn, lineColumn, parseIntOption, parseJsonText, parseNumberOption, resolveSeed } from "./input.js";

describe("resolveSeed", () => {
  it("parses integers and strings; draws and reports one when absent", () => {
    expect(resolveSeed("42")).toEqual({ seed: 42, drawn: false });
    expect(resolveSeed("demo")).toEqual({ seed: "demo", drawn: false });
    const d = resolveSeed(undefined);
    expect(d.drawn).toBe(true);
    expect(Number.isSafeInteger(d.seed)).toBe(true);
  });
  it.each(["", "a/b", "99999999999999999999"])("rejects %j as a usage error", (s) => {
    expect(() => resolveSeed(s)).toThrow(CliError);
  });
});

describe("option parsers", () => {
  it.each(["1.5", "abc", "", "0x10", "1e3", "-1"])("parseIntOption rejects %j", (s) =>
    expect(() => parseIntOption("--n", s)).toThrow(/--n/),
  );
  it("parseIntOption accepts integers in range", () => expect(parseIntOption("--n", "12", 1, 20)).toBe(12));
  it.each(["NaN", "Infinity", "1e400", "1,5", " "])("parseNumberOption rejects %j", (s) =>
    expect(() => parseNumberOption("--t", s)).toThrow(/--t/),
  );
  it("parseNumberOption checks the bound", () => {
    expect(parseNumberOption("--t", "0", { min: 0 })).toBe(0);
    expect(() => parseNumberOption("--t", "0", { min: 0, exclusiveMin: true })).toThrow(/> 0/);
  });
});

describe("parseJsonText", () => {
  it("reports line and column of a syntax error", () => {
    expect(() => parseJsonText('{\n  "a": 1,\n  "b": 2x\n}', "m.json")).toThrow(
      /^m\.json:3:9: expected JSON; invalid JSON/,
    );
  });
  it("says truncated for a cut-off document and empty for zero bytes", () => {
    expect(() => parseJsonText('{"a": [1, 2', "m.json")).toThrow(/truncated or corrupt/);
    expect(() => parseJsonText("  \n", "m.json")).toThrow(/m\.json:1:1: .*the file is empty/);
  });
  it("accepts a BOM", () => expect(parseJsonText('\uFEFF{"a":1}', "m.json")).toEqual({ a: 1 }));
  it("lineColumn counts from 1", () => expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 }));
});

describe("findLabelColumn", () => {
  /** A table of `rows` rows: two coordinates (fractional unless `whole`) and a last column from `last(i)`. */
  const table = (rows: number, last: (i: number) => number, header: string[] | null = null, whole = false) => {
    const data = new Float64Array(rows * 3);
    for (let i = 0; i < rows; i++) {
      data[3 * i] = whole ? i : i + 0.25;
      data[3 * i + 1] = whole ? -i : -i - 0.5;
      data[3 * i + 2] = last(i);
    }
    return { points: { data, rows, cols: 3 }, header };
  };
  it.each([
    [["x1", "x2", "label"], 2],
    [["Class", "x1", "x2"], 0],
    [[" target ", "x1", "x2"], 0],
    [["x1", "x2", "x3"], undefined],
  ] as const)("by header name: %j → %s", (header, expected) => {
    expect(findLabelColumn(table(5, () => 1.5, [...header]))).toBe(expected);
  });
  it("without a header: a last column of few small whole numbers next to fractional coordinates", () => {
    expect(findLabelColumn(table(100, (i) => i % 3))).toBe(2);
  });
  it.each([
    ["fewer than 20 rows (too little evidence)", table(19, (i) => i % 3)],
    ["a single value (a constant column is data)", table(100, () => 2)],
    ["more than 64 distinct values", table(100, (i) => i)],
    ["a fraction in the last column", table(100, (i) => (i === 50 ? 0.5 : i % 3))],
    ["negative values", table(100, (i) => (i % 3) - 1)],
    ["whole-number coordinates too (a lattice, counts: no sign it is a label)", table(100, (i) => i % 3, null, true)],
  ])("without a header, not flagged: %s", (_, t) => {
    expect(findLabelColumn(t)).toBeUndefined();
  });
});
