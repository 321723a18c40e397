import type { ErrorCode } from "@mixdiff/core";
import { isMixdiffError } from "@mixdiff/core";

/**
 * The documented exit codes of `mixdiff` (also printed by `mixdiff --help` and listed in the README).
 * Values never change meaning once released.
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Internal error: a bug in mixdiff (please report it with the command line). */
  internal: 1,
  /** Usage error: unknown command or flag, missing or invalid option value, conflicting flags, output exists without --force. */
  usage: 2,
  /** Input error: unreadable or malformed CSV/JSON, bad data (non-finite values, wrong dimension), bad model or spec, output cannot be written. */
  input: 3,
  /** Resource refusal: the request would exceed a memory or size budget (the message gives the estimate). */
  resource: 4,
  /** Interrupted by SIGINT (Ctrl-C): 128 + 2. */
  interrupted: 130,
  /** Terminated by SIGTERM: 128 + 15. */
  terminated: 143,
} as const satisfies Record<string, number>;

/** The exit-code table as text, for `--help` and the README. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0    success",
  "  1    internal error (a bug: please report it)",
  "  2    usage error (unknown flag, bad or conflicting option, output exists without --force)",
  "  3    input error (malformed CSV/JSON, non-finite or mismatched data, bad model/spec, unwritable output)",
  "  4    resource refusal (request exceeds a memory/size budget)",
  "  130  interrupted (SIGINT / Ctrl-C); 143 terminated (SIGTERM) — no partial output is left",
].join("\n");

export type ExitKind = Exclude<keyof typeof EXIT, "ok">;

/** An error the CLI reports as one line on stderr with a chosen exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(kind: ExitKind, message: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = EXIT[kind];
  }
}

/** Which exit code each library error code maps to. */
export const ERROR_CODE_EXIT = {
  DIMENSION_MISMATCH: EXIT.input,
  NON_FINITE_INPUT: EXIT.input,
  INVALID_SPEC: EXIT.input,
  INVALID_OPTION: EXIT.usage,
  INVALID_INPUT: EXIT.input,
  MODEL_FORMAT: EXIT.input,
  MODEL_VERSION: EXIT.input,
  RESOURCE_LIMIT: EXIT.resource,
  NUMERICAL_FAILURE: EXIT.input,
  INTERRUPTED: EXIT.interrupted,
} as const satisfies Record<ErrorCode, number>;

/** Maps any thrown value to `{ exitCode, message }` (one line, no stack trace except for internal errors). */
export function describeError(e: unknown): { exitCode: number; message: string; internal: boolean } {
  if (e instanceof CliError) return { exitCode: e.exitCode, message: e.message, internal: false };
  if (isMixdiffError(e)) {
    const code = (e as { code: ErrorCode }).code;
    return { exitCode: ERROR_CODE_EXIT[code] ?? EXIT.internal, message: `${e.message} [${code}]`, internal: false };
  }
  if (e instanceof RangeError && /array length|allocation failed|out of memory/i.test(e.message)) {
    return { exitCode: EXIT.resource, message: `out of memory: ${e.message}`, internal: false };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { exitCode: EXIT.internal, message: `internal error: ${err.message}`, internal: true };
}
