#!/usr/bin/env node
// Packaging check for every library in packages/: `pnpm pack` (which rewrites workspace:* ranges),
// publint and @arethetypeswrong/cli on the tarball, then install all tarballs with npm into a
// temporary project outside the workspace and import every entry point from ESM and from CJS.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "mixdiff-pack-"));
const tarDir = join(work, "tarballs");
mkdirSync(tarDir);
let problems = 0;
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const libs = [];
for (const name of readdirSync(join(root, "packages")).sort()) {
  const dir = join(root, "packages", name);
  const pj = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pj.private) continue;
  const out = sh("pnpm", ["pack", "--pack-destination", tarDir], dir).trim().split("\n").pop();
  const tarball = out.endsWith(".tgz")
    ? out
    : join(
        tarDir,
        readdirSync(tarDir).find((f) => f.includes(name)),
      );
  const subpaths = Object.keys(pj.exports ?? { ".": {} }).filter((k) => k !== "./package.json");
  libs.push({ name: pj.name, dir, tarball, subpaths });
  for (const [tool, args] of [
    ["publint", ["exec", "publint", "run", tarball, "--level", "warning", "--strict"]],
    ["attw", ["exec", "attw", tarball, "--format", "ascii", "--profile", "node16"]],
  ]) {
    try {
      sh("pnpm", args, root);
      console.log(`ok   ${tool} ${pj.name}`);
    } catch (e) {
      problems++;
      console.log(`FAIL ${tool} ${pj.name}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
  }
}

// A consumer project outside the workspace.
const app = join(work, "consumer");
mkdirSync(app);
const deps = Object.fromEntries(libs.map((l) => [l.name, `file:${l.tarball}`]));
writeFileSync(
  join(app, "package.json"),
  JSON.stringify({ name: "consumer", private: true, dependencies: deps, overrides: deps }, null, 2),
);
try {
  sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], app);
  console.log("ok   npm install of all tarballs");
} catch (e) {
  problems++;
  console.log(`FAIL npm install\n${e.stdout ?? ""}${e.stderr ?? ""}`);
}

for (const lib of libs) {
  for (const sub of lib.subpaths) {
    const spec = sub === "." ? lib.name : `${lib.name}/${sub.slice(2)}`;
    const esm = `const m = await import(${JSON.stringify(spec)}); const n = Object.keys(m).length; if (n === 0) throw new Error("no exports"); console.log(n);`;
    const cjs = `const m = require(${JSON.stringify(spec)}); const n = Object.keys(m).length; if (n === 0) throw new Error("no exports"); console.log(n);`;
    for (const [kind, file, code] of [
      ["ESM", "probe.mjs", esm],
      ["CJS", "probe.cjs", cjs],
    ]) {
      writeFileSync(join(app, file), code);
      try {
        const n = sh("node", [file], app).trim();
        console.log(`ok   ${kind} import ${spec} (${n} exports)`);
      } catch (e) {
        problems++;
        console.log(`FAIL ${kind} import ${spec}\n${e.stderr ?? ""}`);
      }
    }
  }
}

rmSync(work, { recursive: true, force: true });
console.log(problems === 0 ? "pack check: all good" : `pack check: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
