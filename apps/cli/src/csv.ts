import type { Points } from "@mixdiff/core";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { CliError } from "./exit-codes.js";

/** A parsed numeric CSV: the points and the header names (when the first line was a header). */
export interface CsvTable {
  readonly points: Points;
  readonly header: readonly string[] | null;
}

// A plain decimal number: optional sign, digits with an optional fraction (or a leading dot), optional exponent.
// Rejects what Number()/parseFloat() would silently accept: "", " ", "0x10", "1_000", "1abc", "1,5", "Infinity".
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Accepted spellings of non-finite values: parsed so the error can say "non-finite" with row and column.
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
/** Longest accepted CSV record (line), in bytes. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Parses one CSV field strictly; returns `null` when it is not a number token. */
export function parseNumberToken(field: string): number | null {
  const s = field.trim();
  if (DECIMAL.test(s)) return Number(s);
  if (NON_FINITE.test(s)) {
    const neg = s.startsWith("-");
    return /nan/i.test(s) ? Number.NaN : neg ? -Infinity : Infinity;
  }
  return null;
}

/** 1-based character column where field `j` starts in the raw record text (quotes respected). */
function fieldColumn(raw: string, j: number): number {
  let field = 0;
  let inQuotes = false;
  for (let i = 0; i < raw.length; i++) {
    if (field === j) return i + 1;
    const c = raw[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === "," && !inQuotes) field++;
  }
  return raw.length + 1;
}

function excerpt(s: string): string {
  return JSON.stringify(s.length > 30 ? `${s.slice(0, 30)}…` : s);
}

/**
 * Parses numeric CSV text. Rules (documented in the README):
 * - comma delimiter; optional header line (detected when the first record has a non-numeric field);
 * - lines starting with `#` are comments; empty lines are skipped; CRLF and a UTF-8 BOM are accepted;
 *   fields may be quoted and surrounded by spaces;
 * - every record must have the same number of fields as the first one;
 * - a field must be a plain decimal number (`1`, `-2.5`, `.5`, `1e-3`); `0x10`, `1_000`, `1,5`, `1abc`, empty
 *   fields are rejected; `NaN`, `Inf`, `-Infinity` are recognised and rejected as non-finite, and so is an
 *   overflowing literal such as `1e400`.
 * Errors are `CliError("input")` with message `<file>:<line>:<column>: <what was expected>`.
 */
export function parseCsv(text: string, file: string, opts: { expectedCols?: number; what?: string } = {}): CsvTable {
  const what = opts.what ?? "data";
  type Rec = { record: string[]; info: { lines: number } };
  let records: Rec[];
  try {
    records = parse(text, {
      bom: true,
      comment: "#",
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      max_record_size: MAX_RECORD_BYTES,
      info: true,
    }) as unknown as Rec[];
  } catch (e) {
    const err = e as { message?: string; lines?: number; code?: string };
    const line = err.lines ?? 1;
    const why =
      err.code === "CSV_MAX_RECORD_SIZE"
        ? `a record is longer than ${MAX_RECORD_BYTES} bytes`
        : `${err.code ?? "parse error"}: ${err.message ?? e}`;
    throw new CliError("input", `${file}:${line}:1: malformed CSV (${why})`);
  }
  // `info.lines` is the line where a record ends; the record starts `inner` lines earlier, where
  // `inner` counts newlines inside quoted fields. The raw text of a line is only looked up for errors.
  const innerNewlines = (r: Rec) => r.record.reduce((n, f) => n + (f.match(/\n/g) ?? []).length, 0);
  const lineOf = (r: Rec) => r.info.lines - innerNewlines(r);
  let lines: string[] | null = null;
  const rawOf = (r: Rec) => {
    lines ??= text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
    const start = lineOf(r) - 1;
    return lines.slice(start, start + 1 + innerNewlines(r)).join("\n");
  };
  if (records.length === 0) {
    throw new CliError("input", `${file}:1:1: expected ${what} (comma-separated numbers); the file has no records`);
  }
  let header: string[] | null = null;
  let start = 0;
  const first = records[0]!;
  // A header: some field is not a number, every field is a non-empty name, and it is not one
  // field that merely hides another delimiter (`a;b`, `1\t2`).
  const looksLikeHeader =
    first.record.some((f) => parseNumberToken(f) === null) &&
    first.record.every((f) => f.trim() !== "" && !/[;\t]/.test(f));
  if (looksLikeHeader) {
    header = first.record.map((f) => f.trim());
    start = 1;
  }
  const cols = first.record.length;
  if (records.length === start) {
    throw new CliError("input", `${file}:${lineOf(first) + 1}:1: expected ${what} rows after the header; got none`);
  }
  if (opts.expectedCols !== undefined && cols !== opts.expectedCols) {
    throw new CliError(
      "input",
      `${file}:${lineOf(records[start]!)}:1: expected ${opts.expectedCols} columns (the model's dimension); got ${cols}`,
    );
  }
  const rows = records.length - start;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = records[start + i]!;
    const rec = r.record;
    if (rec.length !== cols) {
      const raw = rawOf(r);
      const hint = rec.length === 1 && /[;\t]/.test(raw) ? " (the delimiter must be a comma)" : "";
      const trailing = rec.length === cols + 1 && rec[cols]!.trim() === "" ? " (trailing delimiter?)" : "";
      throw new CliError(
        "input",
        `${file}:${lineOf(r)}:1: expected ${cols} fields (as in ${header ? "the header" : "the first row"}); got ${rec.length}${hint}${trailing}`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const f = rec[j]!;
      const v = parseNumberToken(f);
      if (v === null) {
        const col = fieldColumn(rawOf(r), j);
        const hint = /[;\t]/.test(f) ? " (the delimiter must be a comma)" : "";
        throw new CliError(
          "input",
          `${file}:${lineOf(r)}:${col}: expected a decimal number in field ${j + 1}; got ${excerpt(f)}${hint}`,
        );
      }
      if (!Number.isFinite(v)) {
        const col = fieldColumn(rawOf(r), j);
        throw new CliError(
          "input",
          `${file}:${lineOf(r)}:${col}: field ${j + 1} is ${excerpt(f.trim())} (row ${i + 1}, column ${j + 1}); all values must be finite`,
        );
      }
      data[i * cols + j] = v;
    }
  }
  return { points: { data, rows, cols }, header };
}

/** Shortest round-trip text for a double (`String(x)`), so files read back bit-exact; `-0` stays `-0`. */
export function formatNumber(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/**
 * Formats points as CSV: optional `# comment` lines, an optional header, one row per point, numbers via
 * {@link formatNumber}. Extra integer columns (e.g. component labels) can be appended with `extra`.
 */
export function formatCsv(
  points: Points,
  opts: {
    header?: readonly string[];
    comments?: readonly string[];
    extra?: { name: string; values: ArrayLike<number> };
  } = {},
): string {
  const { rows, cols, data } = points;
  const lines: string[] = [];
  for (const c of opts.comments ?? []) lines.push(`# ${c.replace(/[\r\n]+/g, " ")}`);
  const header = opts.header ? [...opts.header] : null;
  if (header && opts.extra) header.push(opts.extra.name);
  if (header) lines.push(stringify([header]).replace(/\n$/, ""));
  const parts = new Array<string>(cols + (opts.extra ? 1 : 0));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) parts[j] = formatNumber(data[i * cols + j]!);
    if (opts.extra) parts[cols] = formatNumber(opts.extra.values[i]!);
    lines.push(parts.join(","));
  }
  return lines.join("\n") + "\n";
}

/** Default header names `x1, …, xd`. */
export function defaultHeader(cols: number, prefix = "x"): string[] {
  return Array.from({ length: cols }, (_, j) => `${prefix}${j + 1}`);
}
