import { isMixdiffError, type MixdiffError } from "@mixdiff/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { checkSchedule, isNoiseSchedule } from "./check-schedule.js";
import { edmSchedule } from "./edm.js";
import type { NoiseSchedule, ScheduleKind, ScheduleRange } from "./noise-schedule.js";
import { checkRange, checkSigma } from "./noise-schedule.js";
import { defineSchedule, type ScheduleParam } from "./schedule-entry.js";
import { scheduleFromJSON } from "./schedule-from-json.js";
import { schedules } from "./schedules.js";

function thrown(f: () => unknown): MixdiffError | undefined {
  try {
    f();
  } catch (e) {
    if (isMixdiffError(e)) return e;
    throw e;
  }
  return undefined;
}

/** A value just outside the param's domain on the given side, or undefined when that side is open. */
function outside(p: ScheduleParam, side: "min" | "max"): number | undefined {
  const b = side === "min" ? p.min : p.max;
  if (b === undefined) return undefined;
  const exclusive = side === "min" ? p.exclusiveMin : p.exclusiveMax;
  if (exclusive) return b;
  const step = 1e-9 * Math.max(1, Math.abs(b));
  return side === "min" ? b - step : b + step;
}

it("ScheduleKind is derived from the registry's keys", () => {
  expectTypeOf<ScheduleKind>().toEqualTypeOf<keyof typeof schedules>();
  expectTypeOf<"ve" | "vp" | "vpLinear" | "cosine" | "edm">().toExtend<ScheduleKind>(); // the built-ins, and any new kind
});

describe.each(Object.entries(schedules))("registry entry %s", (kind, make) => {
  it("has a note and builds its own kind", () => {
    expect(make.note.length).toBeGreaterThan(10);
    expect(make().kind).toBe(kind);
    expect(Object.isFrozen(make)).toBe(true);
  });

  it("lists exactly the fields of its JSON form, with the defaults the factory uses", () => {
    const defaults = Object.fromEntries(Object.entries(make.params).map(([k, p]) => [k, p.default]));
    expect(make().toJSON()).toEqual({ kind, ...defaults });
    expect(Object.keys(make().toJSON())).toEqual(["kind", ...Object.keys(make.params)]);
  });

  it("every default lies in its stated domain, and scheduleFromJSON rebuilds the defaults", () => {
    for (const p of Object.values(make.params)) {
      if (p.min !== undefined) expect(p.exclusiveMin ? p.default > p.min : p.default >= p.min).toBe(true);
      if (p.max !== undefined) expect(p.exclusiveMax ? p.default < p.max : p.default <= p.max).toBe(true);
    }
    expect(scheduleFromJSON({ kind }).toJSON()).toEqual(make().toJSON());
  });

  it("refuses each parameter just outside its stated domain, naming it", () => {
    let checked = 0;
    for (const [name, p] of Object.entries(make.params)) {
      for (const side of ["min", "max"] as const) {
        const v = outside(p, side);
        if (v === undefined) continue;
        const e = thrown(() => make({ [name]: v }));
        expect(e?.code, `${kind}.${name} = ${v}`).toBe("INVALID_OPTION");
        expect(e?.location.path).toBe(name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(Object.keys(make.params).length);
  });
});

/** A schedule of one's own: sigma(s) = 2s, scale 1 (EDM with doubled time), with an entry of its own. */
function doubledSchedule(options: ScheduleRange = {}): NoiseSchedule {
  const { tMin, tMax } = checkRange("doubledSchedule", options, { tMin: 0.001, tMax: 40 });
  return Object.freeze({
    kind: "doubled",
    tMin,
    tMax,
    scale: () => 1,
    scaleDeriv: () => 0,
    sigma: (s: number) => 2 * s,
    sigmaDeriv: () => 2,
    sigmaInv: (sigma: number) => {
      checkSigma("doubledSchedule.sigmaInv", sigma);
      return sigma / 2;
    },
    drift: () => 0,
    diffusion: (s: number) => Math.sqrt(8 * s),
    toJSON: () => ({ kind: "doubled", tMin, tMax }),
  });
}
const doubled = defineSchedule(doubledSchedule, {
  note: "EDM with doubled time",
  params: {
    tMin: { default: 0.001, min: 0, exclusiveMin: true, note: "smallest time" },
    tMax: { default: 40, min: 0, exclusiveMin: true, note: "largest time" },
  },
});

describe("schedules of one's own", () => {
  it("scheduleFromJSON rebuilds one from a registry that includes its entry, and only then", () => {
    const s = doubled({ tMax: 10 });
    const json = JSON.parse(JSON.stringify(s));
    const back = scheduleFromJSON(json, { ...schedules, doubled });
    expect(back.toJSON()).toEqual({ kind: "doubled", tMin: 0.001, tMax: 10 });
    expect(back.sigma(3)).toBe(6);
    expect(thrown(() => scheduleFromJSON(json))?.code).toBe("INVALID_SPEC");
    expect(thrown(() => scheduleFromJSON({ ...json, beta: 1 }, { doubled }))?.location.path).toBe("beta");
  });

  it("isNoiseSchedule / checkSchedule accept every registered schedule and one's own", () => {
    for (const make of [...Object.values(schedules), doubled]) {
      const s = make();
      expect(isNoiseSchedule(s)).toBe(true);
      expect(checkSchedule(s, "test")).toBe(s);
    }
  });

  it("checkSchedule names the first bad field", () => {
    const good = edmSchedule();
    const cases: [unknown, string][] = [
      [undefined, "schedule"],
      ["edm", "schedule"],
      [{ ...good, kind: 3 }, "schedule.kind"],
      [{ ...good, sigmaInv: undefined }, "schedule.sigmaInv"],
      [{ ...good, toJSON: 1 }, "schedule.toJSON"],
      [{ ...good, tMin: Number.NaN }, "schedule.tMin"],
      [{ ...good, tMax: good.tMin }, "schedule.tMax"],
    ];
    for (const [value, path] of cases) {
      expect(isNoiseSchedule(value)).toBe(false);
      const e = thrown(() => checkSchedule(value, "mySampler"));
      expect(e?.code).toBe("INVALID_OPTION");
      expect(e?.location.path).toBe(path);
      expect(e?.message.startsWith(`mySampler: ${path}`)).toBe(true);
    }
    expect(thrown(() => checkSchedule({ ...good, scale: null }, "f", "options.schedule"))?.location.path).toBe(
      "options.schedule.scale",
    );
  });

  it("defineSchedule refuses a default outside its own domain, and a non-function", () => {
    const bad = { tMin: { default: 0, min: 0, exclusiveMin: true, note: "" } };
    expect(thrown(() => defineSchedule(doubledSchedule, { note: "", params: bad }))?.location.path).toBe(
      "params.tMin.default",
    );
    expect(
      thrown(() => defineSchedule(42 as unknown as () => NoiseSchedule, { note: "", params: {} }))?.location.path,
    ).toBe("create");
  });
});
