import { isMixdiffError } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { learningGrid } from "./learning-grid.js";

describe("learningGrid", () => {
  test("descending, exact endpoints, requested length", () => {
    const g = learningGrid({ tMax: 400, tMin: 0.05, levels: 30, sigma0: 1 });
    expect(g.length).toBe(30);
    expect(g[0]).toBe(400);
    expect(g[29]).toBe(0.05);
    for (let i = 1; i < g.length; i++) expect(g[i]!).toBeLessThan(g[i - 1]!);
  });
  test("geometric in σ² at large t and geometric in t at small t", () => {
    // u(t) = ln t + ln(t+1) is uniform; for t ≫ 1 the σ² ratio tends to exp(Δu/2), for t ≪ 1 the t ratio to exp(Δu).
    const g = learningGrid({ tMax: 1e6, tMin: 1e-6, levels: 41, sigma0: 1 });
    const du = (Math.log(1e6) + Math.log(1e6 + 1) - Math.log(1e-6) - Math.log(1 + 1e-6)) / 40;
    const topRatio = (1 + g[0]!) / (1 + g[1]!);
    expectClose(Math.log(topRatio), du / 2, { abs: 1e-3 });
    const lowRatio = g[39]! / g[40]!;
    expectClose(Math.log(lowRatio), du, { abs: 1e-3 });
  });
  test.each([
    [{ tMax: 1, tMin: 2, levels: 5 }, "tMin"],
    [{ tMax: 1, tMin: 0, levels: 5 }, "tMin"],
    [{ tMax: 1, tMin: 0.1, levels: 1 }, "levels"],
    [{ tMax: Number.NaN, tMin: 0.1, levels: 5 }, "tMax"],
  ])("rejects %o", (o, path) => {
    try {
      learningGrid(o);
      expect.unreachable();
    } catch (e) {
      expect(isMixdiffError(e, "INVALID_OPTION")).toBe(true);
      expect((e as { location: { path?: string } }).location.path).toBe(path);
    }
  });
});
