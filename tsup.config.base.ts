import { defineConfig, type Options } from "tsup";

/**
 * The one tsup configuration every library shares: ESM + CJS + .d.ts, sourcemaps,
 * no bundling of dependencies. A package passes its entry points (e.g. a `./node` subpath).
 */
export function libraryConfig(entry: Record<string, string> = { index: "src/index.ts" }, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    treeshake: true,
    splitting: false,
    ...extra,
  });
}
