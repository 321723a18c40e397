/**
 * The guide's code is real: every ```ts block in guide/*.md is type-checked with tsc against the workspace
 * packages (their src, through the `@mixdiff/source` condition) and executed (unless it says
 * `// @typecheck-only`). A failing block is reported with its Markdown file and line.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { extractSnippets, snippetFileName } from "./snippets";

const root = resolve(import.meta.dirname, "..");
const dir = join(root, ".tmp", "snippets");
const snippets = extractSnippets(root, ["guide"]);

describe("guide snippets", () => {
  let tscOutput = "";
  let tscStatus: number | null = 0;

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const s of snippets) {
      // One module per block; the header keeps tsc's line numbers easy to map back (offset 1).
      writeFileSync(join(dir, snippetFileName(s)), `// ${s.file}:${s.line}\n${s.code}\nexport {};\n`);
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify(
        {
          extends: "../../../../tsconfig.base.json",
          compilerOptions: { types: ["node"], noEmit: true, noUnusedLocals: false },
          include: ["*.ts"],
        },
        null,
        2,
      ),
    );
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], {
      encoding: "utf8",
    });
    tscStatus = r.status;
    // Map "<file>.ts(12,5): error …" back to "guide/x.md:line".
    tscOutput = (r.stdout + r.stderr).replace(/([\w.]+\.ts)\((\d+),(\d+)\)/g, (m, f: string, line: string) => {
      const s = snippets.find((x) => snippetFileName(x) === f);
      return s ? `${s.file}:${s.line + Number(line) - 2}` : m;
    });
  }, 120_000);

  test("the guide has code blocks", () => {
    expect(snippets.length).toBeGreaterThanOrEqual(8);
  });

  test("every block type-checks", () => {
    expect(tscOutput.trim(), tscOutput).toBe("");
    expect(tscStatus).toBe(0);
  });

  for (const s of snippets.filter((x) => x.run)) {
    test(`runs ${s.id} (line ${s.line})`, async () => {
      const log = console.log;
      const lines: string[] = [];
      console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
      try {
        await import(pathToFileURL(join(dir, snippetFileName(s))).href);
      } finally {
        console.log = log;
      }
    });
  }
});
