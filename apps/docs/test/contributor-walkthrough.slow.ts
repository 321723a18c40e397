/**
 * The contributor guide's walk-through, followed literally (issue 20): in a temporary copy of the repository, the
 * sampler and metric sections of contributing/index.md are applied as printed — each section's one new file and
 * its registry line(s), parsed from the Markdown — and then:
 *
 * - the registries' conformance suites run on the two new entries (`samplers.test.ts`, `sample-metrics.test.ts`);
 * - the affected packages and the CLI are built (`turbo run build --only` for diffusion, metrics and the CLI);
 * - the CLI accepts and runs them: `sample --help` lists the sampler with its note, `sample --oracle --sampler <toy>`
 *   runs it, `evaluate --help` lists the metric with its description, `evaluate --metrics <toy>` computes it;
 * - the docs see them: the CLI reference page (`apps/docs/scripts/cli-reference.mjs`, from the built CLI's help)
 *   lists both, and the API reference (TypeDoc, as `pnpm docs:build` runs it) lists both under the
 *   `samplers` and `sampleMetrics` registries. The VitePress site itself is not built (its pages only include
 *   these generated files).
 *
 * Run alone: `node scripts/test-all.mjs walkthrough` (about a minute and a half).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyBlocks, cleanEnv, copyRepository, guideBlocks, pnpmExec } from "./contributing";

const docs = resolve(import.meta.dirname, "..");
const root = resolve(docs, "../..");
const blocks = guideBlocks(readFileSync(join(docs, "contributing/index.md"), "utf8"));

/** The blocks of the guide's section whose heading starts with `heading`. */
const section = (heading: string) => blocks.filter((b) => b.section.startsWith(heading));
const sampler = section("A sampler");
const metric = section("A metric");

/** The registry key a section adds: the first entry line of its registry block (`  name,` or `  name: value,`). */
function keyOf(sectionBlocks: typeof blocks): string {
  for (const b of sectionBlocks.filter((x) => x.kind === "registry")) {
    const line = b.code.split("\n").find((l) => /^\s+\w+[:,]/.test(l));
    if (line) return /^\s+(\w+)/.exec(line)?.[1] as string;
  }
  throw new Error("the section has no registry entry line");
}

describe("the contributor guide's walk-through (toy sampler and toy metric)", () => {
  const samplerName = keyOf(sampler);
  const metricName = keyOf(metric);
  let dest = "";
  let build = { status: 0 as number | null, output: "" };
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(dest, "apps/cli/dist/cli.js"), ...args], {
      cwd: dest,
      encoding: "utf8",
      env: { ...cleanEnv(), COLUMNS: "100" },
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    dest = mkdtempSync(join(tmpdir(), "mixdiff-walkthrough-"));
    copyRepository(root, dest);
    // exactly what the guide says: each section's one file and its registry line(s)
    expect(applyBlocks(dest, [...sampler, ...metric]).sort()).toEqual(["packages/diffusion", "packages/metrics"]);
    build = pnpmExec(dest, [
      "turbo",
      "run",
      "build",
      "--only",
      "--filter=@mixdiff/diffusion",
      "--filter=@mixdiff/metrics",
      "--filter=@mixdiff/cli",
      "--output-logs=errors-only",
    ]);
  }, 300_000);

  afterAll(() => {
    if (dest) rmSync(dest, { recursive: true, force: true });
  });

  test("each section is one new file plus its registry line(s)", () => {
    for (const s of [sampler, metric]) {
      expect(s.filter((b) => b.kind === "file").length).toBe(1);
      const entries = s
        .filter((b) => b.kind === "registry")
        .flatMap((b) => b.code.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("import ")));
      expect(entries.length).toBe(1);
    }
    expect(samplerName).toMatch(/^[a-z]\w+$/);
    expect(metricName).toMatch(/^[a-z]\w+$/);
  });

  test("the registries' conformance suites accept the two new entries", () => {
    const s = pnpmExec(join(dest, "packages/diffusion"), [
      "vitest",
      "run",
      "src/samplers.test.ts",
      "-t",
      `sampler ${samplerName}\\b`,
    ]);
    expect(s.status, s.output).toBe(0);
    expect(Number(/Tests\s+(\d+) passed/.exec(s.output)?.[1] ?? 0), s.output).toBeGreaterThanOrEqual(6);
    const m = pnpmExec(join(dest, "packages/metrics"), [
      "vitest",
      "run",
      "src/sample-metrics.test.ts",
      "-t",
      `\\b${metricName} in`,
    ]);
    expect(m.status, m.output).toBe(0);
    expect(Number(/Tests\s+(\d+) passed/.exec(m.output)?.[1] ?? 0), m.output).toBeGreaterThanOrEqual(8);
  }, 180_000);

  test("the affected packages and the CLI build", () => {
    expect(build.status, build.output).toBe(0);
    for (const f of ["packages/diffusion/dist", "packages/metrics/dist", "apps/cli/dist/cli.js"]) {
      expect(existsSync(join(dest, f)), f).toBe(true);
    }
  });

  /** A string field of the section's new file (`note: "…"`, `description: "…"`). */
  const field = (blocks: typeof sampler, name: string) =>
    blocks.find((b) => b.kind === "file")?.code.match(new RegExp(`${name}: "([^"]+)"`))?.[1] as string;
  /** Help text with its line breaks folded, as a reader would search it. */
  const folded = (text: string) => text.replace(/\s+/g, " ");

  test("mixdiff sample lists the new sampler in its help and runs it", () => {
    const help = cli("sample", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^\\s+${samplerName}\\b`, "m"));
    expect(folded(help.stdout)).toContain(folded(field(sampler, "note")));
    const spec = cli("examples", "gmm2d");
    expect(spec.status, spec.stderr).toBe(0);
    writeFileSync(join(dest, "gmm2d.json"), spec.stdout);
    const r = cli(
      "sample",
      "gmm2d.json",
      "--oracle",
      "--n",
      "300",
      "--seed",
      "1",
      "--steps",
      "40",
      "--sampler",
      samplerName,
      "--out",
      "samples.csv",
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).method).toBe(samplerName);
    const rows = readFileSync(join(dest, "samples.csv"), "utf8").trim().split("\n");
    expect(rows.length).toBe(301); // header + 300 rows
    expect(rows.slice(1).every((l) => l.split(",").every((v) => Number.isFinite(Number(v))))).toBe(true);
    const bad = cli("sample", "gmm2d.json", "--oracle", "--n", "5", "--sampler", "noSuchSampler", "--out", "-");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(samplerName);
  });

  test("mixdiff evaluate lists the new metric in its help and computes it", () => {
    const help = cli("evaluate", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^\\s+${metricName}\\b`, "m"));
    expect(folded(help.stdout)).toContain(folded(field(metric, "description")));
    const r = cli("evaluate", "samples.csv", "--example", "gmm2d", "--metrics", metricName, "--seed", "1", "--json");
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).metrics as { name: string; value: number; standardError: number }[];
    expect(rows.map((m) => m.name)).toEqual([metricName]);
    expect(Number.isFinite(rows[0]?.value)).toBe(true);
    expect(rows[0]?.standardError).toBeGreaterThan(0);
  });

  test("the docs list them: the CLI reference page and the API reference", () => {
    const ref = spawnSync(process.execPath, ["scripts/cli-reference.mjs"], {
      cwd: join(dest, "apps/docs"),
      encoding: "utf8",
      env: cleanEnv(),
    });
    expect(ref.status, ref.stderr).toBe(0);
    const reference = readFileSync(join(dest, "apps/docs/cli/reference.md"), "utf8");
    expect(reference).toContain(samplerName);
    expect(reference).toContain(metricName);
    const api = join(dest, ".tmp", "api");
    const td = pnpmExec(join(dest, "apps/docs"), ["typedoc", "--out", api]);
    expect(td.status, td.output).toBe(0);
    expect(readFileSync(join(api, "@mixdiff/diffusion/variables/samplers.md"), "utf8")).toContain(samplerName);
    expect(readFileSync(join(api, "@mixdiff/metrics/variables/sampleMetrics.md"), "utf8")).toContain(metricName);
  }, 180_000);
});
