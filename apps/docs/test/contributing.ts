/**
 * The contributor guide (contributing/index.md) as instructions a test can follow: its ```ts blocks marked
 * `file=<path>` (a whole new file) and `registry=<path>#<name>` (lines to add to the registry map `<name>`: its
 * `import` lines after the file's imports, the other lines at the end of the map), a temporary copy of the
 * repository to follow them in, and the edit itself.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A ```ts block of the guide that says where its code goes. */
export interface GuideBlock {
  /** `file`: a whole new file at `path`; `registry`: lines to add to the map `registry` in `path`. */
  kind: "file" | "registry";
  /** Repository-relative path. */
  path: string;
  /** The registry map's name (`registry` blocks). */
  registry?: string;
  code: string;
  /** The `## ` heading the block is under. */
  section: string;
  /** 1-based line of the block's first code line in the Markdown file. */
  line: number;
}

/** The `file=` and `registry=` blocks of a Markdown page, in page order. */
export function guideBlocks(markdown: string): GuideBlock[] {
  const out: GuideBlock[] = [];
  const lines = markdown.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.startsWith("## ")) section = l.slice(3).trim();
    const m = /^```ts\s+(file|registry)=(\S+)\s*$/.exec(l);
    if (!m) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    const [path, registry] = (m[2] as string).split("#");
    out.push({
      kind: m[1] as "file" | "registry",
      path: path as string,
      ...(registry !== undefined && { registry }),
      code: lines.slice(start, end).join("\n"),
      section,
      line: start + 1,
    });
    i = end;
  }
  return out;
}

/**
 * Adds a `registry` block to the text of its registry file: `import` lines after the last import, the other
 * lines at the end of the map `export const <registry> = {` (before its closing `}` and any comment lines just
 * above it). Throws when the map is not found.
 */
export function addToRegistry(text: string, block: GuideBlock): string {
  const lines = text.split("\n");
  const code = block.code.split("\n").filter((l) => l.trim() !== "");
  const imports = code.filter((l) => l.startsWith("import "));
  const entries = code.filter((l) => !l.startsWith("import "));
  const open = lines.findIndex((l) => new RegExp(`^export const ${block.registry} = \\{\\s*$`).test(l));
  if (open < 0) throw new Error(`${block.path}: no "export const ${block.registry} = {" line`);
  let close = open + 1;
  while (close < lines.length && !(lines[close] as string).startsWith("}")) close++;
  if (close === lines.length) throw new Error(`${block.path}: the map ${block.registry} does not close`);
  while (/^\s*\/\//.test(lines[close - 1] as string)) close--;
  lines.splice(close, 0, ...entries);
  if (imports.length > 0) {
    let last = -1;
    for (let i = 0; i < open; i++) {
      if ((lines[i] as string).startsWith("import ")) {
        last = i;
        while (!(lines[last] as string).trimEnd().endsWith(";")) last++; // a multi-line import
      }
    }
    lines.splice(last + 1, 0, ...imports);
  }
  return lines.join("\n");
}

/** Writes `blocks` into the repository copy at `dest`; returns the package directories they touched. */
export function applyBlocks(dest: string, blocks: readonly GuideBlock[]): string[] {
  const touched = new Set<string>();
  for (const b of blocks) {
    const file = join(dest, b.path);
    if (b.kind === "file") {
      if (existsSync(file)) throw new Error(`${b.path} already exists: the guide's example must be a new file`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${b.code}\n`);
    } else writeFileSync(file, addToRegistry(readFileSync(file, "utf8"), b));
    touched.add(b.path.split("/").slice(0, 2).join("/"));
  }
  return [...touched];
}

/**
 * Copies the repository at `root` (its tracked and untracked-but-not-ignored files, as in the working tree) to
 * `dest`, with working `node_modules`: the workspaces' own `node_modules` (pnpm's relative links) are copied, the
 * root's top level too, and its package store `.pnpm` is linked to the original. About a second.
 */
export function copyRepository(root: string, dest: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
    .split("\0")
    .filter((f) => f !== "");
  for (const f of new Set(files)) {
    const src = join(root, f);
    if (!existsSync(src)) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(src, join(dest, f));
  }
  const rootModules = join(root, "node_modules");
  mkdirSync(join(dest, "node_modules"), { recursive: true });
  for (const e of readdirSync(rootModules)) {
    if (e === ".pnpm") symlinkSync(join(rootModules, ".pnpm"), join(dest, "node_modules", ".pnpm"));
    else cpSync(join(rootModules, e), join(dest, "node_modules", e), { recursive: true, verbatimSymlinks: true });
  }
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, group))) {
      const nm = join(root, group, name, "node_modules");
      if (!existsSync(nm) || !existsSync(join(dest, group, name))) continue;
      cpSync(nm, join(dest, group, name, "node_modules"), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => !/[\\/]\.(vite|cache|vitepress)([\\/]|$)/.test(src),
      });
    }
  }
}

/**
 * Type-checks the package directories `pkgs` of the copy at `dest` in one tsc program: their own tsconfig
 * `include`s, under the repository's base options (every package's tsconfig is the base plus `include`).
 * Returns tsc's output (empty when clean) and exit status.
 */
export function typecheckPackages(
  dest: string,
  pkgs: readonly string[],
  tsc: string,
): { output: string; status: number | null } {
  const include: string[] = [];
  for (const p of pkgs) {
    const cfg = JSON.parse(readFileSync(join(dest, p, "tsconfig.json"), "utf8")) as {
      extends?: string;
      compilerOptions?: object;
      include?: string[];
    };
    if (cfg.extends !== "../../tsconfig.base.json" || cfg.compilerOptions !== undefined) {
      throw new Error(`${p}/tsconfig.json has options of its own: type-check it on its own`);
    }
    for (const i of cfg.include ?? ["src"]) if (existsSync(join(dest, p, i))) include.push(`${p}/${i}`);
  }
  writeFileSync(
    join(dest, "tsconfig.guide.json"),
    JSON.stringify({ extends: "./tsconfig.base.json", include }, null, 2),
  );
  try {
    const output = execFileSync(process.execPath, [tsc, "-p", "tsconfig.guide.json", "--pretty", "false"], {
      cwd: dest,
      encoding: "utf8",
    });
    return { output, status: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number | null };
    return { output: `${err.stdout ?? ""}${err.stderr ?? ""}`, status: err.status ?? 1 };
  }
}

/** The environment for a tool run inside a test: without the outer vitest's variables. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
  for (const k of Object.keys(env)) if (k.startsWith("VITEST") || k === "TEST") delete env[k];
  return env;
}

/**
 * Runs `pnpm exec <args>` in `cwd` (e.g. `vitest run <file> -t <name>` in a package of the copy); returns the exit
 * status and the output.
 */
export function pnpmExec(
  cwd: string,
  args: readonly string[],
  timeout = 180_000,
): { status: number | null; output: string } {
  const r = spawnSync("pnpm", ["exec", ...args], { cwd, encoding: "utf8", env: cleanEnv(), timeout });
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}
