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

/**
 * Runs the CLI with `MIXDIFF_REPORT_RSS=1` and returns its exit status, stderr and peak resident set size in KiB
 * (the `max-rss-kib N` line the CLI prints on exit), for the memory-ceiling tests.
 */
export function runCliRss(args: readonly string[]): RunResult & { kib: number } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, MIXDIFF_REPORT_RSS: "1" },
  });
  const kib = Number(/max-rss-kib (\d+)/.exec(r.stderr ?? "")?.[1]);
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "", kib };
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

/**
 * Starts the CLI, waits until stderr matches `waitFor` (a progress line: the work is under way), sends `signal` and
 * resolves with the exit code. `feed` writes to stdin (kept open) and waits until the CLI has consumed it. A run
 * that shows no progress within `timeoutMs`, or does not end within `timeoutMs` after the signal, is killed
 * (SIGKILL) and reported as `code: null, hung: true`.
 */
export async function signalDuringWork(
  args: readonly string[],
  opts: { cwd: string; waitFor?: RegExp; signal: NodeJS.Signals; feed?: Buffer; timeoutMs?: number },
): Promise<{ code: number | null; stderr: string; stdout: string; hung: boolean }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    stdio: [opts.feed ? "pipe" : "ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  let stdout = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  const ready = new Promise<void>((resolveReady) => {
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (opts.waitFor?.test(stderr)) resolveReady();
    });
    if (opts.feed) {
      // a pipe holds 64 KiB: once a write of several MiB is flushed, the CLI has read (and parsed) most of it
      child.stdin!.on("error", () => {});
      child.stdin!.write(opts.feed, () => resolveReady());
    }
  });
  // no progress line in time: stop the child here (never leave it running) and report it
  let waiting: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((r) => {
    waiting = setTimeout(() => r("late"), opts.timeoutMs ?? 60_000);
  });
  const started = await Promise.race([ready, exited, late]);
  clearTimeout(waiting);
  if (started === "late") {
    child.kill("SIGKILL");
    await exited;
    return { code: null, stderr, stdout, hung: true };
  }
  child.kill(opts.signal);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((r) => {
    timer = setTimeout(() => r("hung"), opts.timeoutMs ?? 60_000);
  });
  const code = await Promise.race([exited, hung]);
  clearTimeout(timer);
  if (code === "hung") {
    child.kill("SIGKILL");
    await exited;
    return { code: null, stderr, stdout, hung: true };
  }
  return { code, stderr, stdout, hung: false };
}
