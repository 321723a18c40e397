import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { heatCells, histogram, smoothedHistogram, ticks, viewFromCenter } from "../.vitepress/theme/lib/plot";
import { correction, describeWarning, heldOutError, pct, withinNoise } from "../.vitepress/theme/lib/report";
// @ts-expect-error plain .mjs module without types
import { pageRank, placeByTask, TASKS } from "../api-tasks.mjs";
// @ts-expect-error plain .mjs script without types
import { commandsOf } from "../scripts/cli-reference.mjs";
import { extractSnippets } from "./snippets";
import { resolveFile } from "./static-server";

test("CLI reference: command names from commander's help", () => {
  const help = [
    "Usage: mixdiff [options] [command]",
    "",
    "Options:",
    "  -h, --help        display help",
    "",
    "Commands:",
    "  generate [options] <spec>   exact samples",
    "  fit [options] <data>        learn",
    "  help [command]              display help for command",
    "",
    "Exit codes:",
    "  0 ok",
  ].join("\n");
  expect(commandsOf(help)).toEqual(["generate", "fit"]);
  expect(commandsOf("Usage: x")).toEqual([]);
});

test("static server resolves clean and .html paths and refuses to leave the root", () => {
  const root = mkdtempSync(join(tmpdir(), "docs-static-"));
  mkdirSync(join(root, "guide"));
  writeFileSync(join(root, "index.html"), "i");
  writeFileSync(join(root, "guide", "index.html"), "g");
  writeFileSync(join(root, "guide", "method.html"), "m");
  expect(resolveFile(root, "/")).toBe(join(root, "index.html"));
  expect(resolveFile(root, "/guide/")).toBe(join(root, "guide", "index.html"));
  expect(resolveFile(root, "/guide/method")).toBe(join(root, "guide", "method.html"));
  expect(resolveFile(root, "/guide/method.html?x=1#h")).toBe(join(root, "guide", "method.html"));
  expect(resolveFile(root, "/missing.html")).toBeUndefined();
  expect(resolveFile(root, "/../../etc/passwd")).toBeUndefined();
});

test("snippet extraction finds ts blocks with their lines and the typecheck-only marker", () => {
  const root = mkdtempSync(join(tmpdir(), "docs-snippets-"));
  mkdirSync(join(root, "guide"));
  writeFileSync(
    join(root, "guide", "a.md"),
    [
      "# A",
      "```ts",
      "const a = 1;",
      "```",
      "```sh",
      "ls",
      "```",
      "````typescript",
      "// @typecheck-only",
      "x;",
      "````",
    ].join("\n"),
  );
  const s = extractSnippets(root, ["guide"]);
  expect(s.map((x) => [x.id, x.line, x.run])).toEqual([
    ["guide/a.md#1", 3, true],
    ["guide/a.md#2", 9, false],
  ]);
  expect(s[0]!.code).toBe("const a = 1;");
});

test("plot helpers: ticks cover the range at a nice step; histogram integrates to the mass inside", () => {
  expect(ticks(-10, 10)).toEqual([-10, -5, 0, 5, 10]);
  const c = { data: Float64Array.from([0.1, 0.1, -0.5, -0.5, 9, 9]), rows: 3 };
  const h = histogram(c, { nx: 2, ny: 2, x0: -1, x1: 1, y0: -1, y1: 1 });
  const cell = 1; // each of the 2×2 cells is 1×1
  expect(h.values.reduce((a, b) => a + b, 0) * cell).toBeCloseTo(2 / 3, 12);
});

test("smoothed histogram: a density on the window that keeps the mass inside and spreads a lone point", () => {
  const like = { nx: 40, ny: 40, x0: -4, x1: 4, y0: -4, y1: 4 };
  const c = { data: Float64Array.from([0, 0]), rows: 1 };
  const h = smoothedHistogram(c, like, 0.5);
  const cell = (8 / 40) ** 2;
  expect(h.values.reduce((a, b) => a + b, 0) * cell).toBeCloseTo(1, 6); // far from the edges: all mass kept
  const peak = Math.max(...h.values);
  expect(peak).toBeLessThan(1 / cell / 5); // spread over many cells, not one block
  // the kernel is symmetric about the point's cell (row 20, column 20), along both axes
  expect(h.values[20 * 40 + 19]).toBeCloseTo(h.values[20 * 40 + 21]!, 12);
  expect(h.values[19 * 40 + 20]).toBeCloseTo(h.values[21 * 40 + 20]!, 12);
  expect(h.values[20 * 40 + 20]).toBe(peak);
  // near an edge the kernel's outside mass is dropped, never drawn outside the window
  const edge = smoothedHistogram({ data: Float64Array.from([3.95, 0]), rows: 1 }, like, 0.5);
  expect(edge.values.reduce((a, b) => a + b, 0) * cell).toBeLessThan(0.6);
});

test("heat cells stay inside the frame", () => {
  const view = viewFromCenter([0, 0], 3);
  const g = { nx: 7, ny: 7, x0: -3.5, x1: 3.5, y0: -3.5, y1: 3.5, values: new Float64Array(49).fill(1) };
  const cells = heatCells(g, view, 240);
  expect(cells.length).toBeGreaterThan(0);
  for (const c of cells) {
    expect(c.x).toBeGreaterThanOrEqual(0);
    expect(c.y).toBeGreaterThanOrEqual(0);
    expect(c.x + c.w).toBeLessThanOrEqual(240);
    expect(c.y + c.h).toBeLessThanOrEqual(240);
  }
});

describe("playground report", () => {
  test("estimates within two standard errors of zero are flagged", () => {
    expect(withinNoise(-1e-4, 2e-4)).toBe(true);
    expect(withinNoise(5e-4, 2e-4)).toBe(false);
    expect(withinNoise(-1e-4, undefined)).toBe(false);
  });
  test("a held-out error the estimator cannot resolve is an upper bound, never 0 %", () => {
    const level = { t: 1, cells: 2, degree: 3, ridge: 0.01, scale: 4 };
    expect(heldOutError({ ...level, heldOutRelError: 0, mseEstimate: 0, mseSE: 0.0005 })).toEqual({
      text: `< ${pct(Math.sqrt(0.001 / 4))}`,
      kind: "bound",
    });
    expect(heldOutError({ ...level, heldOutRelError: 0.05, mseEstimate: 0.01, mseSE: 0.001 })).toEqual({
      text: "5.0 %",
      kind: "resolved",
    });
    expect(pct(0.0031)).toBe("0.31 %");
    expect(pct(0.25)).toBe("25 %");
  });
  test("a level without an error estimate (the paper preset) says so", () => {
    expect(heldOutError({ t: 0.5, cells: 3, degree: 6, ridge: 0, scale: 2 })).toEqual({
      text: "no estimate",
      kind: "none",
    });
  });
  test("what a level fitted on its base: base only, or the degree and ridge", () => {
    const level = { t: 1, cells: 3, scale: 1 };
    expect(correction({ ...level, degree: 0, ridge: 0 }, "practical")).toBe("base only");
    expect(correction({ ...level, degree: 0, ridge: 1 }, "practical")).toBe("degree 0, ridge 1");
    expect(correction({ ...level, degree: 2, ridge: 1e-4 }, "practical")).toBe("degree 2, ridge 1e-4");
    expect(correction({ ...level, degree: 6, ridge: 0 }, "paper")).toBe("degree 6");
    expect(correction({ ...level, degree: 6, ridge: 0.0754 }, "paper")).toBe("degree 6, ball ridge 7.5e-2");
    expect(correction({ ...level, degree: 6, ridge: 12 }, "paper")).toBe("degree 6, ball ridge 12");
  });
  test("the paper preset's notes are explained, other warnings are shown as they are", () => {
    const n = describeWarning("clustering chunks of 400 points are reused (6 updates, 600 clustering points)");
    expect(n.kind).toBe("note");
    expect(n.text).toContain("12,000 training samples");
    // a pool too small for 400-point chunks: the samples needed for fresh 400-point chunks, not for the small ones
    expect(
      describeWarning("clustering chunks of 300 points are reused (4 updates, 300 clustering points)").text,
    ).toContain("8,000 training samples");
    for (const w of [
      "paper preset: the Theorem 3.1 grid (κ = 0.0000639, 207865 levels) is scaled to 16 levels of the same shape",
      "paper preset: degree d = 372 capped to 6 (C(m+d, d) ≤ 28, m = 2)",
      "paper preset: the levels have no error estimate (klTerm sums none)",
    ]) {
      expect(describeWarning(w).kind, w).toBe("note");
    }
    expect(
      describeWarning(
        "paper preset: the Theorem 3.1 grid (κ = 0.0000639, 207865 levels) is scaled to 16 levels of the same shape",
      ).text,
    ).toContain("207,865 noise levels");
    expect(describeWarning("fitScore: something unexpected")).toEqual({
      kind: "warning",
      text: "fitScore: something unexpected",
    });
  });
});

test("API reference tasks: fit, sample, measure first; every export placed once, lead names first", () => {
  expect(TASKS.slice(0, 3).map((t: { id: string }) => t.id)).toEqual(["fit", "sample", "measure"]);
  const items = [
    { pkg: "@mixdiff/score", name: "toX0" },
    { pkg: "@mixdiff/score", name: "fitScore" },
    { pkg: "@mixdiff/mixtures", name: "fitEm" },
    { pkg: "@mixdiff/score", name: "scoreError" },
  ];
  const all = TASKS.flatMap((t: { lead: string[]; packages: string[] }) =>
    t.lead.map((name) => ({ pkg: t.packages[0], name })),
  );
  const placed = placeByTask([...items, ...all.filter((a: { name: string }) => !items.some((i) => i.name === a.name))]);
  // the fit task's lead order (api-tasks.mjs): the learner, the estimators over it and EM, then EM itself
  expect(
    placed
      .get("fit")
      .slice(0, 4)
      .map((i: { name: string }) => i.name),
  ).toEqual(["fitScore", "diffusionEstimator", "emEstimator", "fitEm"]);
  expect(placed.get("fit").at(-1).name).toBe("toX0");
  expect(placed.get("measure").map((i: { name: string }) => i.name)).toContain("scoreError");
  expect(() => placeByTask([{ pkg: "@mixdiff/score", name: "fitScore" }])).toThrow(/which no package exports/);
  // on a package's page its own task's entry points come first: createDistribution before fitEm on mixtures'
  expect(pageRank("@mixdiff/mixtures", "createDistribution")).toBeLessThan(pageRank("@mixdiff/mixtures", "fitEm"));
  expect(pageRank("@mixdiff/mixtures", "fitEm")).toBeLessThan(pageRank("@mixdiff/mixtures", "erf"));
});

test("BENCHMARKS.md keeps the header the benchmarks page skips (its include starts at line 5)", () => {
  const lines = readFileSync(join(import.meta.dirname, "../../../BENCHMARKS.md"), "utf8").split("\n");
  expect(lines[0]).toBe("# Benchmarks");
  expect(lines[2]).toMatch(/^_Generated by/);
  expect(lines[4]).toMatch(/^Machine: /);
  expect(readFileSync(join(import.meta.dirname, "../benchmarks.md"), "utf8")).toContain("BENCHMARKS.md{5,}");
});

test("the home page's picture is the CLI demo's own plot of data, learned samples and EM samples", () => {
  const svg = readFileSync(join(import.meta.dirname, "../public/demo-samples.svg"), "utf8");
  for (const title of ["True vs learned samples", "true distribution (data)", "diffusion model (paper)", "EM baseline"])
    expect(svg).toContain(`>${title}</text>`);
  expect(svg.match(/<circle /g)?.length).toBeGreaterThan(6000); // three panels of ≈ 4 000 points
});
