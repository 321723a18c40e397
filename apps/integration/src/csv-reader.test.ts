// C1 (CSV): the CLI's CSV reader (`apps/cli/src/csv.ts`, used by every command that reads data).
// Table-driven cases from RELIABILITY.md C1 plus fast-check properties: random, mutated and truncated
// inputs end either in a finite batch or in a typed input error "<file>:<line>:<col>: …" (exit code 3).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCsv, parseCsv, parseNumberToken } from "../../cli/src/csv";
import { CliError, EXIT } from "../../cli/src/exit-codes";

/** Parses; returns the table or the CliError. Anything else (a bare SyntaxError, TypeError …) fails the test. */
function tryParse(text: string, expectedCols?: number, maxAbs?: number) {
  try {
    return { ok: true as const, table: parseCsv(text, "in.csv", { expectedCols, maxAbs }) };
  } catch (e) {
    if (e instanceof CliError) return { ok: false as const, error: e };
    throw new Error(`untyped error escaped parseCsv: ${e instanceof Error ? `${e.name}: ${e.message}` : e}`);
  }
}

function expectInputError(text: string, ...patterns: RegExp[]) {
  const r = tryParse(text);
  if (r.ok) throw new Error(`expected an input error for ${JSON.stringify(text.slice(0, 60))}`);
  expect(r.error.exitCode).toBe(EXIT.input);
  expect(r.error.message).toMatch(/^in\.csv:\d+:\d+: /);
  for (const p of patterns) expect(r.error.message).toMatch(p);
  return r.error;
}

describe("CSV: malformed lines (C1)", () => {
  it("wrong field count on line j reports file:line and expected vs got", () => {
    expectInputError("x,y\n1,2\n3,4\n5\n", /^in\.csv:4:1: /, /expected 2 fields/, /got 1/);
  });
  it("a trailing delimiter is a field-count error with a hint", () => {
    expectInputError("1,2\n3,4,\n", /^in\.csv:2:/, /trailing delimiter/);
  });
  it("empty lines are skipped in the body and before the header", () => {
    const r = tryParse("\nx,y\n\n1,2\n\n3,4\n\n");
    expect(r.ok && Array.from(r.table.points.data)).toEqual([1, 2, 3, 4]);
  });
  it("only a header is an error", () => {
    expectInputError("x,y\n", /after the header/);
  });
  it.each([
    ["zero bytes", ""],
    ["whitespace only", "   \n \n"],
    ["only comments", "# a\n# b\n"],
  ])("%s is an error", (_l, text) => {
    expectInputError(text, /no records|expected/);
  });
  it("CRLF endings, a UTF-8 BOM, quoted numbers and surrounding spaces are accepted", () => {
    const r = tryParse('\uFEFFx,y\r\n"1.5", -2\r\n 3 ,"4e1"\r\n');
    expect(r.ok && Array.from(r.table.points.data)).toEqual([1.5, -2, 3, 40]);
    expect(r.ok && r.table.header).toEqual(["x", "y"]);
  });
  it.each([
    ["tab", "1\t2\n3\t4\n"],
    ["semicolon", "1;2\n3;4\n"],
  ])("%s delimiters when comma is expected are rejected with a hint", (_l, text) => {
    expectInputError(text, /delimiter must be a comma/);
  });
  it("expected column count (model dimension) mismatch names both numbers", () => {
    const r = tryParse("1,2,3\n", 2);
    expect(!r.ok && r.error.message).toMatch(/expected 2 columns.*got 3/);
  });
});

describe("CSV: JavaScript number-parsing traps are rejected, not converted (C1)", () => {
  it.each([
    ["1abc", /decimal number/],
    ["", /decimal number/],
    [" ", /decimal number/],
    ["0x10", /decimal number/],
    ["1_000", /decimal number/],
    ["1e400", /finite/],
    ["-1e400", /finite/],
    ["NaN", /finite/],
    ["nan", /finite/],
    ["Inf", /finite/],
    ["-Infinity", /finite/],
    ["true", /decimal number/],
    ["1.2.3", /decimal number/],
    ["--1", /decimal number/],
  ])("field %j in row 2, column 2", (tok, pattern) => {
    const e = expectInputError(`a,b\n1,2\n3,${/^\s*$/.test(tok) || tok === "" ? `"${tok}"` : tok}\n`, pattern);
    expect(e.message).toMatch(/^in\.csv:3:3: /);
  });
  it('decimal comma "1,5" is never read as 1.5', () => {
    // Unquoted it is two fields (a field-count error); quoted it is a non-number.
    expectInputError("a\n1\n1,5\n", /expected 1 fields/);
    expectInputError('a\n1\n"1,5"\n', /decimal number/);
  });
  it("non-finite only in the last row, only in one column, names row and column", () => {
    const e = expectInputError("1,2,3\n4,5,6\n7,8,nan\n", /row 3, column 3/);
    expect(e.message).toMatch(/^in\.csv:3:5: /);
  });
});

// Strict decimal grammar (the reader's documented rule), written independently of the implementation.
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

describe("CSV: property-based (fast-check) (C1)", () => {
  it("parseNumberToken accepts exactly finite decimals and never coerces junk", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const v = parseNumberToken(s);
        if (DECIMAL.test(s)) {
          expect(v).toBe(Number(s.trim()));
        } else if (v !== null) {
          // Only the documented non-finite spellings may parse to something other than a decimal.
          expect(Number.isFinite(v)).toBe(false);
          expect(s.trim()).toMatch(/^[+-]?(nan|inf|infinity)$/i);
        }
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it("formatted batches round-trip bit-exactly (including -0 and subnormals)", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(finite, { minLength: 30, maxLength: 30 }),
        (rows, cols, pool) => {
          const data = Float64Array.from({ length: rows * cols }, (_, i) => pool[i % pool.length]!);
          const text = formatCsv({ data, rows, cols }, { header: Array.from({ length: cols }, (_, j) => `c${j}`) });
          const r = tryParse(text, undefined, Infinity); // every finite double (the CLI's default bound is 1e150)
          expect(r.ok).toBe(true);
          if (r.ok) {
            expect(r.table.points.rows).toBe(rows);
            for (let i = 0; i < data.length; i++) expect(Object.is(r.table.points.data[i], data[i])).toBe(true);
          }
        },
      ),
      { seed: 12, numRuns: 300 },
    );
  });

  const validCsv = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.boolean())
    .chain(([rows, cols, header]) =>
      fc
        .array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
          minLength: rows * cols,
          maxLength: rows * cols,
        })
        .map((vals) => {
          const lines = header ? [Array.from({ length: cols }, (_, j) => `x${j}`).join(",")] : [];
          for (let i = 0; i < rows; i++)
            lines.push(
              vals
                .slice(i * cols, (i + 1) * cols)
                .map(String)
                .join(","),
            );
          return `${lines.join("\n")}\n`;
        }),
    );

  it("every prefix of a valid file parses to finite rows or fails with a typed, located error", () => {
    fc.assert(
      fc.property(validCsv, (text) => {
        for (let k = 0; k <= text.length; k++) {
          const r = tryParse(text.slice(0, k));
          if (r.ok) {
            for (const v of r.table.points.data) expect(Number.isFinite(v)).toBe(true);
          } else {
            expect(r.error.exitCode).toBe(EXIT.input);
            expect(r.error.message).toMatch(/^in\.csv:\d+:\d+: /);
          }
        }
      }),
      { seed: 13, numRuns: 60 },
    );
  });

  it("random mutations of a valid file never escape as an untyped error", () => {
    const junk = fc.constantFrom(
      ",",
      "\n",
      "\r",
      '"',
      " ",
      "\t",
      ";",
      "x",
      "e",
      ".",
      "-",
      "#",
      "\uFEFF",
      "\u0000",
      "1e999",
      "NaN",
    );
    fc.assert(
      fc.property(
        validCsv,
        fc.array(fc.tuple(fc.nat(), junk, fc.boolean()), { minLength: 1, maxLength: 4 }),
        (text, muts) => {
          let s = text;
          for (const [pos, ch, replace] of muts) {
            const at = pos % (s.length + 1);
            s = s.slice(0, at) + ch + s.slice(at + (replace ? 1 : 0));
          }
          const r = tryParse(s);
          if (r.ok) {
            for (const v of r.table.points.data) expect(Number.isFinite(v)).toBe(true);
            expect(r.table.points.data.length).toBe(r.table.points.rows * r.table.points.cols);
          } else {
            expect(r.error.message).toMatch(/^in\.csv:\d+:\d+: /);
          }
        },
      ),
      { seed: 14, numRuns: 1500 },
    );
  });

  it("arbitrary text (including binary) never escapes as an untyped error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 })), (s) => {
        const r = tryParse(s);
        if (!r.ok) expect(r.error.message).toMatch(/^in\.csv:\d+:\d+: /);
      }),
      { seed: 15, numRuns: 1500 },
    );
  });
});
