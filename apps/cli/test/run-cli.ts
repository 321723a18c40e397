import { type SpawnOptions, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Absolute path of the built CLI. */
export const CLI = resolve(import.meta.dirname, "..", "dist", "cli.js");
/** Repository root (for test-fixtures). */
export const ROOT = resolve(import.meta.dirname, "..", "..", "..");
export const CASES = join(ROOT, "test-fixtures", "eval", "cases");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` synchronously. */
export function runCli(
  args: readonly string[],
  opts: { cwd?: string; input?: string; timeoutMs?: number } = {},
): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Starts the CLI asynchronously (for signal tests). */
export function startCli(args: readonly string[], opts: SpawnOptions = {}) {
  return spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], ...opts });
}

/** A fresh temporary directory; call the returned cleanup in afterAll/afterEach. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "mixdiff-cli-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
