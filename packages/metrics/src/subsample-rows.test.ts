import { createRng, toPoints } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { subsampleRows } from "./subsample-rows.js";

describe("subsampleRows", () => {
  const p = toPoints(Array.from({ length: 50 }, (_, i) => [i, -i]));

  test("returns the input unchanged when small enough", () => {
    const r = subsampleRows(p, 50, createRng(0));
    expect(r.subsampled).toBe(false);
    expect(r.points).toBe(p);
  });

  test("draws distinct whole rows, reproducibly", () => {
    const r = subsampleRows(p, 20, createRng(1));
    expect(r.subsampled).toBe(true);
    expect(r.points.rows).toBe(20);
    const ids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const a = r.points.data[2 * i]!;
      expect(r.points.data[2 * i + 1]).toBe(-a);
      ids.add(a);
    }
    expect(ids.size).toBe(20);
    expect(subsampleRows(p, 20, createRng(1)).points.data).toEqual(r.points.data);
  });
});
