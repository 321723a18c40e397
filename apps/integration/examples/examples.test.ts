/**
 * Executable documentation: every `@example` ```ts block in the TSDoc of packages/<pkg>/src (tests excluded) is
 * type-checked with tsc against the workspace packages' source (the `@mixdiff/source` condition) and executed.
 * Free names an example uses but does not declare (`model`, `samples`, `y`, `rng`, …) come from the package's
 * `packages/<pkg>/examples-context.ts`: the harness imports the ones the example needs on its first line.
 * Only the symbols a public package exports (from its package.json entry points) are covered; an example containing
 * `// @typecheck-only` is type-checked but not run. A failure names the source file, the documented symbol and the
 * line of the example.
 *
 * Run alone: `pnpm --filter @mixdiff/integration examples` (or `node scripts/test-all.mjs examples`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, test } from "vitest";
import { type Example, exampleFileName, extractExamples } from "./extract";

const root = resolve(import.meta.dirname, "../../..");
const dir = join(import.meta.dirname, "..", ".tmp", "examples");
const examples = extractExamples(root);

/**
 * Examples allowed to fail (none now: every example type-checks and runs). An entry is `<file>#<symbol>` with a
 * comment saying why; the harness still type-checks and runs it, but its failure does not fail the suite (a passing
 * entry is reported as stale).
 */
const KNOWN_FAILURES = new Set<string>([]);

const key = (e: Example) => `${e.file}#${e.symbol}`;

/** Names exported by packages/<pkg>/examples-context.ts, if the package has one. */
function contextExports(pkg: string): { path: string; names: Set<string> } | undefined {
  const path = join(root, "packages", pkg, "examples-context.ts");
  if (!existsSync(path)) return undefined;
  const sf = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  for (const s of sf.statements) {
    // `export { a, b } from "…"` and `export { a }`: a context may pass on another package's values
    if (ts.isExportDeclaration(s) && !s.isTypeOnly && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const el of s.exportClause.elements) if (!el.isTypeOnly) names.add(el.name.text);
      continue;
    }
    const exported = ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) names.add(s.name.text);
  }
  return { path, names };
}

const contexts = new Map<string, ReturnType<typeof contextExports>>();
/**
 * An example's module: a first line importing the context names it uses (free names, and the names of its
 * `declare const` statements, which are blanked), then `// file:line`, then the example's code.
 */
function moduleText(e: Example): string {
  if (!contexts.has(e.pkg)) contexts.set(e.pkg, contextExports(e.pkg));
  const ctx = contexts.get(e.pkg);
  const used = ctx ? e.free.filter((n) => ctx.names.has(n)) : [];
  const lines = e.code.split("\n");
  for (const d of e.declared) {
    if (!ctx || !d.names.every((n) => ctx.names.has(n))) continue;
    used.push(...d.names);
    for (let i = d.lines[0]; i <= d.lines[1]; i++) lines[i] = "";
  }
  const spec = ctx ? relative(dir, ctx.path).replace(/\.ts$/, "") : "";
  const imp = used.length > 0 ? `import { ${[...new Set(used)].join(", ")} } from ${JSON.stringify(spec)}; ` : "";
  return `${imp}// ${e.file}:${e.line} (${e.symbol})\n${lines.join("\n")}\nexport {};\n`;
}

/** Examples containing `// @typecheck-only` (e.g. code that must run inside a browser worker) are not run. */
const runs = (e: Example) => !e.code.includes("// @typecheck-only");

const where = (e: Example, line = 0) => `${e.file}:${e.line + line} (${e.symbol})`;

describe("TSDoc @example blocks", () => {
  let tscErrors: { example?: Example; text: string }[] = [];

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const e of examples) writeFileSync(join(dir, exampleFileName(e)), moduleText(e));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify(
        {
          extends: "../../../../tsconfig.base.json",
          compilerOptions: { types: ["node"], lib: ["ES2022", "DOM"], noEmit: true, noUnusedLocals: false },
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
    // "<file>.ts(12,5): error …" → "packages/x/src/y.ts:line (symbol): error …", grouped by example.
    tscErrors = (r.stdout + r.stderr)
      .split("\n")
      .filter((l) => /error TS\d+/.test(l))
      .map((l) => {
        const m = /^(?:.*\/)?([\w.]+\.ts)\((\d+),(\d+)\)(.*)$/.exec(l);
        const example = m ? examples.find((x) => exampleFileName(x) === m[1]) : undefined;
        return example && m ? { example, text: `${where(example, Number(m[2]) - 2)}${m[4]}` } : { text: l };
      });
    if (r.status !== 0 && tscErrors.length === 0) tscErrors.push({ text: r.stdout + r.stderr });
  }, 180_000);

  test("the packages have examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(200);
  });

  test("every example type-checks", () => {
    const failing = tscErrors.filter((x) => !(x.example && KNOWN_FAILURES.has(key(x.example))));
    expect(failing.map((x) => x.text).join("\n"), "examples that do not type-check").toBe("");
  });

  for (const e of examples.filter(runs)) {
    test(`runs ${where(e)}`, async () => {
      const log = console.log;
      console.log = () => {};
      let error: unknown;
      try {
        await import(pathToFileURL(join(dir, exampleFileName(e))).href);
      } catch (err) {
        error = err;
      } finally {
        console.log = log;
      }
      const typeErrors = tscErrors.some((x) => x.example === e);
      if (KNOWN_FAILURES.has(key(e))) {
        if (!error && !typeErrors) console.warn(`stale KNOWN_FAILURES entry (it passes now): ${key(e)}`);
        return;
      }
      if (error) throw new Error(`example at ${where(e)} failed: ${error instanceof Error ? error.message : error}`);
    });
  }
});
