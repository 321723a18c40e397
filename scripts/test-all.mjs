#!/usr/bin/env node
// The README's test command (`pnpm test`): build, lint, typecheck, every package's unit tests, the TSDoc
// @example blocks, the contributor guide's walk-through, the packaging check, the benchmark harness in quick mode
// and the browser tests. Each vitest run writes a JSON report; the counts are summed and printed as one plain closing line
// "N passed, N failed". Exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const reports = join(root, ".tmp", "test-reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, args, opts = {}) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(" ")}\n`);
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? root, stdio: "inherit", env: { ...process.env, ...opts.env } });
  const ok = r.status === 0;
  process.stdout.write(
    `=== ${label}: ${ok ? "ok" : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return ok;
}

/** A step that is not a vitest run counts as one check. */
function check(label, cmd, args, opts) {
  if (run(label, cmd, args, opts)) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

/** A vitest run: counts its tests from the JSON report. */
function vitest(label, cwd, args = []) {
  const out = join(reports, `${label.replace(/[^a-z0-9]+/gi, "_")}.json`);
  const ok = run(
    label,
    "pnpm",
    ["exec", "vitest", "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { cwd },
  );
  let counted = false;
  if (existsSync(out)) {
    try {
      const j = JSON.parse(readFileSync(out, "utf8"));
      passed += j.numPassedTests ?? 0;
      failed += (j.numFailedTests ?? 0) + (j.numTodoTests ?? 0) * 0;
      counted = true;
      if ((j.numFailedTests ?? 0) > 0 || (!ok && j.numFailedTests === 0)) failures.push(label);
      if (!ok && (j.numFailedTests ?? 0) === 0) failed++; // suite-level failure (e.g. a file that fails to load)
    } catch {
      /* fall through */
    }
  }
  if (!counted) {
    failed++;
    failures.push(label);
  }
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want("build")) check("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
if (want("lint")) check("lint", "pnpm", ["exec", "biome", "check", "."]);
if (want("typecheck")) check("typecheck", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);

if (want("unit")) {
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      const pj = join(dir, "package.json");
      if (!existsSync(pj)) continue;
      const scripts = JSON.parse(readFileSync(pj, "utf8")).scripts ?? {};
      if (!scripts.test) continue;
      vitest(`${group}/${name}`, dir);
    }
  }
}

// Executable documentation: every TSDoc @example of the public packages type-checked and run (ARCHITECTURE.md).
if (want("examples")) {
  vitest("examples (TSDoc @example blocks)", join(root, "apps/integration"), ["--config", "vitest.examples.config.ts"]);
}

// The contributor guide's walk-through (apps/docs/contributing/index.md, issue 20): its toy sampler and metric added as
// the guide says in a temporary copy of the repository, built, run by the CLI and found in the docs (about 1.5 min).
if (want("walkthrough")) {
  vitest("contributor walk-through (apps/docs/contributing)", join(root, "apps/docs"), [
    "--config",
    "vitest.walkthrough.config.ts",
  ]);
}

if (want("pack"))
  check(
    "pack (publint, attw, publishing rules, npm install outside the repo, ESM+CJS import, CLI flow, bundle sizes)",
    "node",
    ["scripts/pack-check.mjs"],
  );
if (want("bench") && existsSync(join(root, "apps/cli/dist/cli.js"))) {
  check("bench --quick (harness check, not speed)", "node", [
    "apps/cli/dist/cli.js",
    "bench",
    "--quick",
    "--out",
    join(reports, "bench.json"),
    "--force",
  ]);
}
if (want("e2e") && existsSync(join(root, "apps/docs/vitest.e2e.config.ts"))) {
  vitest("apps/docs e2e (Chromium)", join(root, "apps/docs"), ["--config", "vitest.e2e.config.ts"]);
}

process.stdout.write(`\nfailed steps: ${failures.length ? failures.join("; ") : "none"}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
