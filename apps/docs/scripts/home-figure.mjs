#!/usr/bin/env node
// Regenerates public/demo-samples.svg, the home page's picture: the built CLI's `mixdiff demo` (fixed seed,
// 4 000 training points) fits the diffusion model and EM to samples of its 4-component 2-D mixture and draws
// data, learned samples and EM samples with the CLI's own plot code; this copies that `samples.svg`
// (adding a <title> for screen readers).
// Run after `pnpm build` (about 20 s): node apps/docs/scripts/home-figure.mjs
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const docs = resolve(import.meta.dirname, "..");
const cli = resolve(docs, "../cli/dist/cli.js");
const out = join(docs, "public", "demo-samples.svg");
const work = mkdtempSync(join(tmpdir(), "mixdiff-home-figure-"));
try {
  const args = ["demo", "--out", join(work, "demo"), "--n", "4000", "--seed", "demo"];
  execFileSync(process.execPath, [cli, ...args], { stdio: ["ignore", "ignore", "pipe"] }); // progress only on failure
  // The plot as the CLI drew it, with a <title> for screen readers.
  const svg = readFileSync(join(work, "demo", "samples.svg"), "utf8").replace(
    /^(<svg[^>]*>)/,
    "$1<title>Samples of a four-component Gaussian mixture in 2-D, of the diffusion model learned from them, and of EM</title>",
  );
  if (!svg.includes("<title>")) throw new Error("home-figure: samples.svg does not start with an <svg> element");
  writeFileSync(out, svg);
  console.log(`home-figure: wrote ${out} (mixdiff ${args.join(" ")})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
