import { randomInt } from "node:crypto";
import { open, stat } from "node:fs/promises";
import type { Seed } from "@mixdiff/core";
import { createPoints, type Points } from "@mixdiff/core";
import { CsvReader, type CsvReadOptions, type CsvTable } from "./csv.js";
import { CliError } from "./exit-codes.js";

/**
 * Largest CSV input the CLI reads (1 GiB, also on stdin); larger inputs are refused with exit code 4. The file is
 * streamed into doubles (see `CsvReader`), never held as one string, and at most `MAX_INPUT_VALUES` (2^27) values
 * are kept.
 */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;
/** Largest JSON input (model file or spec) the CLI reads: 256 MiB, half of V8's longest string. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** Bytes read per chunk. */
const READ_CHUNK = 1 << 20;

let stdinUsed = false;

/**
 * Refuses, before any input is read, a command line that names stdin (`-`) for more than one input: stdin can be
 * read once. `inputs` are `[label, path]` pairs, e.g. `[["<model>", model], ["--points", points]]`.
 */
export function claimStdin(inputs: readonly (readonly [string, string | undefined])[]): void {
  const dash = inputs.filter(([, p]) => p === "-").map(([label]) => label);
  if (dash.length > 1) {
    throw new CliError("usage", `stdin (-) can be used for only one input; got it for ${dash.join(" and ")}`);
  }
}

function readError(path: string, e: unknown): CliError {
  if (e instanceof CliError) return e;
  const err = e as NodeJS.ErrnoException;
  const why = err.code === "ENOENT" ? "no such file" : err.code === "EACCES" ? "permission denied" : err.message;
  return new CliError("input", `cannot read ${path}: ${why}`);
}

/**
 * Streams an input (`-` = stdin, once) chunk by chunk into `onChunk`, asynchronously: between chunks the event loop
 * runs, so Ctrl-C / SIGTERM are handled while a large file or a slow pipe is read. Refuses a directory (input
 * error) and more than `limit` bytes (resource refusal, exit 4: checked from the size before reading a file, and
 * while reading stdin).
 */
export async function streamInput(path: string, limit: number, onChunk: (chunk: Buffer) => void): Promise<void> {
  if (path === "-") {
    if (stdinUsed) throw new CliError("usage", "stdin (-) can be used for only one input");
    stdinUsed = true;
    let total = 0;
    try {
      for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limit) throw new CliError("resource", `<stdin>: more than ${limit} bytes, the input limit`);
        onChunk(chunk);
      }
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError("input", `cannot read stdin: ${(e as Error).message}`);
    }
    return;
  }
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new CliError("input", `${path}: is a directory, expected a file`);
    if (st.size > limit) {
      throw new CliError("resource", `${path}: ${st.size} bytes exceeds the input limit of ${limit} bytes`);
    }
    fh = await open(path, "r");
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw new CliError("resource", `${path}: more than ${limit} bytes, the input limit`);
      onChunk(buf.subarray(0, bytesRead));
    }
  } catch (e) {
    throw readError(path, e);
  } finally {
    await fh?.close();
  }
}

/** Reads a whole text input (`-` = stdin, once), up to {@link MAX_JSON_BYTES}. */
export async function readText(path: string): Promise<string> {
  const parts: Buffer[] = [];
  await streamInput(path, MAX_JSON_BYTES, (c) => parts.push(Buffer.from(c)));
  return Buffer.concat(parts).toString("utf8");
}

/** Display name of an input path in messages. */
export function displayName(path: string): string {
  return path === "-" ? "<stdin>" : path;
}

/**
 * Reads and parses a numeric CSV input (see `parseCsv` for the rules), streamed: the text is never held whole.
 * `-` reads stdin. Errors name the file, line and column.
 */
export async function readCsvFile(path: string, opts: CsvReadOptions = {}): Promise<CsvTable> {
  const reader = new CsvReader(displayName(path), opts);
  await streamInput(path, MAX_INPUT_BYTES, (chunk) => reader.push(chunk));
  return reader.end();
}

/** Header names that mark a label column (case-insensitive): what `generate --labels` writes, and common others. */
const LABEL_NAMES = new Set(["label", "labels", "class", "component", "cluster", "target"]);

/**
 * A label column that would silently be fitted as a coordinate (internal helper of {@link readDataCsv}): a header
 * column named like a label, or — without a header — a last column of few small non-negative integers while another
 * column holds fractions (data of `X = μ + σ0·ξ` are never integers: P0 has a density). Returns its 0-based index.
 */
export function findLabelColumn(t: CsvTable): number | undefined {
  const { points: p, header } = t;
  if (header) {
    const j = header.findIndex((h) => LABEL_NAMES.has(h.trim().toLowerCase()));
    return j < 0 ? undefined : j;
  }
  if (p.cols < 2 || p.rows < 20) return undefined;
  const last = p.cols - 1;
  const values = new Set<number>();
  let fractions = false;
  for (let i = 0; i < p.rows; i++) {
    const v = p.data[i * p.cols + last]!;
    if (!(Number.isInteger(v) && v >= 0 && v < 1000)) return undefined;
    values.add(v);
    if (values.size > 64) return undefined;
    for (let j = 0; j < last && !fractions; j++) fractions = !Number.isInteger(p.data[i * p.cols + j]!);
  }
  return values.size >= 2 && fractions ? last : undefined;
}

/** `points` without column `j`. */
function dropColumn(p: Points, j: number): Points {
  const out = createPoints(p.rows, p.cols - 1);
  for (let i = 0; i < p.rows; i++) {
    for (let c = 0, o = 0; c < p.cols; c++) if (c !== j) out.data[i * (p.cols - 1) + o++] = p.data[i * p.cols + c]!;
  }
  return out;
}

/**
 * Reads data rows (training data, samples, held-out points) like {@link readCsvFile}, and deals with a label column
 * instead of treating it as a coordinate: `labelColumn` (`--label-column`) names one to drop — a header name or a
 * 1-based column number — or is `"none"` (keep every column); without it, a column that looks like labels (see
 * {@link findLabelColumn}) is refused as an input error naming it and the fix. `expectedCols` is checked after the
 * drop. Returns the table and the dropped column's name.
 */
export async function readDataCsv(
  path: string,
  opts: {
    what: string;
    labelColumn?: string;
    expectedCols?: number;
    expectedWhat?: string;
    /** A `labelColumn` name this file's header does not have leaves the file as it is (for commands reading several files). */
    lenient?: boolean;
  },
): Promise<CsvTable & { dropped?: string }> {
  const file = displayName(path);
  const t = await readCsvFile(path, { what: opts.what });
  const flag = opts.labelColumn?.trim();
  let drop: number | undefined;
  if (flag !== undefined && flag.toLowerCase() !== "none") {
    const byName = t.header?.indexOf(flag) ?? -1;
    const byNumber = /^\d+$/.test(flag) ? Number(flag) - 1 : -1;
    drop = byName >= 0 ? byName : byNumber >= 0 && byNumber < t.points.cols ? byNumber : undefined;
    if (drop === undefined && !(opts.lenient && byNumber < 0)) {
      throw new CliError(
        "usage",
        `--label-column ${flag}: ${file} has no such column (${t.header ? `header: ${t.header.join(", ")}` : "no header"}; columns 1..${t.points.cols})`,
      );
    }
    if (drop !== undefined && t.points.cols < 2) {
      throw new CliError("input", `${file}: dropping the label column leaves no data column`);
    }
  } else if (flag === undefined) {
    const j = findLabelColumn(t);
    if (j !== undefined) {
      const name = t.header ? `"${t.header[j]}"` : `${j + 1} (no header; it holds only small whole numbers)`;
      throw new CliError(
        "input",
        `${file}: column ${t.header ? `${j + 1} ${name}` : name} looks like a label column (e.g. from \`generate --labels\`), not a coordinate; drop it with --label-column ${t.header ? t.header[j] : j + 1}, or pass --label-column none to use every column`,
      );
    }
  }
  const points = drop === undefined ? t.points : dropColumn(t.points, drop);
  const header = drop === undefined || !t.header ? t.header : t.header.filter((_, c) => c !== drop);
  if (opts.expectedCols !== undefined && points.cols !== opts.expectedCols) {
    throw new CliError(
      "input",
      `${file}: expected ${opts.expectedCols} columns (${opts.expectedWhat ?? "the model's dimension"}); got ${points.cols}`,
    );
  }
  const dropped = drop === undefined ? undefined : (t.header?.[drop] ?? `column ${drop + 1}`);
  return { points, header, ...(dropped !== undefined && { dropped }) };
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

/** Reads and parses a JSON file (`-` = stdin). */
export async function readJsonFile(path: string, what = "JSON"): Promise<unknown> {
  return parseJsonText(await readText(path), displayName(path), what);
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
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
  if (!/^[+]?\d+$/.test(s)) {
    // `1e12` is an integer too, but written so that its size is easy to misread: name the limit it breaks
    const v = /^[+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s) ? Number(s) : Number.NaN;
    if (Number.isInteger(v) && v > max) {
      throw new CliError("usage", `${flag} ${raw}: ${v} is above the limit of ${max} (expected an integer ${range})`);
    }
    throw new CliError("usage", `${flag} ${JSON.stringify(raw)}: expected an integer ${range}, written in digits`);
  }
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError("usage", `${flag} ${raw}: expected an integer ${range}`);
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
