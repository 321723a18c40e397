import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalise } from "./.vitepress/theme/lib/bench-normalise";
import type { BenchData } from "./.vitepress/theme/lib/bench-types";

declare const data: BenchData;

export { data };

/** The bench output at the repository root: `BENCHMARKS.json` if present, else `mixdiff bench`'s default file. */
const candidates = ["BENCHMARKS.json", "bench-results.json"].map((name) => ({
  name,
  path: fileURLToPath(new URL(`../../${name}`, import.meta.url)),
}));

/** VitePress data loader: read at build time (and watched in dev). */
export default {
  watch: candidates.map((c) => c.path),
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
