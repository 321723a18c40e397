#!/usr/bin/env node
// Writes cli/reference.md from the built CLI's own help texts: `node ../cli/dist/cli.js --help`, then
// `<command> --help` for every command it lists. The docs build runs this after the CLI is built (turbo's
// ^build orders it through the "@mixdiff/cli" devDependency). Without a built CLI it writes a page that
// says how to build it, and warns.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const docs = resolve(here, "..");
const cli = resolve(docs, "../cli/dist/cli.js");
const out = join(docs, "cli", "reference.md");

function help(args) {
  const r = spawnSync(process.execPath, [cli, ...args, "--help"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", COLUMNS: "100" },
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`mixdiff ${args.join(" ")} --help exited with ${r.status}: ${r.stderr}`);
  return stripVTControlCharacters(r.stdout).trimEnd();
}

/** Command names from commander's "Commands:" section (skipping `help`). */
export function commandsOf(text) {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^Commands:\s*$/.test(l));
  if (start < 0) return [];
  const names = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break; // next section
    const m = /^ {2}([a-z][\w-]*)/.exec(l);
    if (m && m[1] !== "help") names.push(m[1]);
  }
  return names;
}

function fence(text) {
  return ["```text", text.replaceAll("```", "ʼʼʼ"), "```"].join("\n");
}

const header = `---
aside: false
pageClass: mixdiff-wide cli-reference
---

# CLI reference

The \`mixdiff\` command line runs the whole pipeline from a shell: generate data from a spec (or from one of the
examples it ships, \`mixdiff examples\`), fit a model, sample from it, evaluate the samples. Install it from npm
with \`npm install -g @mixdiff/cli\` (Node.js 20 or later), or try it without installing: \`npx @mixdiff/cli demo\`.
In the mixdiff repository run it as \`pnpm mixdiff <command>\`. Every random step takes \`--seed\`; when none is
given a seed is drawn, printed and recorded in the output, so the run can be repeated. \`mixdiff fit\` runs the
practical learner by default (soft gates, the Stein estimator, EM-refined atoms); \`--preset paper\` runs the
paper's Algorithms 1 and 2 as printed, and \`--estimator\` changes the regression estimator alone. [The
method](../guide/method) explains both presets.

This page is generated at build time from the CLI's own \`--help\` output (\`apps/docs/scripts/cli-reference.mjs\`),
so it always matches the options the built CLI accepts.
`;

function main() {
  mkdirSync(dirname(out), { recursive: true });
  if (!existsSync(cli)) {
    console.warn(`cli-reference: ${cli} not found; writing a placeholder (build @mixdiff/cli first)`);
    writeFileSync(
      out,
      `${header}\n::: warning The CLI was not built when this site was built\nRun \`pnpm build\` (or \`pnpm --filter @mixdiff/cli build\`) and rebuild the docs to see every command's options here.\n:::\n`,
    );
  } else {
    const top = help([]);
    const commands = commandsOf(top);
    const toc = ["mixdiff", ...commands.map((c) => `mixdiff ${c}`)]
      .map((t) => `[\`${t}\`](#${t.replace(" ", "-")})`)
      .join(" · ");
    const parts = [header, `Commands: ${toc}`, "", "## mixdiff", "", fence(top), ""];
    for (const c of commands) parts.push(`## mixdiff ${c}`, "", fence(help([c])), "");
    writeFileSync(out, parts.join("\n"));
    console.log(`cli-reference: wrote ${out} (${commands.length} commands)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
