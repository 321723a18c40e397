import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { normalise } from "./.vitepress/theme/lib/bench-normalise";
import type { BenchData } from "./.vitepress/theme/lib/bench-types";

declare const data: BenchData;

export { data };

/**
 * The bench output: the file named by `MIXDIFF_BENCH_JSON` if set, else at the repository root
 * `BENCHMARKS.json` if present, else `bench-results.json` (`mixdiff bench`'s default output).
 */
const fromEnv = process.env.MIXDIFF_BENCH_JSON;
const candidates = [
  ...(fromEnv ? [{ name: basename(fromEnv), path: resolve(fromEnv) }] : []),
  ...["BENCHMARKS.json", "bench-results.json"].map((name) => ({
    name,
    path: fileURLToPath(new URL(`../../${name}`, import.meta.url)),
  })),
];

/**
 * VitePress data loader, read at build time. No `watch` list on purpose: VitePress globs watch patterns, and an
 * absolute pattern outside the docs root makes it crawl the file system; restart `vitepress dev` to reload.
 */
export default {
  load(): BenchData {
    for (const c of candidates) {
      if (!existsSync(c.path)) continue;
      try {
        const { meta, groups } = normalise(JSON.parse(readFileSync(c.path, "utf8")));
        if (groups.length > 0) return { found: true, file: c.name, meta, groups };
      } catch {
        // not JSON: try the next candidate
      }
    }
    return { found: false, file: "", meta: "", groups: [] };
  },
};
