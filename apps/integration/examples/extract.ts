import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** One ```ts block of an `@example` tag in a package's TSDoc. */
export interface Example {
  /** e.g. `score/src/fit-score.ts#2` (the block's index in its file). */
  id: string;
  /** Package directory name, e.g. `score`. */
  pkg: string;
  /** Path relative to the repository root, e.g. `packages/score/src/fit-score.ts`. */
  file: string;
  /** The documented symbol (the declaration after the comment), e.g. `fitScore` or `Rng.stream`. */
  symbol: string;
  /** 1-based line, in `file`, of the example's first code line. */
  line: number;
  code: string;
  /** Names the example uses without declaring or importing them (filled from the package's context). */
  free: string[];
  /**
   * The example's `declare const a: T, b: U;` statements: their names can be filled from the context too (the
   * statement is then blanked, keeping the line numbers).
   */
  declared: { lines: [number, number]; names: string[] }[];
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** The name of the declaration a comment ending at `end` documents: the next declaration's identifier. */
function symbolAfter(lines: string[], from: number, owner: string | undefined): string {
  for (let i = from; i < Math.min(lines.length, from + 20); i++) {
    const l = lines[i]!.trim();
    if (l === "" || l.startsWith("//") || l.startsWith("@")) continue;
    const m =
      /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/.exec(
        l,
      ) ??
      /^(?:(?:public|private|protected|static|readonly|abstract|override|async|get|set)\s+)*([A-Za-z_$][\w$]*)\??\s*[(:<=]/.exec(
        l,
      );
    if (m) return owner && !/^(export|function|const|class|interface|type)\b/.test(l) ? `${owner}.${m[1]}` : m[1]!;
    return l.slice(0, 40);
  }
  return "?";
}

/** The enclosing class/interface name of line `at` (the nearest preceding top-level declaration). */
function ownerOf(lines: string[], at: number): string | undefined {
  for (let i = at; i >= 0; i--) {
    const m = /^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|interface)\s+([A-Za-z_$][\w$]*)/.exec(lines[i]!);
    if (m) return m[1];
    if (/^(?:export\s+)?(?:function|const|let|type|enum)\b/.test(lines[i]!) || lines[i] === "}") return undefined;
  }
  return undefined;
}

/** The `declare const …` statements of an example: 0-based line range and names. */
function declareStatements(code: string): Example["declared"] {
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: Example["declared"] = [];
  for (const s of sf.statements) {
    if (!ts.isVariableStatement(s) || !s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    const names = s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    const lines: [number, number] = [
      sf.getLineAndCharacterOfPosition(s.getStart(sf)).line,
      sf.getLineAndCharacterOfPosition(s.getEnd()).line,
    ];
    out.push({ lines, names });
  }
  return out;
}

/** Top-level names an example declares or imports, and every identifier it reads. */
function freeNames(code: string): string[] {
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(n) ||
        ts.isFunctionDeclaration(n) ||
        ts.isClassDeclaration(n) ||
        ts.isInterfaceDeclaration(n) ||
        ts.isTypeAliasDeclaration(n) ||
        ts.isParameter(n) ||
        ts.isBindingElement(n) ||
        ts.isImportSpecifier(n) ||
        ts.isNamespaceImport(n) ||
        ts.isImportClause(n)) &&
      n.name
    ) {
      const collect = (b: ts.Node): void => {
        if (ts.isIdentifier(b)) declared.add(b.text);
        else b.forEachChild(collect);
      };
      collect(n.name);
    }
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isPropName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        (ts.isPropertySignature(p) && p.name === n) ||
        ts.isQualifiedName(p);
      if (!isPropName) used.add(n.text);
      if (ts.isShorthandPropertyAssignment(p)) used.add(n.text);
    }
    n.forEachChild(visit);
  };
  visit(sf);
  return [...used].filter((u) => !declared.has(u)).sort();
}

/**
 * The names each public package exports from its entry points (the `@mixdiff/source` files of its package.json
 * `exports`), by package directory name. Private packages (e.g. test-utils) are left out.
 */
export function publicExports(root: string): Map<string, Set<string>> {
  const pkgsDir = join(root, "packages");
  const entries = new Map<string, string[]>();
  for (const pkg of readdirSync(pkgsDir).sort()) {
    const pjPath = join(pkgsDir, pkg, "package.json");
    if (!existsSync(pjPath)) continue;
    const pj = JSON.parse(readFileSync(pjPath, "utf8")) as { private?: boolean; exports?: Record<string, unknown> };
    if (pj.private) continue;
    const files: string[] = [];
    for (const target of Object.values(pj.exports ?? {})) {
      const src = (target as Record<string, unknown> | string)?.["@mixdiff/source" as never];
      if (typeof src === "string") files.push(join(pkgsDir, pkg, src));
    }
    entries.set(pkg, files);
  }
  const program = ts.createProgram([...entries.values()].flat(), {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["@mixdiff/source"],
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, Set<string>>();
  for (const [pkg, files] of entries) {
    const names = new Set<string>();
    for (const f of files) {
      const sf = program.getSourceFile(f);
      const sym = sf && checker.getSymbolAtLocation(sf);
      if (sym) for (const e of checker.getExportsOfModule(sym)) names.add(e.name);
    }
    out.set(pkg, names);
  }
  return out;
}

/**
 * Every `@example` ```ts block in packages/<pkg>/src/** (tests excluded), in file order, of the symbols (and
 * members of symbols) the public packages export.
 */
export function extractExamples(root: string): Example[] {
  const exported = publicExports(root);
  return extractAllExamples(root).filter((e) => exported.get(e.pkg)?.has(e.symbol.split(".")[0]!));
}

/** Every `@example` ```ts block in packages/<pkg>/src/** (tests excluded), exported or not, in file order. */
export function extractAllExamples(root: string): Example[] {
  const out: Example[] = [];
  const pkgsDir = join(root, "packages");
  for (const pkg of readdirSync(pkgsDir).sort()) {
    const src = join(pkgsDir, pkg, "src");
    if (!existsSync(src)) continue;
    for (const abs of walk(src, [])) {
      const file = relative(root, abs);
      const lines = readFileSync(abs, "utf8").split("\n");
      let index = 0;
      let inExample = false;
      let inBlock = false;
      let start = 0;
      let buf: string[] = [];
      let commentEnd = -1;
      const pending: { line: number; code: string; commentStart: number }[] = [];
      let commentStart = -1;
      for (let i = 0; i < lines.length; i++) {
        const raw = lines[i]!;
        if (/^\s*\/\*\*/.test(raw)) {
          commentStart = i;
          inExample = false;
        }
        const body = raw.replace(/^\s*\*\s?/, "");
        if (/^\s*\*\s*@example\b/.test(raw)) inExample = true;
        else if (/^\s*\*\s*@\w+/.test(raw) && !inBlock) inExample = false;
        if (inExample && !inBlock && /^```(ts|typescript)\s*$/.test(body.trim())) {
          inBlock = true;
          start = i + 2;
          buf = [];
        } else if (inBlock && /^```\s*$/.test(body.trim())) {
          inBlock = false;
          pending.push({ line: start, code: buf.join("\n"), commentStart });
        } else if (inBlock) buf.push(body);
        if (/\*\/\s*$/.test(raw) && commentStart >= 0) {
          commentEnd = i;
          if (pending.length > 0) {
            const symbol = symbolAfter(lines, commentEnd + 1, ownerOf(lines, commentStart - 1));
            for (const p of pending) {
              index += 1;
              out.push({
                id: `${pkg}/${relative(join(pkgsDir, pkg), abs)}#${index}`,
                pkg,
                file,
                symbol,
                line: p.line,
                code: p.code,
                free: freeNames(p.code),
                declared: declareStatements(p.code),
              });
            }
            pending.length = 0;
          }
          commentStart = -1;
          inExample = false;
        }
      }
    }
  }
  return out;
}

/** A module file name for an example, stable across runs. */
export function exampleFileName(e: Example): string {
  return `${e.id.replace(/[^a-z0-9]+/gi, "_")}.ts`;
}
