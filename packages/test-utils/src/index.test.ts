import { describe, expect, test } from "vitest";
import { expectClose, expectWithinSe, meanAndSe } from "./index";

describe("expectClose", () => {
  test("passes within abs + rel·|expected| and fails outside, naming the index and both values", () => {
    expectClose(1.04, 1, { abs: 0.05 });
    expectClose(110, 100, { rel: 0.1 });
    expect(() => expectClose(1.2, 1, { abs: 0.1 })).toThrow(/1\.2 to be within 0\.1 of 1/);
    expectClose([1, 2], new Float64Array([1, 2.001]), { abs: 1e-3 });
    expect(() => expectClose([1, 2, 3], [1, 2, 4], { abs: 0.5, what: "v" })).toThrow(
      /v: at index 2: expected 3 .* of 4/,
    );
    expect(() => expectClose([1], [1, 2])).toThrow(/length 1, expected 2/);
    expect(() => expectClose(Number.NaN, 0, { abs: 1 })).toThrow();
    expectClose(Number.NaN, Number.NaN);
  });
});

describe("meanAndSe / expectWithinSe", () => {
  test("mean, sd (ddof 1 or 0) and se of a small sample", () => {
    const s = meanAndSe([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expectClose(s.sd, Math.sqrt(5 / 3), { rel: 1e-15 });
    expectClose(s.se, Math.sqrt(5 / 3) / 2, { rel: 1e-15 });
    expectClose(meanAndSe([1, 2, 3, 4], { ddof: 0 }).sd, Math.sqrt(5 / 4), { rel: 1e-15 });
  });
  test("the k·se check fails beyond k standard errors", () => {
    expectWithinSe(1.3, 1, 0.1);
    expect(() => expectWithinSe(1.5, 1, 0.1)).toThrow(/z = 5\.00/);
    expectWithinSe(1.5, 1, 0.1, { k: 4, slack: 0.1 });
  });
});
