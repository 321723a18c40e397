// C1: a 10 MB single line must parse in linear time (the reader must not be quadratic in the field count).
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../cli/src/csv";

describe("CSV: a 10 MB single line (C1)", () => {
  it("a 10 MB single line (1e6 fields × 3 lines) parses", () => {
    const line = Array.from({ length: 1_000_000 }, (_, i) => (i % 10) + 0.5).join(",");
    expect(line.length).toBeGreaterThan(3_900_000);
    const big = `${line}\n${line}\n${line}\n`;
    expect(big.length).toBeGreaterThan(10_000_000);
    const t = parseCsv(big, "in.csv");
    expect(t.points.cols).toBe(1_000_000);
    expect(t.points.rows).toBe(3);
  });
});
