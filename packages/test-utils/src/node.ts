/// <reference types="node" />
/**
 * Node-only test helpers: bundling a TypeScript snippet (or a worker entry) from the workspace's sources and running
 * it in a child process, for tests of what only a separate process shows (threads it starts, whether it exits).
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { createRequire } from "node:module";

/** esbuild as vitest's vite ships it (the workspace has no esbuild of its own to pin). */
function esbuild(): { build(options: Record<string, unknown>): Promise<unknown> } {
  const req = createRequire(createRequire(import.meta.url).resolve("vite"));
  return req("esbuild") as { build(options: Record<string, unknown>): Promise<unknown> };
}

/** Lets a bundled ESM module `require` Node's built-ins (some dependencies do). */
const REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * Bundles `entry` — a file, or `{ contents, resolveDir }` TypeScript resolved from `resolveDir` — for Node (ESM,
 * the `@mixdiff/source` condition, so workspace packages come from their sources) into `outfile`.
 *
 * @example
 * ```ts
 * await bundleForNode(join(import.meta.dirname, "worker.ts"), join(dir, "worker.mjs"));
 * ```
 */
export async function bundleForNode(
  entry: string | { contents: string; resolveDir: string },
  outfile: string,
  options: { external?: string[] } = {},
): Promise<void> {
  await esbuild().build({
    ...(typeof entry === "string"
      ? { entryPoints: [entry] }
      : { stdin: { ...entry, sourcefile: "entry.ts", loader: "ts" } }),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@mixdiff/source"],
    external: options.external ?? [],
    outfile,
    banner: { js: REQUIRE_BANNER },
    logLevel: "error",
  });
}

/**
 * Bundles `contents` (see {@link bundleForNode}) into `outfile` and runs it with this Node and `args`, waiting at
 * most `timeoutMs`: a script that does not exit by then comes back with `error` set (ETIMEDOUT).
 *
 * @example
 * ```ts
 * const run = await runSnippet({ contents: `console.log(1)`, resolveDir: import.meta.dirname, outfile, args: [], timeoutMs: 10_000 });
 * expect(run.stdout.trim()).toBe("1");
 * ```
 */
export async function runSnippet(o: {
  contents: string;
  resolveDir: string;
  outfile: string;
  args: readonly string[];
  timeoutMs: number;
  external?: string[];
}): Promise<SpawnSyncReturns<string>> {
  await bundleForNode({ contents: o.contents, resolveDir: o.resolveDir }, o.outfile, { external: o.external });
  return spawnSync(process.execPath, [o.outfile, ...o.args], { encoding: "utf8", timeout: o.timeoutMs });
}
