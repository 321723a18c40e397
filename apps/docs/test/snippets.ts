import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A ```ts code block of a guide page. */
export interface Snippet {
  /** e.g. `guide/method.md#2` (the block's index in its page). */
  id: string;
  file: string;
  /** 1-based line of the first code line in the Markdown file. */
  line: number;
  code: string;
  /** Blocks containing `// @typecheck-only` are type-checked but not executed. */
  run: boolean;
}

/** The ```ts / ```typescript blocks of the Markdown files in `dirs` (relative to `root`). */
export function extractSnippets(root: string, dirs: string[]): Snippet[] {
  const out: Snippet[] = [];
  for (const dir of dirs) {
    const files = readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".md"))
      .sort();
    for (const f of files) {
      const rel = `${dir}/${f}`;
      const lines = readFileSync(join(root, rel), "utf8").split("\n");
      let inBlock = false;
      let start = 0;
      let buf: string[] = [];
      let index = 0;
      let fenceLen = 3;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (!inBlock) {
          const m = /^(`{3,})(ts|typescript)\b/.exec(l);
          if (m) {
            inBlock = true;
            fenceLen = m[1]!.length;
            start = i + 2;
            buf = [];
          }
        } else if (new RegExp(`^\`{${fenceLen}}\\s*$`).test(l)) {
          inBlock = false;
          index += 1;
          const code = buf.join("\n");
          out.push({ id: `${rel}#${index}`, file: rel, line: start, code, run: !code.includes("// @typecheck-only") });
        } else buf.push(l);
      }
    }
  }
  return out;
}

/** A file name for a snippet, stable across runs. */
export function snippetFileName(s: Snippet): string {
  return `${s.id.replace(/[^a-z0-9]+/gi, "_")}.ts`;
}
