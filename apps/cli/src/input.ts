import { randomInt } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Seed } from "@mixdiff/core";
import { type CsvTable, parseCsv } from "./csv.js";
import { CliError } from "./exit-codes.js";

/** Largest input file the CLI reads into memory (1 GiB); larger files are refused with exit code 4. */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

let stdinUsed = false;

/** Reads a whole text file (`-` = stdin, once). Missing/unreadable files are input errors naming the path. */
export function readText(path: string): string {
  if (path === "-") {
    if (stdinUsed) throw new CliError("usage", "stdin (-) can be used for only one input");
    stdinUsed = true;
    try {
      return readFileSync(0, "utf8");
    } catch (e) {
      throw new CliError("input", `cannot read stdin: ${(e as Error).message}`);
    }
  }
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliError("input", `${path}: is a directory, expected a file`);
    if (st.size > MAX_INPUT_BYTES) {
      throw new CliError("resource", `${path}: ${st.size} bytes exceeds the input limit of ${MAX_INPUT_BYTES} bytes`);
    }
    return readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EACCES" ? "permission denied" : err.message;
    throw new CliError("input", `cannot read ${path}: ${why}`);
  }
}

/** Display name of an input path in messages. */
export function displayName(path: string): string {
  return path === "-" ? "<stdin>" : path;
}

/** Reads and parses a numeric CSV file (see {@link parseCsv} for the rules). */
export function readCsvFile(path: string, opts: { expectedCols?: number; what?: string } = {}): CsvTable {
  return parseCsv(readText(path), displayName(path), opts);
}

/** Line and column (1-based) of character offset `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: pos - last };
}

/**
 * Parses JSON text; a syntax error becomes `<file>:<line>:<column>: invalid JSON (...)`, and an
 * empty or truncated document says so.
 */
export function parseJsonText(text: string, file: string, what = "JSON"): unknown {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw new CliError("input", `${file}:1:1: expected ${what}; the file is empty`);
  try {
    return JSON.parse(body);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const endOfInput = /end of (JSON|data) input|Unterminated/i.test(msg);
    // Some V8 messages give no position: then the location is only known for end-of-input errors.
    const pos = m ? Number(m[1]) : endOfInput ? body.length : 0;
    const { line, column } = lineColumn(body, pos);
    // A syntax error at or near the end of the text means the file was cut short.
    const nearEnd = m !== null && body.trimEnd().length - pos <= 2;
    const truncated = nearEnd || endOfInput ? "truncated or corrupt; " : "";
    throw new CliError("input", `${file}:${line}:${column}: expected ${what}; ${truncated}invalid JSON (${msg})`);
  }
}

/** Reads and parses a JSON file. */
export function readJsonFile(path: string, what = "JSON"): unknown {
  return parseJsonText(readText(path), displayName(path), what);
}

/**
 * Resolves `--seed`: a non-negative safe integer (digits) or a string (no `/`). When absent, a seed is
 * drawn from the OS (`crypto.randomInt`) and reported, so the run can be repeated.
 */
export function resolveSeed(raw: string | undefined): { seed: Seed; drawn: boolean } {
  if (raw === undefined) return { seed: randomInt(0, 2 ** 31 - 1), drawn: true };
  const s = raw.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new CliError("usage", `--seed ${raw}: integer seeds must be ≤ 2^53 − 1`);
    return { seed: n, drawn: false };
  }
  if (s.length === 0 || s.includes("/")) {
    throw new CliError(
      "usage",
      `--seed ${JSON.stringify(raw)}: expected a non-negative integer or a non-empty string without "/"`,
    );
  }
  return { seed: s, drawn: false };
}

/** Parses a positive integer option value strictly (commander gives strings). */
export function parseIntOption(flag: string, raw: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const s = raw.trim();
  if (!/^[+]?\d+$/.test(s)) throw new CliError("usage", `${flag} ${JSON.stringify(raw)}: expected an integer ≥ ${min}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError("usage", `${flag} ${raw}: expected an integer in [${min}, ${max}]`);
  }
  return n;
}

/** Parses a finite number option strictly. */
export function parseNumberOption(
  flag: string,
  raw: string,
  opts: { min?: number; exclusiveMin?: boolean } = {},
): number {
  const s = raw.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) {
    throw new CliError("usage", `${flag} ${JSON.stringify(raw)}: expected a finite decimal number`);
  }
  const v = Number(s);
  const min = opts.min ?? -Infinity;
  if (!Number.isFinite(v) || (opts.exclusiveMin ? v <= min : v < min)) {
    throw new CliError("usage", `${flag} ${raw}: expected a finite number ${opts.exclusiveMin ? ">" : "≥"} ${min}`);
  }
  return v;
}
