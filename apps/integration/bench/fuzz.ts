// Seeded fuzzing of the four input parsers a hostile user reaches (issue 18): the CLI's CSV reader, the
// distribution-spec parser, the learned score-model loader and the EM model-file loader. Every case must end in a
// value or a typed error (MixdiffError / CliError); anything else (TypeError, RangeError, a stack overflow) is
// counted as untyped and printed. Accepted inputs are also used, the way the CLI uses them (sample, score,
// log-density): a usage error (INVALID_OPTION) there counts as a failure too (the parser accepted something
// unusable), and the CSV reader is fed every input in random chunk splits, which must not change the result.
// Not part of CI (minutes); run from the repository root:
//   ESB=$(ls -d node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild | sort -V | tail -1)
//   $ESB apps/integration/bench/fuzz.ts --bundle --platform=node --format=esm --conditions=@mixdiff/source \
//     --external:@resvg/resvg-js --outfile=.tmp/bench/fuzz.mjs --banner:js="import{createRequire}from'module';const require=createRequire(import.meta.url);" && node .tmp/bench/fuzz.mjs [--seed 18] [--cases 100000]
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRng, isMixdiffError, type Rng } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { createDistribution, fitEm, parseSpec } from "@mixdiff/mixtures";
import { fitScore, loadScoreModel } from "@mixdiff/score";
import { canonicalJson, fnv1a64 } from "../../../packages/score/src/load-score-model";
import { CsvReader, formatCsv, parseCsv } from "../../cli/src/csv";
import { CliError } from "../../cli/src/exit-codes";
import { parseJsonText } from "../../cli/src/input";
import { checkSamplerTimes, emFileDistribution, emFileFrom, parseEmFile } from "../../cli/src/model-file";

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SEED = arg("--seed", 18);
const CASES = arg("--cases", 100_000);
const ROOT = resolve(process.env.MIXDIFF_ROOT ?? process.cwd());

interface Tally {
  cases: number;
  accepted: number;
  typed: Record<string, number>;
  untyped: number;
  examples: string[];
}
const tallies: Record<string, Tally> = {};
function tally(target: string): Tally {
  return (tallies[target] ??= { cases: 0, accepted: 0, typed: {}, untyped: 0, examples: [] });
}

/** Runs one case: counts a value, a typed error (by code) or an untyped error (with an example). */
function run(target: string, input: string, f: () => void): void {
  const t = tally(target);
  t.cases++;
  try {
    f();
    t.accepted++;
  } catch (e) {
    const code = isMixdiffError(e) ? e.code : e instanceof CliError ? `exit ${e.exitCode}` : null;
    if (code !== null) t.typed[code] = (t.typed[code] ?? 0) + 1;
    else {
      t.untyped++;
      if (t.examples.length < 5) {
        t.examples.push(
          `${(e as Error)?.name}: ${(e as Error)?.message?.slice(0, 160)} ← ${JSON.stringify(input.slice(0, 160))}`,
        );
      }
    }
  }
}

const int = (rng: Rng, n: number) => Math.floor(rng.uniform() * n);
const pick = <T>(rng: Rng, a: readonly T[]): T => a[int(rng, a.length)]!;

// ---------------------------------------------------------------- text mutations
const TOKENS = [
  ",",
  "\n",
  "\r",
  "\r\n",
  '"',
  '""',
  " ",
  "\t",
  ";",
  "#",
  "\uFEFF",
  "\u0000",
  "é",
  "\u2028",
  "x",
  "e",
  "E",
  ".",
  "-",
  "+",
  "0",
  "1",
  "9",
  "1e400",
  "-1e308",
  "1e308",
  "1e150",
  "1.5e150",
  "5e-324",
  "NaN",
  "nan",
  "Inf",
  "-Infinity",
  "0x10",
  "1_000",
  "1,5",
  "[",
  "]",
  "{",
  "}",
  ":",
  "null",
  "true",
  '"a"',
  "\\",
  "\\u0000",
  "9".repeat(400),
  "1".repeat(30),
  "[".repeat(3000),
  '{"a":'.repeat(2000),
];
function mutateText(rng: Rng, text: string): string {
  let s = text;
  const n = 1 + int(rng, 4);
  for (let k = 0; k < n; k++) {
    const at = int(rng, s.length + 1);
    const op = int(rng, 6);
    if (op === 0)
      s = s.slice(0, at) + pick(rng, TOKENS) + s.slice(at); // insert a token
    else if (op === 1)
      s = s.slice(0, at) + pick(rng, TOKENS) + s.slice(at + 1 + int(rng, 4)); // replace
    else if (op === 2)
      s = s.slice(0, at) + s.slice(at + 1 + int(rng, 8)); // delete
    else if (op === 3)
      s = s.slice(0, at); // truncate
    else if (op === 4)
      s = s.slice(0, at) + String.fromCharCode(int(rng, 256)) + s.slice(at); // a random byte
    else {
      const from = int(rng, s.length + 1);
      s = s.slice(0, at) + s.slice(from, from + int(rng, 40)) + s.slice(at); // duplicate a slice
    }
  }
  return s;
}

// ---------------------------------------------------------------- JSON mutations
const HOSTILE: unknown[] = [
  null,
  0,
  -0,
  -1,
  1,
  2.5,
  1e-300,
  5e-324,
  1e-150,
  1e150,
  1e300,
  1.7976931348623157e308,
  -1e308,
  1e100,
  1e-100,
  2 ** 53,
  "",
  "1",
  "NaN",
  true,
  false,
  [],
  {},
  [1],
  [null],
  [[1, 2]],
  { a: 1 },
  "x".repeat(1000),
];
function paths(v: unknown, p: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(p);
  if (Array.isArray(v)) v.forEach((c, i) => void paths(c, [...p, i], out));
  else if (v !== null && typeof v === "object") for (const [k, c] of Object.entries(v)) paths(c, [...p, k], out);
  return out;
}
/** Deep nesting is spliced into the text after JSON.stringify (which would itself overflow on it). */
const DEEP = "__mixdiff_fuzz_deep_";
function withDeep(text: string): string {
  return text.replace(new RegExp(`"${DEEP}(\\d+)"`, "g"), (_m, d: string) => {
    const n = Number(d);
    return `${'{"x":'.repeat(n)}{}${"}".repeat(n)}`;
  });
}
/** A structural edit of a JSON value: replace, delete, add a key, nest deeply, or resize an array. */
function mutateJson(rng: Rng, json: unknown, all: (string | number)[][]): unknown {
  const j = structuredClone(json) as Record<string, unknown>;
  const n = 1 + int(rng, 3);
  for (let k = 0; k < n; k++) {
    const p = pick(rng, all);
    if (p.length === 0) continue;
    let parent: unknown = j;
    for (const key of p.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
    if (parent === null || typeof parent !== "object") continue;
    const last = p[p.length - 1]!;
    const obj = parent as Record<string | number, unknown>;
    const op = int(rng, 8);
    if (op <= 3) obj[last] = structuredClone(pick(rng, HOSTILE));
    else if (op === 4) delete obj[last];
    else if (op === 5) obj[`extra${int(rng, 3)}`] = structuredClone(pick(rng, HOSTILE));
    else if (op === 6) obj[last] = `${DEEP}${pick(rng, [40, 1000, 20_000])}`;
    else if (Array.isArray(obj[last])) {
      const a = obj[last] as unknown[];
      if (rng.uniform() < 0.5) a.push(structuredClone(a[0] ?? 0));
      else a.pop();
    } else if (typeof obj[last] === "number")
      obj[last] = (obj[last] as number) * pick(rng, [-1, 0.5, 2, 1e10, 1e-10, 1 + 1e-12]);
  }
  return j;
}

// ---------------------------------------------------------------- corpora
const specFiles = readdirSync(join(ROOT, "test-fixtures/eval/cases")).filter((f) => f.endsWith(".json"));
const specTexts = specFiles.map((f) => readFileSync(join(ROOT, "test-fixtures/eval/cases", f), "utf8"));
const specJsons = specTexts.map((t) => JSON.parse(t) as unknown);
const gmm = createDistribution(parseSpec(specJsons[specFiles.indexOf("gmm2d.json")]));
const data = gmm.sample(400, createRng(1)).x;
const scoreJson = JSON.parse(JSON.stringify(fitScore(data, { rng: createRng(2), levels: 4, degree: 2 }).toJSON()));
const scoreText = JSON.stringify(scoreJson);
const emJson = JSON.parse(JSON.stringify(emFileFrom(fitEm(data, { k: 3, rng: createRng(3) }), 3)));
const emText = JSON.stringify(emJson, null, 1);
const csvTexts = [
  formatCsv(data, { header: ["x1", "x2"], comments: ["mixdiff fuzz"] }),
  formatCsv(gmm.sample(30, createRng(4)).x),
  '\uFEFFx,y\r\n"1.5", -2\r\n 3 ,"4e1"\r\n',
  "a\n1\n2\n3\n",
  "1,2,3\n4,5,6\n",
];
const probe = gmm.sample(5, createRng(5)).x;
const specPaths = specJsons.map((j) => paths(j));
const scorePaths = paths(scoreJson);
const emPaths = paths(emJson);

function resignScore(j: unknown): unknown {
  const o = j as Record<string, unknown>;
  if (o && typeof o === "object" && !Array.isArray(o) && o.model !== undefined && o.diagnostics !== undefined) {
    try {
      o.checksum = fnv1a64(canonicalJson({ diagnostics: o.diagnostics, model: o.model }));
    } catch {
      /* too deep to re-sign: the loader must refuse it anyway */
    }
  }
  return o;
}
function resignEm(j: unknown): unknown {
  const o = j as Record<string, unknown>;
  if (o && typeof o === "object" && !Array.isArray(o)) {
    const { checksum: _c, ...body } = o;
    try {
      o.checksum = `sha256:${createHash("sha256").update(JSON.stringify(body)).digest("hex")}`;
    } catch {
      /* too deep */
    }
  }
  return o;
}

// ---------------------------------------------------------------- the targets
/** CSV: parse in one piece and in random chunk splits; both must agree (value or the same message). */
function fuzzCsv(rng: Rng): void {
  const text = rng.uniform() < 0.1 ? randomText(rng) : mutateText(rng, pick(rng, csvTexts));
  const outcome = (f: () => { points: { data: Float64Array } }) => {
    try {
      return `ok:${Array.from(f().points.data).join(",")}`;
    } catch (e) {
      return e instanceof CliError ? `err:${e.message}` : "untyped";
    }
  };
  run("csv", text, () => {
    const whole = outcome(() => parseCsv(text, "in.csv"));
    const bytes = Buffer.from(text, "utf8");
    const chunked = outcome(() => {
      const r = new CsvReader("in.csv");
      let at = 0;
      const most = Math.max(9, bytes.length >> 4); // some 16–30 chunks, of 1 byte upwards
      while (at < bytes.length) {
        const step = 1 + int(rng, most);
        r.push(bytes.subarray(at, at + step));
        at += step;
      }
      return r.end();
    });
    if (whole !== chunked)
      throw new Error(`chunking changed the outcome: ${whole.slice(0, 80)} vs ${chunked.slice(0, 80)}`);
    if (!whole.startsWith("ok:")) parseCsv(text, "in.csv"); // rethrow the (typed or untyped) error for the tally
  });
}
function randomText(rng: Rng): string {
  const n = int(rng, 200);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(int(rng, rng.uniform() < 0.9 ? 128 : 0x2100));
  return s;
}

/** Specs: parse, build, draw, evaluate densities and scores. */
function fuzzSpec(rng: Rng): void {
  const i = int(rng, specJsons.length);
  const asText = rng.uniform() < 0.3;
  const input = asText
    ? mutateText(rng, specTexts[i]!)
    : withDeep(JSON.stringify(mutateJson(rng, specJsons[i], specPaths[i] ?? [])));
  run("spec", input, () => {
    const d = createDistribution(parseSpec(parseJsonText(input, "spec.json", "a distribution spec")));
    use(() => {
      const x = d.sample(4, createRng(6)).x;
      d.logDensity(x, 0.5);
      d.score(x, 0);
    });
  });
}

/** A model-file case: a text mutation (a quarter), or structural edits of the JSON, half of them re-signed. */
function modelFileCase(
  rng: Rng,
  text: string,
  json: unknown,
  all: (string | number)[][],
  resign: (j: unknown) => unknown,
) {
  if (rng.uniform() < 0.25) return mutateText(rng, text);
  return withDeep(JSON.stringify(maybe(rng, resign, mutateJson(rng, json, all))));
}

/** Learned score models, through the library's own parser (a string): load, then sample and score like the CLI. */
function fuzzScoreModel(rng: Rng): void {
  const input = modelFileCase(rng, scoreText, scoreJson, scorePaths, resignScore);
  run("score-model", input.slice(0, 200), () => {
    const m = loadScoreModel(input);
    checkSamplerTimes(m, "model.json");
    use(() => {
      sample(m, { n: 3, rng: createRng(7), steps: 8 });
      m.score(probe, 0.3);
    });
  });
}

/** EM model files, through the CLI's JSON reader: schema, version and checksum, then draws and densities. */
function fuzzEmModel(rng: Rng): void {
  const input = modelFileCase(rng, emText, emJson, emPaths, resignEm);
  run("em-model", input.slice(0, 200), () => {
    const json = parseJsonText(input, "em.json", "an EM model file");
    if (typeof json !== "object" || json === null || Array.isArray(json)) return; // refused like this by the CLI
    const d = emFileDistribution(parseEmFile(json, "em.json"));
    use(() => {
      d.sample(3, createRng(8));
      d.logDensity(probe, 0.5);
    });
  });
}

/**
 * Uses an accepted input. A usage error (INVALID_OPTION) here means the parser accepted something the code using it
 * cannot use (issue 18 item 9): counted as a failure, like an untyped error.
 */
function use(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (isMixdiffError(e, "INVALID_OPTION")) throw new Error(`accepted, then a usage error: ${e.message}`);
    throw e;
  }
}

function maybe<T>(rng: Rng, f: (v: T) => T, v: T): T {
  return rng.uniform() < 0.5 ? f(v) : v;
}

// ---------------------------------------------------------------- main
const rng = createRng(SEED).stream("fuzz");
const shares: [string, number, (r: Rng) => void][] = [
  ["csv", 0.4, fuzzCsv],
  ["spec", 0.2, fuzzSpec],
  ["score-model", 0.2, fuzzScoreModel],
  ["em-model", 0.2, fuzzEmModel],
];
const t0 = Date.now();
for (const [name, share, f] of shares) {
  const n = Math.round(CASES * share);
  const r = rng.stream(name);
  for (let k = 0; k < n; k++) f(r.stream(k));
  const t = tally(name);
  process.stderr.write(
    `${name}: ${t.cases} cases, ${t.untyped} untyped (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
}
let total = 0;
let untyped = 0;
for (const [name, t] of Object.entries(tallies)) {
  total += t.cases;
  untyped += t.untyped;
  console.log(
    `${name.padEnd(12)} ${String(t.cases).padStart(7)} cases  ${String(t.accepted).padStart(6)} accepted  typed ${JSON.stringify(t.typed)}  untyped ${t.untyped}`,
  );
  for (const e of t.examples) console.log(`    ${e}`);
}
console.log(
  `total ${total} cases, ${untyped} untyped errors, seed ${SEED}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
process.exitCode = untyped === 0 ? 0 : 1;
