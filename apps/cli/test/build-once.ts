import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

/**
 * Vitest global setup: build dist/cli.js once before any test runs (about 1 s). A failed build removes
 * dist/, so the subprocess tests fail with "dist/cli.js not found" while the unit tests still run.
 */
export default function setup(): void {
  const root = resolve(import.meta.dirname, "..");
  const require = createRequire(join(root, "package.json"));
  const bin = join(dirname(require.resolve("tsup/package.json")), "dist", "cli-default.js");
  try {
    execFileSync(process.execPath, [bin, "--silent"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    rmSync(join(root, "dist"), { recursive: true, force: true });
    process.stderr.write(`build-once: tsup failed:\n${(e as { stderr?: Buffer }).stderr?.toString() ?? e}\n`);
  }
}
