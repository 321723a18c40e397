import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalise } from "./.vitepress/theme/lib/bench-normalise";
import type { BenchData } from "./.vitepress/theme/lib/bench-types";

declare const data: BenchData;

export { data };

/** The bench output (`pnpm bench` writes it at the repository root). */
const file = fileURLToPath(new URL("../../BENCHMARKS.json", import.meta.url));

/** VitePress data loader: read at build time (and watched in dev). */
export default {
  watch: [file],
  load(): BenchData {
    if (!existsSync(file)) return { found: false, file: "BENCHMARKS.json", meta: "", groups: [] };
    try {
      const { meta, groups } = normalise(JSON.parse(readFileSync(file, "utf8")));
      return { found: groups.length > 0, file: "BENCHMARKS.json", meta, groups };
    } catch {
      return { found: false, file: "BENCHMARKS.json", meta: "", groups: [] };
    }
  },
};
