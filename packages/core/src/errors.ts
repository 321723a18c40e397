/**
 * Stable error codes. Codes never change meaning once released; the CLI maps them to exit codes.
 *
 * - `DIMENSION_MISMATCH` — shapes disagree (rows, columns, dimension of a model or spec).
 * - `NON_FINITE_INPUT` — a NaN or ±Infinity where a finite number is required.
 * - `INVALID_SPEC` — a distribution spec is malformed (the message names the field path).
 * - `INVALID_OPTION` — an option is out of its domain (the message names the option).
 * - `INVALID_INPUT` — data are structurally wrong (empty, ragged, wrong type).
 * - `MODEL_FORMAT` — a serialised model is malformed, truncated or fails its checksum.
 * - `MODEL_VERSION` — a serialised model has a format version this build cannot read.
 * - `RESOURCE_LIMIT` — a request would exceed a memory/size budget (the message gives the estimate).
 * - `NUMERICAL_FAILURE` — an algorithm could not produce a finite answer (e.g. not positive definite).
 * - `INTERRUPTED` — work was cancelled through an abort signal.
 */
export type ErrorCode =
  | "DIMENSION_MISMATCH"
  | "NON_FINITE_INPUT"
  | "INVALID_SPEC"
  | "INVALID_OPTION"
  | "INVALID_INPUT"
  | "MODEL_FORMAT"
  | "MODEL_VERSION"
  | "RESOURCE_LIMIT"
  | "NUMERICAL_FAILURE"
  | "INTERRUPTED";

/** All error codes, in a stable order (for documentation and exhaustive tests). */
export const ERROR_CODES: readonly ErrorCode[] = [
  "DIMENSION_MISMATCH",
  "NON_FINITE_INPUT",
  "INVALID_SPEC",
  "INVALID_OPTION",
  "INVALID_INPUT",
  "MODEL_FORMAT",
  "MODEL_VERSION",
  "RESOURCE_LIMIT",
  "NUMERICAL_FAILURE",
  "INTERRUPTED",
];

/** Where in the input an error was found. All fields optional. */
export interface ErrorLocation {
  /** Field path in a JSON document, e.g. `mixing.points[2][1]`. */
  readonly path?: string;
  /** Zero-based row of a point batch. */
  readonly row?: number;
  /** Zero-based column of a point batch. */
  readonly column?: number;
}

/**
 * The one error class thrown at every mixdiff public boundary. `code` is stable;
 * `message` says what was wrong and where.
 *
 * @example
 * ```ts
 * import { MixdiffError } from "@mixdiff/core";
 * try {
 *   throw new MixdiffError("INVALID_OPTION", "fitScore: degree must be an integer in [0, 16]; got 40", { path: "degree" });
 * } catch (e) {
 *   if (e instanceof MixdiffError && e.code === "INVALID_OPTION") console.log(e.location.path); // "degree"
 * }
 * ```
 */
export class MixdiffError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "MixdiffError";
    this.code = code;
    this.location = location;
    this.details = details;
  }
}

/**
 * True when `e` is a {@link MixdiffError}, optionally with the given code. Works across
 * duplicated copies of the package (checks the name and code, not only the prototype).
 *
 * @example
 * ```ts
 * import { isMixdiffError, MixdiffError } from "@mixdiff/core";
 * isMixdiffError(new MixdiffError("RESOURCE_LIMIT", "too big"), "RESOURCE_LIMIT"); // true
 * ```
 */
export function isMixdiffError(e: unknown, code?: ErrorCode): e is MixdiffError {
  if (!(e instanceof Error) || e.name !== "MixdiffError") return false;
  const c = (e as { code?: unknown }).code;
  return typeof c === "string" && (code === undefined || c === code);
}
