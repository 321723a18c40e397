import { ERROR_CODES, MixdiffError } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import { CliError, describeError, ERROR_CODE_EXIT, EXIT, EXIT_CODES_HELP } from "./exit-codes.js";

describe("exit codes", () => {
  it("maps every library error code to a documented exit code", () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const code of ERROR_CODES) {
      expect(documented.has(ERROR_CODE_EXIT[code])).toBe(true);
      const d = describeError(new MixdiffError(code, `boom ${code}`));
      expect(d.exitCode).toBe(ERROR_CODE_EXIT[code]);
      expect(d.message).toContain(`[${code}]`);
      expect(d.internal).toBe(false);
    }
  });

  it.each([
    ["INVALID_OPTION", EXIT.usage],
    ["NON_FINITE_INPUT", EXIT.input],
    ["DIMENSION_MISMATCH", EXIT.input],
    ["MODEL_FORMAT", EXIT.input],
    ["MODEL_VERSION", EXIT.input],
    ["RESOURCE_LIMIT", EXIT.resource],
    ["INTERRUPTED", EXIT.interrupted],
  ] as const)("%s → %i", (code, exit) => expect(ERROR_CODE_EXIT[code]).toBe(exit));

  it("CliError keeps its kind; allocation failures are resource refusals; anything else is internal", () => {
    expect(describeError(new CliError("usage", "x")).exitCode).toBe(2);
    expect(describeError(new RangeError("Invalid typed array length: 1e12")).exitCode).toBe(EXIT.resource);
    const d = describeError(new TypeError("oops"));
    expect(d).toMatchObject({ exitCode: EXIT.internal, internal: true });
    expect(d.message).toBe("internal error: oops");
  });

  it("the help text lists every exit code", () => {
    for (const v of Object.values(EXIT)) expect(EXIT_CODES_HELP).toMatch(new RegExp(`\\b${v}\\b`));
  });
});
