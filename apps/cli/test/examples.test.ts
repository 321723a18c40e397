import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSpec } from "@mixdiff/mixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_NAMES, EXAMPLES, exampleSpec, specSource } from "../src/examples.js";
import { CASES, runCli, tempDir } from "./run-cli.js";

let dir = "";
let cleanup = () => {};
const p = (f: string) => join(dir, f);
/** The data rows of a CSV output (without the provenance comment). */
const rows = (text: string) => text.split("\n").filter((l) => !l.startsWith("#"));

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

describe("shipped examples", () => {
  it("are the repository's public cases, each a valid spec under its own name", () => {
    const cases = readdirSync(CASES)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""));
    expect([...EXAMPLE_NAMES].sort()).toEqual(cases.sort());
    for (const name of EXAMPLE_NAMES) {
      const spec = parseSpec(EXAMPLES[name].spec);
      expect(spec.name).toBe(name);
      expect(EXAMPLES[name].spec).toEqual(JSON.parse(readFileSync(join(CASES, `${name}.json`), "utf8")));
    }
  });

  it("refuse unknown names and a spec file given together with --example", () => {
    expect(() => exampleSpec("gmm3d")).toThrow(/unknown example; expected one of gmm2d, /);
    expect(() => exampleSpec("toString")).toThrow(/unknown example/);
    expect(() => specSource("a.json", "gmm2d", "<spec.json>")).toThrow(/exactly one of <spec.json> or --example/);
    expect(() => specSource(undefined, undefined, "--spec")).toThrow(/exactly one of --spec or --example/);
    expect(specSource(undefined, "circle2d", "--spec").label).toBe("example:circle2d");
  });
});

describe("mixdiff examples / --example", () => {
  it("lists every example with its dimension and kind", () => {
    const r = runCli(["examples"]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of EXAMPLE_NAMES) {
      const { dim, mixing } = EXAMPLES[name].spec;
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+${dim}\\s+${mixing.kind}\\s+\\S`, "m"));
    }
  });

  it("prints a spec that generates the same data as --example", () => {
    const shown = runCli(["examples", "polyline2d"]);
    expect(shown.code, shown.stderr).toBe(0);
    writeFileSync(p("polyline.json"), shown.stdout);
    const args = ["--n", "300", "--seed", "5", "--out", "-"];
    const fromFile = runCli(["generate", p("polyline.json"), ...args]);
    const fromExample = runCli(["generate", "--example", "polyline2d", ...args]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromExample.code, fromExample.stderr).toBe(0);
    expect(rows(fromExample.stdout)).toHaveLength(302); // header, 300 rows, final newline
    expect(rows(fromExample.stdout)).toEqual(rows(fromFile.stdout));
    expect(fromExample.stderr).toContain("spec=example:polyline2d");
  });

  it("evaluate --example measures against the example's exact draws", () => {
    let r = runCli(["generate", "--example", "gmm2d", "--n", "400", "--seed", "1", "--out", p("g.csv")]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli(["evaluate", p("g.csv"), "--example", "gmm2d", "--seed", "2", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { against: { spec: string; referenceRows: number } };
    expect(out.against).toEqual({ spec: "example:gmm2d", referenceRows: 400 });
  });

  it("exits 2 on an unknown example, on both or neither of a spec and --example", () => {
    for (const args of [
      ["generate", "--example", "nope", "--n", "5", "--out", "-"],
      ["generate", "--n", "5", "--out", "-"],
      ["generate", join(CASES, "gmm2d.json"), "--example", "gmm2d", "--n", "5", "--out", "-"],
      ["evaluate", "x.csv", "--example", "gmm2d", "--spec", "s.json"],
      ["examples", "nope"],
    ]) {
      const r = runCli(args);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe("");
    }
  });
});
