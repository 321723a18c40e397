/**
 * Shared helpers for the reliability suite: typed-error assertions, CLI subprocess runs in temp dirs.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ErrorCode, isMixdiffError } from "@mixdiff/core";
import { expect } from "vitest";

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The built CLI entry point (`pnpm --filter @mixdiff/cli build`; `pnpm test` builds it first). */
export const CLI = join(ROOT, "apps/cli/dist/cli.js");
/** True when the CLI has been built. */
export const cliBuilt = existsSync(CLI);

/** The small 2-D two-atom spec the suites share: atoms at `points` with `weights`, σ0 = 1. */
export function twoAtomSpec(
  points: [number, number][] = [
    [-3, 0],
    [3, 0],
  ],
  weights: [number, number] = [0.5, 0.5],
) {
  return { dim: 2, noiseStd: 1, mixing: { kind: "atoms" as const, points, weights } };
}

/**
 * Runs `fn` and asserts it throws a MixdiffError with `code` whose message matches every pattern.
 * Returns the error for further checks.
 */
export function expectMixdiffError(fn: () => unknown, code: ErrorCode, ...patterns: RegExp[]) {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected a MixdiffError, nothing was thrown").toBeDefined();
  if (!isMixdiffError(thrown)) throw new Error(`expected MixdiffError ${code}; got ${String(thrown)}`);
  expect(thrown.code, thrown.message).toBe(code);
  for (const p of patterns) expect(thrown.message).toMatch(p);
  return thrown;
}

/** Async variant of {@link expectMixdiffError}. */
export async function expectMixdiffErrorAsync(fn: () => Promise<unknown>, code: ErrorCode, ...patterns: RegExp[]) {
  let thrown: unknown;
  try {
    await fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected a MixdiffError, nothing was thrown").toBeDefined();
  if (!isMixdiffError(thrown)) throw new Error(`expected MixdiffError ${code}; got ${String(thrown)}`);
  expect(thrown.code, thrown.message).toBe(code);
  for (const p of patterns) expect(thrown.message).toMatch(p);
  return thrown;
}

/** Runs `fn`; it must either return or throw a MixdiffError (never a bare SyntaxError/TypeError/RangeError). */
export function onlyTypedErrors(fn: () => unknown): "ok" | ErrorCode {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (isMixdiffError(e)) return e.code;
    throw new Error(`untyped error escaped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

/** A fresh temp directory (removed by the caller with {@link rmTemp}). */
export function makeTemp(prefix = "mixdiff-it-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function rmTemp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file left in `dir` (names only, sorted). */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI synchronously in `cwd`. */
export function runCli(args: readonly string[], opts: { cwd?: string; input?: string; timeoutMs?: number } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 60_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "" } as CliResult;
}

/**
 * Spawns the CLI, waits until stderr or stdout matches `waitFor` (e.g. a progress line), sends `signal`
 * after an extra `delayMs`, and resolves with the result.
 */
export function runCliAndSignal(
  args: readonly string[],
  opts: { cwd: string; waitFor: RegExp; signal: NodeJS.Signals; delayMs?: number; timeoutMs?: number },
): Promise<CliResult & { signalled: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", MIXDIFF_PROGRESS: "1" },
    });
    let stdout = "";
    let stderr = "";
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timeout; stderr so far: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    const maybeSignal = () => {
      if (signalled) return;
      if (opts.waitFor.test(stderr) || opts.waitFor.test(stdout)) {
        signalled = true;
        setTimeout(() => child.kill(opts.signal), opts.delayMs ?? 0);
      }
    };
    child.stdout.on("data", (d) => {
      stdout += d;
      maybeSignal();
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      maybeSignal();
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr, signalled });
    });
  });
}
