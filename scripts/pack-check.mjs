#!/usr/bin/env node
// Packaging check for every public package (packages/* and the CLI in apps/cli), as a user gets them:
//  1. `pnpm pack` (which rewrites workspace: ranges), then on each tarball publint and @arethetypeswrong/cli,
//     and the publishing rules: LICENSE (the root one) inside, semver ranges for runtime dependencies, no
//     placeholder metadata, no README links that only work inside the repository;
//  2. npm install of all tarballs in an empty project outside the repository; import of every entry point
//     from ESM and CJS; the CLI there: `npx mixdiff demo` and generate → fit → sample → evaluate; worker-thread
//     sampling through the installed `@mixdiff/diffusion/node`; the estimators (EM, the probability-flow likelihood);
//  3. `@mixdiff/diffusion` installed alone: no native module, no piscina, and a clear error from sampleParallel;
//  4. the size of each browser entry (`.` and browser subpaths such as `./worker`; esbuild bundle for the browser,
//     minified, gzip), printed as a table.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "mixdiff-pack-"));
if (resolve(work).startsWith(`${root}/`)) throw new Error(`the temporary folder ${work} is inside the repository`);
const tarDir = join(work, "tarballs");
mkdirSync(tarDir);
let problems = 0;
const sh = (cmd, args, cwd, timeout = 120_000) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout });
const ok = (what) => console.log(`ok   ${what}`);
const fail = (what, detail = "") => {
  problems++;
  console.log(`FAIL ${what}${detail ? `\n${String(detail).trimEnd()}` : ""}`);
};
/** Runs `fn`; a thrown error (or a subprocess failure with its output) is one problem. */
function step(what, fn) {
  try {
    const note = fn();
    ok(note ? `${what} (${note})` : what);
  } catch (e) {
    fail(what, `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message);
  }
}

// ---- 1. pack and inspect -------------------------------------------------------------------------
const license = readFileSync(join(root, "LICENSE"), "utf8");
const pkgs = [];
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const dir = join(root, group, name);
    if (!existsSync(join(dir, "package.json"))) continue;
    const pj = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (pj.private) continue;
    const before = new Set(readdirSync(tarDir));
    sh("pnpm", ["pack", "--pack-destination", tarDir], dir);
    const file = readdirSync(tarDir).find((f) => !before.has(f));
    const tarball = join(tarDir, file);
    const subpaths = Object.keys(pj.exports ?? {}).filter((k) => k !== "./package.json");
    pkgs.push({ name: pj.name, version: pj.version, dir, tarball, subpaths, bin: pj.bin });

    const tools = [["publint", ["exec", "publint", "run", tarball, "--level", "warning", "--strict"]]];
    if (subpaths.length > 0)
      tools.push(["attw", ["exec", "attw", tarball, "--format", "ascii", "--profile", "node16"]]);
    for (const [tool, args] of tools) step(`${tool} ${pj.name}`, () => void sh("pnpm", args, root));

    // What npm will publish: the tarball's own package.json, LICENSE and README.
    const unpacked = join(work, "unpacked", name);
    mkdirSync(unpacked, { recursive: true });
    sh("tar", ["-xzf", tarball, "-C", unpacked]);
    const pkgDir = join(unpacked, "package");
    step(`${pj.name}: publishing rules (LICENSE, ranges, metadata, README links)`, () => {
      const packed = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
      const errors = [];
      if (!existsSync(join(pkgDir, "LICENSE"))) errors.push("no LICENSE in the tarball");
      else if (readFileSync(join(pkgDir, "LICENSE"), "utf8") !== license)
        errors.push("LICENSE differs from the root LICENSE");
      if (packed.license !== "MIT") errors.push(`license field is ${packed.license}`);
      for (const [dep, range] of Object.entries(packed.dependencies ?? {})) {
        if (!/^\^\d+\.\d+\.\d+$/.test(range)) errors.push(`dependency ${dep}@${range} is not a caret range`);
      }
      for (const [dep, range] of Object.entries(packed.peerDependencies ?? {})) {
        if (!/^\^\d+\.\d+\.\d+$/.test(range)) errors.push(`peer dependency ${dep}@${range} is not a caret range`);
      }
      const meta = JSON.stringify({ ...packed, scripts: undefined });
      if (/example\.(invalid|com|org)|TODO|FIXME|your-?name/i.test(meta)) errors.push("placeholder metadata");
      const readme = existsSync(join(pkgDir, "README.md")) ? readFileSync(join(pkgDir, "README.md"), "utf8") : "";
      if (!readme) errors.push("no README.md");
      for (const m of readme.matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g)) errors.push(`README links to ${m[1]}`);
      if (!/```(ts|js|sh)/.test(readme)) errors.push("README has no code example");
      if (errors.length) throw new Error(errors.join("\n"));
    });
  }
}

// ---- 2. every tarball in an empty project outside the repository ------------------------------------
const tarballs = Object.fromEntries(pkgs.map((p) => [p.name, `file:${p.tarball}`]));
/** A project in the temporary folder that depends on `deps`, with every @mixdiff package taken from its tarball. */
function consumer(name, deps) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, private: true, type: "commonjs", dependencies: deps, overrides: tarballs }, null, 2),
  );
  sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], dir, 300_000);
  return dir;
}

let app;
step("npm install of all tarballs in an empty folder outside the repository", () => {
  app = consumer("consumer", tarballs);
});
if (app) {
  for (const lib of pkgs) {
    for (const sub of lib.subpaths) {
      const spec = sub === "." ? lib.name : `${lib.name}/${sub.slice(2)}`;
      const probe = (load) =>
        `const m = ${load}(${JSON.stringify(spec)}); const n = Object.keys(m).length; if (n === 0) throw new Error("no exports"); console.log(n);`;
      for (const [kind, file, code] of [
        ["ESM", "probe.mjs", probe("await import")],
        ["CJS", "probe.cjs", probe("require")],
      ]) {
        writeFileSync(join(app, file), code);
        step(`${kind} import ${spec}`, () => `${sh("node", [file], app).trim()} exports`);
      }
    }
  }
  cliChecks(app);
  step("sampleParallel from the installed @mixdiff/diffusion/node equals sample on one thread", () => {
    writeFileSync(
      join(app, "parallel.mjs"),
      `import { createRng } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { exactScoreModel } from "@mixdiff/score";
import { sample } from "@mixdiff/diffusion";
import { sampleParallel } from "@mixdiff/diffusion/node";
const spec = { dim: 2, noiseStd: 1, mixing: { kind: "atoms", points: [[-4, 0], [4, 0]], weights: [0.5, 0.5] } };
const one = sample(exactScoreModel(createDistribution(spec)), { n: 300, rng: createRng(9), steps: 40 }).samples;
const two = (await sampleParallel({ kind: "exact", spec }, { n: 300, seed: 9, steps: 40, workers: 2 })).samples;
if (Buffer.compare(Buffer.from(one.data.buffer), Buffer.from(two.data.buffer)) !== 0) throw new Error("samples differ");
console.log(two.rows);`,
    );
    return `${sh("node", ["parallel.mjs"], app).trim()} samples, 2 workers, byte-identical`;
  });
  step("@mixdiff/estimators from the tarballs: EM fit, responsibilities, the probability-flow likelihood", () => {
    writeFileSync(
      join(app, "estimators.mjs"),
      `import { createRng } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { exactScoreModel } from "@mixdiff/score";
import { emEstimator, fromScoreModel } from "@mixdiff/estimators";
const truth = gaussianMixture({ means: [[-4, 0], [4, 0]] });
const x = truth.sample(500, createRng(1)).x;
const em = emEstimator({ k: 2 }).fit(x, { rng: createRng(2) });
if (em.predictProba(x).cols !== 2) throw new Error("predictProba");
const y = [[0, 0], [4, 1]];
const ode = fromScoreModel(exactScoreModel(truth)).logDensity(y);
const exact = truth.logDensity(y);
const err = Math.max(...ode.map((v, i) => Math.abs(v - exact[i])));
if (!(err < 1e-4)) throw new Error("probability-flow log-density off by " + err);
console.log(err.toExponential(1));`,
    );
    return `ln p through the ODE within ${sh("node", ["estimators.mjs"], app).trim()} of the closed form`;
  });
}

/** The installed CLI: version, examples, the demo, and the generate → fit → sample → evaluate flow. */
function cliChecks(dir) {
  const cli = pkgs.find((p) => p.bin?.mixdiff);
  if (!cli) return fail("a public package with the `mixdiff` bin");
  const mixdiff = (args, timeout = 300_000) => sh("npx", ["--no-install", "mixdiff", ...args], dir, timeout);
  step("npx mixdiff --version", () => {
    const v = mixdiff(["--version"]).trim();
    if (v !== cli.version) throw new Error(`printed ${v}; the package is ${cli.version}`);
    return v;
  });
  step("npx mixdiff --help names no repository path", () => {
    const help = [
      mixdiff(["--help"]),
      ...["generate", "sample", "score", "evaluate"].map((c) => mixdiff([c, "--help"])),
    ];
    const bad = help.join("\n").match(/test-fixtures|packages\/|apps\//);
    if (bad) throw new Error(`help text mentions ${bad[0]}`);
  });
  step("npx mixdiff examples", () => {
    const list = mixdiff(["examples"]);
    if (!/^gmm2d\s+2\s+atoms/m.test(list)) throw new Error(list);
    return `${list.trim().split("\n").length - 1} examples`;
  });
  step("npx mixdiff demo", () => {
    mixdiff(["demo"]);
    const out = join(dir, "mixdiff-demo");
    for (const f of ["metrics.json", "model.json", "samples.svg", "samples.png", "score-field.png", "trajectory.png"]) {
      if (!existsSync(join(out, f)) || statSync(join(out, f)).size === 0) throw new Error(`mixdiff-demo/${f} missing`);
    }
    return "mixdiff-demo/ written";
  });
  step("npx mixdiff generate --example → fit → sample → evaluate", () => {
    mixdiff(["generate", "--example", "gmm2d", "--n", "3000", "--seed", "1", "--out", "data.csv"]);
    const fit = JSON.parse(
      mixdiff(["fit", "data.csv", "--out", "model.json", "--seed", "2", "--levels", "12", "--json"]),
    );
    // 12 levels with t > 0 and the level at t = 0
    if (fit.diffusion?.levels?.length !== 13) throw new Error(`fit summary: ${JSON.stringify(fit).slice(0, 300)}`);
    mixdiff(["sample", "model.json", "--n", "2000", "--seed", "3", "--out", "samples.csv"]);
    const ev = JSON.parse(
      mixdiff(["evaluate", "samples.csv", "--example", "gmm2d", "--model", "model.json", "--json"]),
    );
    const m = Object.fromEntries(ev.metrics.map((r) => [r.name, r.value]));
    // Gross-failure thresholds (see apps/cli/test/cli.e2e.test.ts): a dropped component gives energy ≳ 1, TV ≳ 0.25.
    if (!(m.energyDistance < 0.1 && m.histogramTV < 0.15)) throw new Error(`metrics: ${JSON.stringify(m)}`);
    return `energy ${m.energyDistance.toFixed(4)}, TV ${m.histogramTV.toFixed(3)}`;
  });
}

// ---- 3. @mixdiff/diffusion alone: what a browser user installs ------------------------------------------
/** Installed packages (name → folder) below `dir/node_modules`, scoped ones included. */
function installed(dir) {
  const out = new Map();
  const nm = join(dir, "node_modules");
  for (const n of existsSync(nm) ? readdirSync(nm) : []) {
    if (n.startsWith(".")) continue;
    const names = n.startsWith("@") ? readdirSync(join(nm, n)).map((s) => `${n}/${s}`) : [n];
    for (const name of names) out.set(name, join(nm, name));
  }
  return out;
}
/** Why a package folder looks native: a compiled `.node` file, a gyp build, an install script or an os/cpu pin. */
function nativeSigns(name, dir) {
  const pj = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const signs = [];
  if (pj.gypfile || existsSync(join(dir, "binding.gyp"))) signs.push("node-gyp build");
  for (const s of ["preinstall", "install", "postinstall"]) if (pj.scripts?.[s]) signs.push(`${s} script`);
  if (pj.os || pj.cpu) signs.push("os/cpu-specific");
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (f === "node_modules") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith(".node")) signs.push(`binary ${f}`);
    }
  };
  walk(dir);
  return signs.map((s) => `${name}: ${s}`);
}
step("@mixdiff/diffusion installed alone pulls no native module and no piscina", () => {
  const dir = consumer("diffusion-alone", { "@mixdiff/diffusion": tarballs["@mixdiff/diffusion"] });
  const names = installed(dir);
  const signs = [...names].flatMap(([n, d]) => nativeSigns(n, d));
  if (names.has("piscina")) signs.push("piscina is installed");
  if (signs.length) throw new Error(signs.join("\n"));
  writeFileSync(
    join(dir, "alone.mjs"),
    `import { sampleParallel } from "@mixdiff/diffusion/node";
try {
  await sampleParallel({ kind: "exact", spec: { dim: 1, noiseStd: 1, mixing: { kind: "atoms", points: [[0]], weights: [1] } } }, { n: 10, seed: 1 });
  throw new Error("sampleParallel ran without piscina");
} catch (e) {
  if (!(e.code === "INVALID_OPTION" && /npm install piscina/.test(e.message))) throw e;
  console.log(e.message);
}`,
  );
  sh("node", ["alone.mjs"], dir);
  return `${names.size} packages: ${[...names.keys()].sort().join(", ")}; sampleParallel says "npm install piscina"`;
});

// ---- 4. bundle size of each browser entry -------------------------------------------------------------
if (app) {
  const rows = [];
  // Every entry but ./node (Node-only by design): `.` and browser subpaths such as @mixdiff/score/worker. A
  // `node:` import in one of them fails the bundle (platform browser), so this also checks they are browser code.
  const entries = pkgs.flatMap((lib) =>
    lib.subpaths.filter((s) => s !== "./node").map((s) => (s === "." ? lib.name : `${lib.name}/${s.slice(2)}`)),
  );
  for (const entry of entries) {
    try {
      const r = await build({
        stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: app, loader: "js" },
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        write: false,
        logLevel: "silent",
        metafile: true,
      });
      const code = r.outputFiles[0].contents;
      // Minified bytes per package in the bundle (the entry's own code and each dependency's).
      const byPkg = new Map();
      for (const [path, { bytesInOutput }] of Object.entries(Object.values(r.metafile.outputs)[0].inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
        const key = m ? m[1] : path;
        if (bytesInOutput > 0 && path !== "<stdin>" && !path.startsWith("(disabled)"))
          byPkg.set(key, (byPkg.get(key) ?? 0) + bytesInOutput);
      }
      rows.push([entry, code.length, gzipSync(code, { level: 9 }).length, byPkg]);
    } catch (e) {
      fail(`browser bundle of ${entry}`, e.errors?.map((x) => x.text).join("\n") ?? e.message);
    }
  }
  const kb = (b) => `${(b / 1024).toFixed(1)} kB`;
  console.log(
    "\nbundle size of each browser entry (esbuild --bundle --minify --platform=browser, everything the entry exports, dependencies included; gzip -9):",
  );
  console.log(`${"entry".padEnd(24)}${"minified".padStart(10)}${"min+gzip".padStart(10)}  minified bytes by package`);
  for (const [n, min, gz, byPkg] of rows) {
    const parts = [...byPkg].sort((a, b) => b[1] - a[1]).map(([p, b]) => `${p} ${kb(b)}`);
    console.log(`${n.padEnd(24)}${kb(min).padStart(10)}${kb(gz).padStart(10)}  ${parts.join(", ")}`);
  }
  console.log("");
}

rmSync(work, { recursive: true, force: true });
console.log(problems === 0 ? "pack check: all good" : `pack check: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
