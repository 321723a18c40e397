// C4: model files. Round trip, every prefix of a valid file, random bytes, wrong kinds, checksum, versions,
// semantic validation on load, and one fixture per released format version. Plus fast-check mutations of the
// score-model and polyreg loaders: they end in a loaded model or a typed MODEL_FORMAT/MODEL_VERSION error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng, isMixdiffError } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { createDistribution } from "@mixdiff/mixtures";
import { fitPiecewise, fitPolynomial, piecewiseFromJSON, polynomialFromJSON } from "@mixdiff/polyreg";
import { fitScore, loadScoreModel } from "@mixdiff/score";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, fnv1a64 } from "../../../packages/score/src/load-score-model";
import { CliError } from "../../cli/src/exit-codes";
import { checkSamplerTimes } from "../../cli/src/model-file";
import { expectMixdiffError, ROOT, twoAtomSpec } from "./helpers";

const dist = createDistribution(twoAtomSpec());
const x = dist.sample(400, createRng(1)).x;
const model = fitScore(x, { rng: createRng(2), levels: 4, degree: 2 });
const json = model.toJSON();
const text = JSON.stringify(json);
const probe = dist.sample(20, createRng(3)).x;

/** A copy of the saved model with `edit` applied to `model` and a re-computed (valid) checksum. */
function forged(edit: (m: Record<string, unknown>) => void): Record<string, unknown> {
  const j = JSON.parse(text) as Record<string, unknown>;
  edit(j.model as Record<string, unknown>);
  j.checksum = fnv1a64(canonicalJson({ diagnostics: j.diagnostics, model: j.model }));
  return j;
}

describe("round trip (C4)", () => {
  it("save → load gives a bit-identical file, identical scores and identical samples for the same seed", () => {
    const back = loadScoreModel(text);
    expect(JSON.stringify(back.toJSON())).toBe(text);
    for (const t of [0.01, 0.5, 3, 40]) expect(back.score(probe, t).data).toEqual(model.score(probe, t).data);
    const a = sample(model, { n: 50, rng: createRng(9), steps: 20 }).samples.data;
    const b = sample(back, { n: 50, rng: createRng(9), steps: 20 }).samples.data;
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });
  it("all saved parameters are finite (NaN/Infinity would silently become null)", () => {
    expect(JSON.stringify(json.model)).not.toMatch(/null|NaN|Infinity/);
  });
  it("null where a number belongs is rejected on read, naming the field", () => {
    const j = forged((m) => {
      (m.mean as unknown[])[1] = null;
    });
    expectMixdiffError(() => loadScoreModel(j), "MODEL_FORMAT", /model\.mean\[1\]/);
  });
});

describe("truncated and corrupt files (C4)", () => {
  it("every proper prefix of a valid file is rejected with MODEL_FORMAT (never a bare SyntaxError)", () => {
    for (let k = 0; k < text.length; k++) expectMixdiffError(() => loadScoreModel(text.slice(0, k)), "MODEL_FORMAT");
  });
  it.each([
    ["zero bytes", ""],
    ["whitespace", "  \n"],
    ["a data CSV", "x,y\n1,2\n"],
    ["a JSON array", "[1,2,3]"],
    ["a JSON number", "42"],
    ["JSON null", "null"],
    ["a distribution spec", readFileSync(join(ROOT, "test-fixtures/eval/cases/gmm2d.json"), "utf8")],
  ])("%s is MODEL_FORMAT", (_l, s) => {
    expectMixdiffError(() => loadScoreModel(s), "MODEL_FORMAT");
  });
  it("random bytes are MODEL_FORMAT", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectMixdiffError(() => loadScoreModel(Buffer.from(bytes).toString("latin1")), "MODEL_FORMAT");
      }),
      { seed: 21, numRuns: 300 },
    );
  });
  it("a one-character edit of a number fails the checksum", () => {
    const i = text.indexOf('"coefficients":[[') + 17;
    const digit = text.slice(i).search(/[1-8]/) + i;
    const edited = text.slice(0, digit) + String(Number(text[digit]) + 1) + text.slice(digit + 1);
    expectMixdiffError(() => loadScoreModel(edited), "MODEL_FORMAT", /checksum/);
  });
});

describe("versions (C4)", () => {
  it("a newer format version is MODEL_VERSION naming both versions and saying to upgrade", () => {
    const j = { ...json, version: 4 };
    const e = expectMixdiffError(
      () => loadScoreModel(j),
      "MODEL_VERSION",
      /newer mixdiff \(format v4\)/,
      /reads format v1–v3/,
      /upgrade @mixdiff\/score \(or the mixdiff CLI\)/,
    );
    expect(e.location).toEqual({ path: "version" });
  });
  it.each([0, 1.5, "2", null])("an invalid format version (%j) is MODEL_VERSION without the upgrade hint", (v) => {
    const e = expectMixdiffError(() => loadScoreModel({ ...json, version: v }), "MODEL_VERSION", /reads format v1–v3/);
    expect(e.message).not.toMatch(/upgrade/);
  });
  it.each([
    [1, false],
    [2, true],
    [3, false],
  ])("one fixture per released format version loads (v%i) and reproduces its own file", (v, base) => {
    const fixture = readFileSync(join(ROOT, `apps/integration/fixtures/score-model-v${v}.json`), "utf8");
    const m = loadScoreModel(fixture);
    expect(m.dim).toBe(2);
    expect(m.toJSON().version).toBe(v);
    expect(m.toJSON().model.base === true).toBe(base);
    expect(canonicalJson(m.toJSON())).toBe(canonicalJson(JSON.parse(fixture)));
    for (const val of m.score(probe, 0.3).data) expect(Number.isFinite(val)).toBe(true);
  });
  it("unknown fields change the checksum and are rejected (format v1 has no optional keys)", () => {
    const j = JSON.parse(text);
    j.model.extra = 1;
    expectMixdiffError(() => loadScoreModel(j), "MODEL_FORMAT", /checksum/);
  });
});

describe("semantic validation on load, each violation with its own message (C4)", () => {
  const cases: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ["dim 0", (m) => void (m.dim = 0), /model\.dim/],
    ["subspaceDim > dim", (m) => void (m.subspaceDim = 3), /model\.subspaceDim/],
    ["sigma0 ≤ 0", (m) => void (m.sigma0 = 0), /model\.sigma0/],
    ["mean of the wrong length", (m) => void (m.mean = [0]), /model\.mean/],
    ["no levels", (m) => void (m.levels = []), /model\.levels/],
    [
      "coefficient array length ≠ basis size",
      (m) => void (m.levels as { coefficients: number[][] }[])[1]!.coefficients[0]!.push(0),
      /coefficients\[0\]/,
    ],
    ["negative time", (m) => void ((m.levels as { t: number }[])[0]!.t = -1), /levels\[0\]\.t/],
    [
      "a cell degree above the model degree",
      (m) => void ((m.levels as { degrees: number[] }[])[0]!.degrees[0] = 9),
      /degrees\[0\]/,
    ],
    ["an unknown interpolation", (m) => void (m.interpolation = "cubic"), /interpolation/],
    ["a string where a number belongs", (m) => void ((m.basis as unknown[])[0] = "1"), /model\.basis\[0\]/],
  ];
  it.each(cases)("%s", (_l, edit, pattern) => {
    const e = expectMixdiffError(() => loadScoreModel(forged(edit)), "MODEL_FORMAT", pattern);
    expect(e.location.path).toBeTruthy();
  });
});

// Random edits of the parsed document (replace a value at a random path by a random JSON value), with any
// finite double (e.g. basis[0] = 3.8e307): the loader's semantic checks refuse absurd values, and a model that
// loads either scores finite numbers or throws NUMERICAL_FAILURE naming the row — never a silent NaN.
const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
const jsonValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  anyDouble,
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -3, max: 1000 }),
  fc.string({ maxLength: 4 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(anyDouble, { maxLength: 3 }),
);

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((c, i) => void paths(c, [...prefix, i], out));
  else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) paths(c, [...prefix, k], out);
  return out;
}

function mutate(doc: unknown, path: (string | number)[], value: unknown, del: boolean): unknown {
  if (path.length === 0) return value;
  const copy = JSON.parse(JSON.stringify(doc));
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  const last = path[path.length - 1]!;
  if (del && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
  return copy;
}

function onlyModelErrors(load: () => unknown) {
  try {
    load();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "MODEL_FORMAT" && code !== "MODEL_VERSION") {
      throw new Error(`untyped or unexpected error: ${(e as Error).name} ${code ?? ""}: ${(e as Error).message}`);
    }
  }
}

describe("property-based loaders (C4)", () => {
  const docPaths = paths(json);
  it("loadScoreModel: random edits (checksum re-forged) end in a model or a typed error", () => {
    fc.assert(
      fc.property(fc.nat(), jsonValue, fc.boolean(), (pi, value, del) => {
        const edited = mutate(json, docPaths[pi % docPaths.length]!, value, del) as Record<string, unknown>;
        if (edited && typeof edited === "object" && edited.model && edited.diagnostics) {
          edited.checksum = fnv1a64(canonicalJson({ diagnostics: edited.diagnostics, model: edited.model }));
        }
        onlyModelErrors(() => {
          const m = loadScoreModel(edited);
          // Whatever loads must evaluate to finite numbers, or refuse with a typed NUMERICAL_FAILURE.
          let out: Float64Array;
          try {
            out = m.score(probe, 1).data;
          } catch (e) {
            if ((e as { code?: string }).code === "NUMERICAL_FAILURE") return;
            throw e;
          }
          for (const v of out) if (!Number.isFinite(v)) throw new Error("non-finite score returned silently");
        });
      }),
      { seed: 22, numRuns: 1500 },
    );
  });

  const poly = fitPolynomial(probe, probe, { degree: 2 });
  const polyJson = JSON.parse(JSON.stringify(poly));
  const pw = fitPiecewise(x, x, {
    centers: [
      [-3, 0],
      [3, 0],
    ],
    scale: 1,
    degree: 1,
  });
  const pwJson = JSON.parse(JSON.stringify(pw));
  it.each([
    ["polynomialFromJSON", polynomialFromJSON, polyJson],
    ["piecewiseFromJSON", piecewiseFromJSON, pwJson],
  ] as const)("%s: the saved form loads; random edits and truncations end in a typed error", (_n, load, doc) => {
    expect(() => load(doc)).not.toThrow();
    const ps = paths(doc);
    fc.assert(
      fc.property(fc.nat(), jsonValue, fc.boolean(), (pi, value, del) => {
        onlyModelErrors(() => load(mutate(doc, ps[pi % ps.length]!, value, del)));
      }),
      { seed: 23, numRuns: 1000 },
    );
  });
});

describe("hostile values in a re-signed model file (issue 18 item 9)", () => {
  // Every numeric field of the file (the first two entries of each array) set to each extreme value, with a valid
  // checksum. The loader either refuses the file (MODEL_FORMAT naming the field) or the model is usable the way the
  // CLI uses it: the CLI's sampler-time check, then sampling and scoring with default options end in values or
  // NUMERICAL_FAILURE — never a usage error (INVALID_OPTION) about options the user never gave, never untyped.
  const extremes = [0, -0, 5e-324, 1e-300, 1e-150, 1e150, 1e300, -1e300, 1.7976931348623157e308, 1e-5, 1e5];
  const leaves: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (typeof v === "number") leaves.push(p);
    else if (Array.isArray(v)) for (const [i, c] of v.slice(0, 2).entries()) walk(c, [...p, i]);
    else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
  };
  walk(json.model, []);

  it(`${leaves.length} fields × ${extremes.length} values: refused naming the field, or usable; never INVALID_OPTION`, () => {
    const outcomes: Record<string, number> = {};
    for (const path of leaves) {
      for (const v of extremes) {
        const j = forged((m) => {
          let o = m as Record<string | number, unknown>;
          for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
          o[path[path.length - 1]!] = v;
        });
        let stage = "load";
        try {
          const m = loadScoreModel(j);
          stage = "use";
          checkSamplerTimes(m, "model.json");
          sample(m, { n: 3, rng: createRng(3), steps: 10 });
          for (const t of [0, 1e-3, 1, 1e6]) m.score(probe, t);
          stage = "ok";
        } catch (e) {
          const code = isMixdiffError(e) ? e.code : e instanceof CliError ? `exit ${e.exitCode}` : "untyped";
          const where = `model.${path.join(".")} = ${v} (${stage}): ${(e as Error).message}`;
          expect(code, where).not.toBe("untyped");
          expect(code, where).not.toBe("INVALID_OPTION");
          if (stage === "load") expect((e as Error).message, where).toMatch(/model\./);
          else if (code !== "exit 3") expect(code, where).toBe("NUMERICAL_FAILURE");
          stage = `${stage}:${code}`;
        }
        outcomes[stage] = (outcomes[stage] ?? 0) + 1;
      }
    }
    // both ends occur: many files are refused, many load and work
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes["load:MODEL_FORMAT"]).toBeGreaterThan(50);
  });
});
