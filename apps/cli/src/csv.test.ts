import { describe, expect, it } from "vitest";
import { formatCsv, formatNumber, parseCsv, parseNumberToken } from "./csv.js";
import { CliError, EXIT } from "./exit-codes.js";

function fails(text: string, pattern: RegExp, opts: { expectedCols?: number } = {}) {
  let err: unknown;
  try {
    parseCsv(text, "in.csv", opts);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(EXIT.input);
  expect((err as CliError).message).toMatch(pattern);
  expect((err as CliError).message).not.toContain("\n");
}

describe("parseNumberToken", () => {
  it.each([
    ["1", 1],
    ["-2.5", -2.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e-3", 0.001],
    ["+3E2", 300],
    [" 7 ", 7],
  ])("accepts %j", (s, v) => expect(parseNumberToken(s)).toBe(v));

  // JavaScript number-parsing traps (RELIABILITY C1): each must be rejected, not converted.
  it.each(["", " ", "0x10", "1_000", "1abc", "1,5", "abc", "1e", "--1", "0b1", "1.2.3"])("rejects %j", (s) =>
    expect(parseNumberToken(s)).toBeNull(),
  );

  it.each([
    ["NaN", Number.NaN],
    ["nan", Number.NaN],
    ["Inf", Infinity],
    ["-Infinity", -Infinity],
    ["1e400", Infinity],
  ])("recognises the non-finite token %j (rejected later with its location)", (s, v) =>
    expect(parseNumberToken(s)).toBe(v),
  );
});

describe("parseCsv", () => {
  it("reads data with and without a header, CRLF, BOM, comments, quotes and blank lines", () => {
    const a = parseCsv("x1,x2\n1,2\n3,4\n", "a.csv");
    expect(a.header).toEqual(["x1", "x2"]);
    expect(Array.from(a.points.data)).toEqual([1, 2, 3, 4]);
    const b = parseCsv('\uFEFF# comment\r\n1,2\r\n\r\n"3", 4 \r\n', "b.csv");
    expect(b.header).toBeNull();
    expect(b.points.rows).toBe(2);
    expect(Array.from(b.points.data)).toEqual([1, 2, 3, 4]);
    expect(parseCsv("5", "c.csv").points.cols).toBe(1);
  });

  it("reads back every double bit-exactly after formatCsv", () => {
    const vals = [0.1, 1 / 3, -1e-300, 5e-324, 1.7976931348623157e308, -0, 123456789.12345679, Math.PI];
    const p = { data: new Float64Array(vals), rows: vals.length, cols: 1 };
    const back = parseCsv(formatCsv(p, { header: ["v"], comments: ["test"] }), "r.csv", { maxAbs: Infinity }).points;
    for (let i = 0; i < vals.length; i++) expect(Object.is(back.data[i], vals[i])).toBe(true);
    expect(formatNumber(-0)).toBe("-0");
  });

  it.each([
    ["", /in\.csv:1:1: .*no records/],
    ["   \n  \n", /in\.csv:1:1: expected a decimal number in field 1; got " {3}"/],
    ["a,b\n", /in\.csv:2:1: expected data rows after the header; got none/],
    ["1,2\n3\n", /in\.csv:2:1: expected 2 fields \(as in the first row\); got 1/],
    ["a,b\n1,2\n3,4,5\n", /in\.csv:3:1: expected 2 fields \(as in the header\); got 3/],
    ["1,2\n3,4,\n", /in\.csv:2:1: expected 2 fields .*got 3 \(trailing delimiter\?\)/],
    ["1;2\n3;4\n", /in\.csv:1:1: expected a decimal number in field 1; got "1;2" \(the delimiter must be a comma\)/],
    ["1\t2\n", /delimiter must be a comma/],
    ["1,2\n3,1abc\n", /in\.csv:2:3: expected a decimal number in field 2; got "1abc"/],
    ["1,2\n0x10,1\n", /in\.csv:2:1: expected a decimal number in field 1; got "0x10"/],
    ["1,2\n1_000,1\n", /got "1_000"/],
    ["1,2\n,1\n", /in\.csv:2:1: expected a decimal number in field 1; got ""/],
    ["x,y\n1,2\n3,NaN\n", /in\.csv:3:3: field 2 is "NaN" \(row 2, column 2\); all values must be finite/],
    ["1,2\n3,4\n5,1e400\n", /in\.csv:3:3: field 2 is "1e400" \(row 3, column 2\)/],
    ["1,-Infinity\n", /in\.csv:1:3: field 2 is "-Infinity"/],
    ["1,2\n\n\n3,inf\n", /in\.csv:4:3: field 2 is "inf"/],
    ['1,2\n"3\n",4\n5,x\n', /in\.csv:4:3: expected a decimal number in field 2; got "x"/],
    ['1,"2\n', /in\.csv:1:1: malformed CSV/],
  ])("rejects %j with file:line:column", (text, pattern) => fails(text, pattern));

  it("checks the expected number of columns", () => {
    fails("1,2,3\n", /in\.csv:1:1: expected 2 columns \(the model's dimension\); got 3/, { expectedCols: 2 });
  });

  it("handles a 10 MB single line quickly and reports it as one bad field", () => {
    fails(
      `${"1".repeat(10_000_000)}\n`,
      /in\.csv:1:1: field 1 is "1{30}…" \(row 1, column 1\); all values must be finite/,
    );
    fails(`1,2\n0.${"9".repeat(10_000_000)},x\n`, /in\.csv:2:10000004: expected a decimal number in field 2; got "x"/);
  });
});

describe("formatCsv", () => {
  it("writes comments, header, rows and an extra label column", () => {
    const p = { data: new Float64Array([1, 2.5, -3, 4]), rows: 2, cols: 2 };
    expect(formatCsv(p, { header: ["x1", "x2"], comments: ["a\nb"], extra: { name: "label", values: [0, 2] } })).toBe(
      "# a b\nx1,x2,label\n1,2.5,0\n-3,4,2\n",
    );
    expect(formatCsv(p)).toBe("1,2.5\n-3,4\n");
  });

  it("writes nothing for no comment, no header and no rows (a --no-header file must not start with a blank line)", () => {
    const none = { data: new Float64Array(0), rows: 0, cols: 2 };
    expect(formatCsv(none)).toBe("");
    expect(formatCsv(none, { header: ["x1", "x2"] })).toBe("x1,x2\n");
  });
});
