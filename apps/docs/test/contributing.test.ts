/**
 * The contributor guide's code is real: every `file=` block of contributing/index.md is written, and every
 * `registry=` block added to its registry, in a temporary copy of the repository, and the packages they touch are
 * type-checked there (sources, tests and all, as `tsc -p packages/<pkg>` would). A tsc error in a guide file is
 * reported at its Markdown line. The toy schedule and mixing family then run through their registries' conformance
 * suites there; the sampler and metric sections are followed end to end (conformance suites, build, CLI, API
 * reference) by `contributor-walkthrough.slow.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyBlocks, copyRepository, type GuideBlock, guideBlocks, pnpmExec, typecheckPackages } from "./contributing";

const docs = resolve(import.meta.dirname, "..");
const root = resolve(docs, "../..");
const page = "contributing/index.md";
const blocks = guideBlocks(readFileSync(join(docs, page), "utf8"));

/** The walk-through's four kinds: the section heading's start, and the registry each adds to. */
const KINDS = [
  ["A noise schedule", "schedules"],
  ["A sampler", "samplers"],
  ["A metric", "sampleMetrics"],
  ["A mixing family", "mixingFamilies"],
] as const;

describe("contributing page code", () => {
  let dest = "";
  let result = { output: "", status: 0 as number | null };

  beforeAll(() => {
    dest = mkdtempSync(join(tmpdir(), "mixdiff-guide-"));
    copyRepository(root, dest);
    const pkgs = applyBlocks(dest, blocks);
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    result = typecheckPackages(dest, pkgs, tsc);
    // "packages/x/src/y.ts(12,5): error …" → "contributing/index.md:<line>: error …" for the guide's own files
    result.output = result.output.replace(/^(\S+\.ts)\((\d+),(\d+)\)/gm, (m, f: string, line: string) => {
      const b = blocks.find((x: GuideBlock) => x.kind === "file" && x.path === f);
      return b ? `${page}:${b.line + Number(line) - 1} (${f})` : m;
    });
  }, 180_000);

  afterAll(() => {
    if (dest) rmSync(dest, { recursive: true, force: true });
  });

  test.each(KINDS)("the section %s has its new file and its registry line", (heading, registry) => {
    const inSection = blocks.filter((b) => b.section.startsWith(heading));
    expect(inSection.filter((b) => b.kind === "file").length).toBe(1);
    expect(inSection.some((b) => b.kind === "registry" && b.registry === registry)).toBe(true);
  });

  test("every block, added to a copy of the repository, type-checks with the packages it touches", () => {
    expect(result.output.trim(), result.output).toBe("");
    expect(result.status).toBe(0);
  });

  /** The key the section's registry block adds (`  quadratic: quadraticEntry,` or `  pair,`). */
  const keyOf = (heading: string) => {
    const b = blocks.find((x) => x.section.startsWith(heading) && x.kind === "registry");
    const line = b?.code.split("\n").find((l) => /^\s+\w+[:,]/.test(l));
    return line ? (/^\s+(\w+)/.exec(line)?.[1] as string) : "";
  };

  test.each([
    ["A noise schedule", "packages/schedules", ["src/schedules.test.ts", "src/schedule-entry.test.ts"]],
    ["A mixing family", "packages/mixtures", ["src/mixing-families.test.ts"]],
  ] as const)(
    "the toy of %s passes its registry's conformance suite",
    (heading, pkg, files) => {
      const key = keyOf(heading);
      expect(key).not.toBe("");
      // the suites name each case after its registry key ("schedule quadratic", "registry entry quadratic", …)
      const r = pnpmExec(join(dest, pkg), ["vitest", "run", ...files, "-t", `\\b${key}\\b`]);
      expect(r.status, r.output).toBe(0);
      const passed = /Tests\s+(\d+) passed/.exec(r.output);
      expect(Number(passed?.[1] ?? 0), r.output).toBeGreaterThanOrEqual(5);
    },
    120_000,
  );
});
