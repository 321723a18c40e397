import { createPoints, type Points } from "@mixdiff/core";
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
/**
 * Largest magnitude of a CSV value the CLI accepts (1e150): beyond it squares (distances, variances) overflow a
 * double, and every method would fail somewhere inside with a message that names no file, row or column.
 */
export const MAX_ABS_VALUE = 1e150;
/** Most values one CSV input may hold: 2^27 doubles (1 GiB); more is refused with exit code 4 while reading. */
export const MAX_INPUT_VALUES = 2 ** 27;

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

/** Options of {@link CsvReader} and {@link parseCsv}. */
export interface CsvReadOptions {
  /** The number of columns the data must have (the model's dimension). */
  expectedCols?: number;
  /** What the rows are, for messages ("training data", "samples", …). */
  what?: string;
  /** Most values accepted (default {@link MAX_INPUT_VALUES}). */
  maxValues?: number;
  /** Largest |value| accepted (default {@link MAX_ABS_VALUE}; `Infinity` reads every finite double). */
  maxAbs?: number;
}

// Parser states. The input is UTF-8 bytes; every structural character is ASCII.
const FIELD_START = 0; // before the first byte of a field (of a record too when `!inRecord`)
const UNQUOTED = 1; // inside an unquoted field
const QUOTED = 2; // inside a quoted field
const QUOTE_IN_QUOTED = 3; // saw `"` in a quoted field: `""` is a literal quote, `,` or a line end closes it
const COMMENT = 4; // inside a `#` comment line

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const HASH = 35;
const SPACE = 32;
const TAB = 9;

/** Values per storage block of {@link CsvReader}. */
const BLOCK = 1 << 16;

function grow(b: Buffer, need: number): Buffer {
  const out = Buffer.alloc(Math.max(need, 2 * b.length));
  b.copy(out);
  return out;
}

/** Exact powers of ten 10^0 … 10^22 (every one is a double). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The strict decimal grammar of {@link parseNumberToken} on bytes, for plain ASCII fields (optional spaces/tabs
 * around): the same value as `Number(text)`, or NaN when the field needs the general path (quotes, other
 * whitespace, non-finite spellings, junk). With at most 15 significant digits and a decimal exponent within
 * ±22 the value is `m·10^e` or `m/10^−e` of two exact doubles, one correctly rounded operation (Clinger's fast
 * path); otherwise the token is handed to `Number`.
 */
function fastDecimal(b: Buffer, from: number, to: number): number {
  let a = from;
  let e = to;
  while (a < e && (b[a] === SPACE || b[a] === TAB)) a++;
  while (e > a && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
  let p = a;
  const neg = b[p] === 45;
  if (p < e && (neg || b[p] === 43)) p++;
  let m = 0; // significant digits, as an integer while exact
  let sig = 0; // significant digits seen (leading zeros excluded)
  let scale = 0; // decimal exponent adjustment from digits after the point
  let digits = 0;
  let c = 0;
  while (p < e && (c = b[p]! - 48) >= 0 && c <= 9) {
    if (sig > 0 || c > 0) {
      sig++;
      if (sig <= 15) m = m * 10 + c;
      else scale++;
    }
    digits++;
    p++;
  }
  if (p < e && b[p] === 46) {
    p++;
    while (p < e && (c = b[p]! - 48) >= 0 && c <= 9) {
      if (sig > 0 || c > 0) {
        sig++;
        if (sig <= 15) {
          m = m * 10 + c;
          scale--;
        }
      } else scale--;
      digits++;
      p++;
    }
  }
  if (digits === 0) return Number.NaN;
  let exp = 0;
  if (p < e && (b[p] === 101 || b[p] === 69)) {
    p++;
    const eneg = b[p] === 45;
    if (p < e && (eneg || b[p] === 43)) p++;
    const x0 = p;
    while (p < e && (c = b[p]! - 48) >= 0 && c <= 9) {
      if (exp < 1e6) exp = exp * 10 + c;
      p++;
    }
    if (p === x0) return Number.NaN;
    if (eneg) exp = -exp;
  }
  if (p !== e) return Number.NaN;
  const k = exp + scale;
  if (sig <= 15 && k >= -22 && k <= 22) {
    const v = k >= 0 ? m * POW10[k]! : m / POW10[-k]!;
    return neg ? -v : v;
  }
  return Number(b.toString("latin1", a, e));
}

/**
 * Streaming numeric CSV reader: feed chunks of bytes with {@link CsvReader.push}, then call {@link CsvReader.end}.
 * The text is never held whole: memory is the values read (8 bytes each, in blocks copied once into the result)
 * plus one record, so a file near the input limit works. Rules and messages are those of {@link parseCsv}; the
 * first problem in file order is reported, as `CliError("input")` (`"resource"` beyond `maxValues` values).
 *
 * @example
 * ```ts
 * const r = new CsvReader("data.csv", { what: "training data" });
 * r.push(Buffer.from("x,y\n1,2\n3,"));
 * r.push(Buffer.from("4\n"));
 * r.end().points; // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 * ```
 */
export class CsvReader {
  private readonly what: string;
  private readonly maxValues: number;
  private readonly maxAbs: number;
  private state = FIELD_START;
  private line = 1; // current line, 1-based
  private crPending = false; // the previous chunk ended with `\r` (a `\n` next belongs to it)
  private inRecord = false;
  private recLine = 1; // line where the current record started
  private recStart = -1; // index in the current chunk where the record started (-1: in an earlier chunk)
  private raw: Buffer = Buffer.alloc(256); // bytes of the current record from earlier chunks
  private rawLen = 0;
  private fieldStart = 0; // index in the current chunk where the current unquoted field's bytes continue
  private field: Buffer = Buffer.alloc(256); // bytes of the current field from earlier chunks / of a quoted field
  private fieldLen = 0;
  private quoted = false;
  private quotedCr = false; // the previous byte inside the quoted field was `\r`
  private fields = 0; // completed fields of the current record
  private rec = new Float64Array(64); // their values
  private firstTexts: string[] | null = []; // field texts of the first record (header detection)
  private bad = -1; // first bad field of the record (reported after its field count is checked)
  private badText = "";
  private badKind: "syntax" | "nan" | "range" = "syntax";
  private header: string[] | null = null;
  private headerLine = 0;
  private cols = -1;
  private rows = 0;
  private total = 0;
  private blocks: Float64Array[] = [];
  private fill = BLOCK;
  private bom: number[] | null = [];
  private chunk: Buffer = Buffer.alloc(0);

  constructor(
    private readonly file: string,
    private readonly opts: CsvReadOptions = {},
  ) {
    this.what = opts.what ?? "data";
    this.maxValues = opts.maxValues ?? MAX_INPUT_VALUES;
    this.maxAbs = opts.maxAbs ?? MAX_ABS_VALUE;
  }

  /** Parses the next chunk of UTF-8 bytes. */
  push(input: Uint8Array): void {
    let bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (this.bom !== null) {
      // a UTF-8 byte order mark at the very start is skipped, even when split across chunks
      const head = [...this.bom, ...bytes.subarray(0, 3 - this.bom.length)];
      const prefix = head.every((v, i) => v === [0xef, 0xbb, 0xbf][i]);
      if (prefix && head.length < 3) {
        this.bom = head;
        return;
      }
      const held = this.bom;
      this.bom = null;
      if (prefix) bytes = bytes.subarray(3 - held.length);
      else if (held.length > 0) this.scan(Buffer.from(held));
    }
    this.scan(bytes);
  }

  /** Ends the input: returns the table, or throws the error of an incomplete or empty input. */
  end(): CsvTable {
    if (this.bom !== null && this.bom.length > 0) this.scan(Buffer.from(this.bom));
    this.bom = null;
    this.chunk = Buffer.alloc(0);
    this.recStart = -1;
    this.fieldStart = 0;
    if (this.state === QUOTED) this.malformed(this.recLine, "a quoted field is not closed at the end of the input");
    if (this.inRecord) {
      this.endField(0);
      this.endRecord(0);
    }
    if (this.cols < 0) {
      throw new CliError(
        "input",
        `${this.file}:1:1: expected ${this.what} (comma-separated numbers); the file has no records`,
      );
    }
    if (this.rows === 0) {
      throw new CliError(
        "input",
        `${this.file}:${this.headerLine + 1}:1: expected ${this.what} rows after the header; got none`,
      );
    }
    const points = createPoints(this.rows, this.cols);
    let off = 0;
    for (const b of this.blocks) {
      const m = Math.min(BLOCK, this.total - off);
      points.data.set(m === BLOCK ? b : b.subarray(0, m), off);
      off += m;
    }
    this.blocks = [];
    return { points, header: this.header };
  }

  private scan(buf: Buffer): void {
    this.chunk = buf;
    this.recStart = this.inRecord ? -1 : 0;
    this.fieldStart = 0;
    const n = buf.length;
    let i = 0;
    if (this.crPending) {
      this.crPending = false;
      if (n > 0 && buf[0] === LF) i = 1;
    }
    while (i < n) {
      switch (this.state) {
        case UNQUOTED: {
          // the hot loop: to the end of an unquoted field
          let j = i;
          let c = 0;
          while (j < n) {
            c = buf[j]!;
            if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
            j++;
          }
          if (j === n) {
            i = n;
            break;
          }
          if (c === QUOTE) this.malformed(this.line, "a quote inside an unquoted field (quote the whole field)");
          i = this.closeField(c, j);
          break;
        }
        case FIELD_START: {
          const c = buf[i]!;
          if (!this.inRecord) {
            if (c === LF || c === CR) {
              i = this.newline(i); // an empty line
              break;
            }
            if (c === HASH) {
              this.state = COMMENT;
              i++;
              break;
            }
            this.beginRecord(i);
          }
          if (c === QUOTE) {
            this.state = QUOTED;
            this.quoted = true;
            this.quotedCr = false;
            i++;
          } else if (c === COMMA || c === LF || c === CR) {
            i = this.closeField(c, i); // an empty field
          } else {
            this.state = UNQUOTED;
            this.fieldStart = i;
          }
          break;
        }
        case QUOTED: {
          const c = buf[i]!;
          if (c === QUOTE) this.state = QUOTE_IN_QUOTED;
          else {
            // a line end inside quotes: `\r\n` counts once, even when split across chunks
            if (c === CR || (c === LF && !this.quotedCr)) this.line++;
            this.quotedCr = c === CR;
            this.pushFieldByte(c);
          }
          i++;
          break;
        }
        case QUOTE_IN_QUOTED: {
          const c = buf[i]!;
          if (c === QUOTE) {
            this.pushFieldByte(QUOTE); // `""` inside quotes
            this.state = QUOTED;
            i++;
          } else if (c === COMMA || c === LF || c === CR) {
            i = this.closeField(c, i);
          } else {
            this.malformed(
              this.line,
              `a closing quote must be followed by a comma or the end of the line; got ${JSON.stringify(String.fromCharCode(c))}`,
            );
          }
          break;
        }
        default: {
          // COMMENT: to the end of the line
          const c = buf[i]!;
          if (c === LF || c === CR) {
            this.state = FIELD_START;
            i = this.newline(i);
          } else i++;
        }
      }
    }
    if (this.state === UNQUOTED) {
      // keep the bytes of the unfinished field for the next chunk
      const from = this.fieldStart;
      if (this.fieldLen + n - from > this.field.length) this.field = grow(this.field, this.fieldLen + n - from);
      this.field.set(buf.subarray(from, n), this.fieldLen);
      this.fieldLen += n - from;
    }
    if (this.inRecord) {
      // keep the raw bytes of the unfinished record (for the column of a later error)
      const from = Math.max(this.recStart, 0);
      if (this.rawLen + n - from > MAX_RECORD_BYTES) {
        this.malformed(this.recLine, `a record is longer than ${MAX_RECORD_BYTES} bytes`);
      }
      if (this.rawLen + n - from > this.raw.length) this.raw = grow(this.raw, this.rawLen + n - from);
      this.raw.set(buf.subarray(from, n), this.rawLen);
      this.rawLen += n - from;
    }
  }

  /** Consumes the line end at `i` (`\n`, `\r\n` or `\r`); returns the next index. */
  private newline(i: number): number {
    this.line++;
    if (this.chunk[i] !== CR) return i + 1;
    if (i + 1 < this.chunk.length) return this.chunk[i + 1] === LF ? i + 2 : i + 1;
    this.crPending = true;
    return i + 1;
  }

  /** The current field ends at the delimiter `c` at `i` (a comma, or a line end that also ends the record). */
  private closeField(c: number, i: number): number {
    this.endField(i);
    if (c !== COMMA) {
      this.endRecord(i);
      return this.newline(i);
    }
    this.state = FIELD_START;
    this.fieldStart = i + 1;
    return i + 1;
  }

  private pushFieldByte(c: number): void {
    if (this.fieldLen === this.field.length) this.field = grow(this.field, this.fieldLen + 1);
    this.field[this.fieldLen++] = c;
  }

  private beginRecord(i: number): void {
    this.inRecord = true;
    this.recLine = this.line;
    this.recStart = i;
    this.rawLen = 0;
    this.fields = 0;
    this.bad = -1;
  }

  /** The current field ends at `j` in the current chunk: parse it into the record's values. */
  private endField(j: number): void {
    let src = this.chunk;
    let a = this.fieldStart;
    let b = j;
    if (this.quoted || this.fieldLen > 0) {
      if (!this.quoted && j > a) {
        if (this.fieldLen + j - a > this.field.length) this.field = grow(this.field, this.fieldLen + j - a);
        this.field.set(this.chunk.subarray(a, j), this.fieldLen);
        this.fieldLen += j - a;
      }
      src = this.field;
      a = 0;
      b = this.fieldLen;
    } else if (this.state !== UNQUOTED) b = a; // an empty field
    const k = this.fields++;
    if (k >= this.rec.length) {
      const r = new Float64Array(2 * this.rec.length);
      r.set(this.rec);
      this.rec = r;
    }
    let text: string | null = null;
    if (this.firstTexts !== null) {
      text = src.toString("utf8", a, b);
      this.firstTexts.push(text);
    }
    let v = this.quoted || text !== null ? Number.NaN : fastDecimal(src, a, b);
    if (Number.isNaN(v)) {
      text ??= src.toString("utf8", a, b);
      const t = parseNumberToken(text);
      if (t === null) this.noteBad(k, text, "syntax");
      v = t ?? 0;
    }
    if (!Number.isFinite(v)) this.noteBad(k, text ?? src.toString("utf8", a, b), "nan");
    else if (Math.abs(v) > this.maxAbs) this.noteBad(k, text ?? src.toString("utf8", a, b), "range");
    this.rec[k] = v;
    this.fieldLen = 0;
    this.quoted = false;
    this.state = FIELD_START;
  }

  private noteBad(k: number, text: string, kind: "syntax" | "nan" | "range"): void {
    if (this.bad >= 0) return;
    this.bad = k;
    this.badText = text;
    this.badKind = kind;
  }

  /** The raw text of the current record up to index `i` of the current chunk (for error columns). */
  private rawText(i: number): string {
    const from = Math.max(this.recStart, 0);
    const rest = this.chunk.subarray(from, Math.max(from, i));
    if (this.rawLen === 0) return rest.toString("utf8");
    // one decode over the joined bytes: a UTF-8 character may be split across chunks
    return Buffer.concat([this.raw.subarray(0, this.rawLen), rest]).toString("utf8");
  }

  /** The record ends at index `i` of the current chunk (exclusive). */
  private endRecord(i: number): void {
    this.inRecord = false;
    this.state = FIELD_START;
    const k = this.fields;
    if (this.rawLen + i - Math.max(this.recStart, 0) > MAX_RECORD_BYTES) {
      this.malformed(this.recLine, `a record is longer than ${MAX_RECORD_BYTES} bytes`);
    }
    if (this.firstTexts !== null) {
      const texts = this.firstTexts;
      this.firstTexts = null;
      this.cols = k;
      // A header: some field is not a number, every field is a non-empty name, and it is not one
      // field that merely hides another delimiter (`a;b`, `1\t2`).
      const isHeader =
        texts.some((f) => parseNumberToken(f) === null) && texts.every((f) => f.trim() !== "" && !/[;\t]/.test(f));
      if (isHeader) {
        this.header = texts.map((f) => f.trim());
        this.headerLine = this.line; // where the header ends (a quoted name may span lines)
        return;
      }
    }
    if (this.rows === 0 && this.opts.expectedCols !== undefined && this.cols !== this.opts.expectedCols) {
      throw new CliError(
        "input",
        `${this.at(1)}: expected ${this.opts.expectedCols} columns (the model's dimension); got ${this.cols}`,
      );
    }
    if (k !== this.cols) {
      const raw = this.rawText(i);
      const hint = k === 1 && /[;\t]/.test(raw) ? " (the delimiter must be a comma)" : "";
      const trailing =
        k === this.cols + 1 && raw.slice(raw.lastIndexOf(",") + 1).trim() === "" ? " (trailing delimiter?)" : "";
      throw new CliError(
        "input",
        `${this.at(1)}: expected ${this.cols} fields (as in ${this.header ? "the header" : "the first row"}); got ${k}${hint}${trailing}`,
      );
    }
    if (this.bad >= 0) {
      const j = this.bad;
      const at = this.at(fieldColumn(this.rawText(i), j));
      if (this.badKind === "syntax") {
        const hint = /[;\t]/.test(this.badText) ? " (the delimiter must be a comma)" : "";
        throw new CliError(
          "input",
          `${at}: expected a decimal number in field ${j + 1}; got ${excerpt(this.badText)}${hint}`,
        );
      }
      const what = `field ${j + 1} is ${excerpt(this.badText.trim())} (row ${this.rows + 1}, column ${j + 1})`;
      throw new CliError(
        "input",
        this.badKind === "nan"
          ? `${at}: ${what}; all values must be finite`
          : `${at}: ${what}; values must be within ±${this.maxAbs} (their squares overflow a double)`,
      );
    }
    if (this.total + k > this.maxValues) {
      throw new CliError(
        "resource",
        `${this.at(1)}: more than ${this.maxValues} values, the input limit (${(this.maxValues * 8) / 2 ** 30} GiB as doubles)`,
      );
    }
    const rec = this.rec;
    let block = this.blocks[this.blocks.length - 1]!;
    for (let off = 0; off < k; off++) {
      if (this.fill === BLOCK) {
        block = new Float64Array(BLOCK);
        this.blocks.push(block);
        this.fill = 0;
      }
      block[this.fill++] = rec[off]!;
    }
    this.total += k;
    this.rows++;
  }

  private at(col: number): string {
    return `${this.file}:${this.recLine}:${col}`;
  }

  private malformed(line: number, why: string): never {
    throw new CliError("input", `${this.file}:${line}:1: malformed CSV (${why})`);
  }
}

/**
 * Parses numeric CSV text. Rules (documented in the README):
 * - comma delimiter; optional header line (detected when the first record has a non-numeric field);
 * - lines starting with `#` are comments; empty lines are skipped; CRLF and a UTF-8 BOM are accepted;
 *   fields may be quoted and surrounded by spaces;
 * - every record must have the same number of fields as the first one;
 * - a field must be a plain decimal number (`1`, `-2.5`, `.5`, `1e-3`); `0x10`, `1_000`, `1,5`, `1abc`, empty
 *   fields are rejected; `NaN`, `Inf`, `-Infinity` are recognised and rejected as non-finite, and so is an
 *   overflowing literal such as `1e400`; values beyond ±1e150 are refused (their squares overflow);
 * - records longer than 16 MiB, and more than 2^27 values, are refused.
 * Errors are `CliError("input")` with message `<file>:<line>:<column>: <what was expected>`. Files are read with
 * {@link CsvReader} in chunks; this is the same reader on one string.
 */
export function parseCsv(text: string, file: string, opts: CsvReadOptions = {}): CsvTable {
  const r = new CsvReader(file, opts);
  r.push(Buffer.from(text, "utf8"));
  return r.end();
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
  // nothing at all (no comment, no header, no rows: the first chunk of a `--no-header` output) is "", not a blank line
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Default header names `x1, …, xd`. */
export function defaultHeader(cols: number, prefix = "x"): string[] {
  return Array.from({ length: cols }, (_, j) => `${prefix}${j + 1}`);
}
