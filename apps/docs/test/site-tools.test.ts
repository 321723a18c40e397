import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { normalise } from "../.vitepress/theme/lib/bench-normalise";
import { histogram, ticks } from "../.vitepress/theme/lib/plot";
// @ts-expect-error plain .mjs script without types
import { commandsOf } from "../scripts/cli-reference.mjs";
import { extractSnippets } from "./snippets";
import { resolveFile } from "./static-server";

describe("benchmarks loader", () => {
  const cases = [
    { name: "array of rows", json: [{ name: "a", hz: 1 }], groups: ["results"] },
    {
      name: "rows grouped by suite",
      json: {
        rows: [
          { suite: "x", v: 1 },
          { suite: "y", v: 2 },
        ],
      },
      groups: ["x", "y"],
    },
    {
      name: "suites map",
      json: { date: "d", suites: { fit: [{ v: 1 }], sample: { rows: [{ v: 2 }] } } },
      groups: ["fit", "sample"],
    },
    { name: "not a table", json: 42, groups: [] },
  ];
  for (const c of cases)
    test(c.name, () => {
      expect(normalise(c.json).groups.map((g) => g.name)).toEqual(c.groups);
    });
  test("grouping removes the group field from the rows", () => {
    expect(normalise([{ suite: "x", v: 1 }]).groups[0].rows).toEqual([{ v: 1 }]);
  });
});

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
  expect(s[0].code).toBe("const a = 1;");
});

test("plot helpers: ticks cover the range at a nice step; histogram integrates to the mass inside", () => {
  expect(ticks(-10, 10)).toEqual([-10, -5, 0, 5, 10]);
  const c = { data: Float64Array.from([0.1, 0.1, -0.5, -0.5, 9, 9]), rows: 3 };
  const h = histogram(c, { nx: 2, ny: 2, x0: -1, x1: 1, y0: -1, y1: 1 });
  const cell = 1; // each of the 2×2 cells is 1×1
  expect(h.values.reduce((a, b) => a + b, 0) * cell).toBeCloseTo(2 / 3, 12);
});
