import { isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { meanAndError } from "./mean-and-error.js";

describe("meanAndError", () => {
  test("mean, sample variance and sd/√n", () => {
    const r = meanAndError([1, 2, 3, 6], "t", "v");
    expect(r.mean).toBe(3);
    expect(r.variance).toBeCloseTo(14 / 3, 14);
    expect(r.standardError).toBeCloseTo(Math.sqrt(14 / 3 / 4), 14);
  });

  test("names the first non-finite value", () => {
    let err: unknown;
    try {
      meanAndError([1, -Infinity], "fn", "log-density");
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "NUMERICAL_FAILURE")).toBe(true);
    expect((err as Error).message).toContain("row 1");
  });
});
