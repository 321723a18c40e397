import { isMixdiffError } from "@mixdiff/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cosineSchedule } from "./cosine.js";
import { edmSchedule } from "./edm.js";
import type { NoiseSchedule } from "./noise-schedule.js";
import { scheduleFromJSON } from "./schedule-from-json.js";
import { schedules } from "./schedules.js";
import { veSchedule } from "./ve.js";
import { vpSchedule } from "./vp.js";
import { vpLinearSchedule } from "./vp-linear.js";

/** Central difference with h = 1e-6·s: truncation O(h²·f''') and rounding O(ε·f/h) both stay far below the 1e-6 tolerance. */
function fd(f: (s: number) => number, s: number): number {
  const h = 1e-6 * Math.max(Math.abs(s), 1e-2);
  return (f(s + h) - f(s - h)) / (2 * h);
}

function relClose(actual: number, expected: number, rtol: number, atol = 0): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + atol);
}

/**
 * Every registered schedule with its defaults (so a new entry in `schedules` cannot skip these checks), plus
 * a few non-default parametrisations.
 */
const cases: readonly { name: string; schedule: NoiseSchedule }[] = [
  ...Object.entries(schedules).map(([kind, make]) => ({ name: kind, schedule: make() })),
  { name: "ve tMax 400", schedule: veSchedule({ tMin: 1e-3, tMax: 400 }) },
  { name: "vpLinear β∈[1,5]", schedule: vpLinearSchedule({ betaMin: 1, betaMax: 5 }) },
  { name: "cosine ε = 0.1", schedule: cosineSchedule({ offset: 0.1 }) },
];

/** |scale²·(1 + sigma²) − 1| < 1e-12: the marginal variance of unit-variance data stays 1. */
const preservesVariance = (s: NoiseSchedule, t: number) =>
  Math.abs(s.scale(t) ** 2 * (1 + s.sigma(t) ** 2) - 1) < 1e-12;

/** Schedule times spread over [tMin, tMax] (log-spaced, since most schedules vary fastest near tMin). */
function times(s: NoiseSchedule, count = 9): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(s.tMin * (s.tMax / s.tMin) ** (i / (count - 1)));
  // Keep FD stencils inside the domain.
  out[0] = s.tMin * 1.01;
  out[count - 1] = s.tMax * 0.999;
  return out;
}

describe.each(cases)("schedule $name", ({ schedule: s }) => {
  it("derivatives match central finite differences", () => {
    for (const t of times(s)) {
      relClose(s.scaleDeriv(t), fd(s.scale, t), 1e-6, 1e-12);
      relClose(s.sigmaDeriv(t), fd(s.sigma, t), 1e-6, 1e-12);
    }
  });

  it("sigmaInv inverts sigma", () => {
    for (const t of times(s, 25)) relClose(s.sigmaInv(s.sigma(t)), t, 1e-9);
  });

  it("drift = scale'/scale and diffusion² = 2·scale²·sigma·sigma'", () => {
    for (const t of times(s)) {
      relClose(s.drift(t), s.scaleDeriv(t) / s.scale(t), 1e-12, 1e-15);
      relClose(s.diffusion(t) ** 2, 2 * s.scale(t) ** 2 * s.sigma(t) * s.sigmaDeriv(t), 1e-9);
    }
  });

  it("the forward SDE reproduces the noise variance m = scale²·sigma²: m' = 2f·m + g²", () => {
    const m = (t: number) => (s.scale(t) * s.sigma(t)) ** 2;
    for (const t of times(s)) relClose(fd(m, t), 2 * s.drift(t) * m(t) + s.diffusion(t) ** 2, 1e-6, 1e-12);
  });

  it("preserves variance (scale²·(1 + sigma²) = 1) at every time or at none, and then g² = −2f", () => {
    const variancePreserving = preservesVariance(s, times(s)[0]!);
    for (const t of times(s)) {
      expect(preservesVariance(s, t)).toBe(variancePreserving);
      if (variancePreserving) relClose(s.diffusion(t) ** 2, -2 * s.drift(t), 1e-12);
    }
  });

  it("round-trips through JSON exactly", () => {
    const back = scheduleFromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.toJSON()).toEqual(s.toJSON());
    for (const t of times(s)) {
      expect(back.sigma(t)).toBe(s.sigma(t));
      expect(back.scale(t)).toBe(s.scale(t));
      expect(back.diffusion(t)).toBe(s.diffusion(t));
    }
  });

  it("sigma is increasing and scale positive on a property-based sample", () => {
    fc.assert(
      fc.property(
        fc.double({ min: s.tMin, max: s.tMax, noNaN: true }),
        fc.double({ min: s.tMin, max: s.tMax, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          if (hi - lo < 1e-9 * hi) return true; // below rounding resolution of sigma
          return s.sigma(lo) < s.sigma(hi) && s.scale(lo) > 0 && s.scale(hi) > 0;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("closed forms", () => {
  it("the VP family (vp, vpLinear, cosine) preserves variance; ve and edm do not", () => {
    for (const [s, vp] of [
      [vpSchedule(), true],
      [vpLinearSchedule(), true],
      [cosineSchedule(), true],
      [veSchedule(), false],
      [edmSchedule(), false],
    ] as const) {
      expect(preservesVariance(s, 0.5 * (s.tMin + s.tMax))).toBe(vp);
    }
  });

  it("VE: sigma = √s, scale 1, drift 0, diffusion 1", () => {
    const s = veSchedule();
    expect(s.sigma(9)).toBe(3);
    expect(s.scale(9)).toBe(1);
    expect(s.drift(9)).toBe(0);
    expect(s.diffusion(9)).toBe(1);
  });

  it("VP ↔ VE time correspondence: VP s ↔ VE e^{2s} − 1 and VE t ↔ VP ln(t + 1)/2", () => {
    const s = vpSchedule();
    for (const vp of [1e-3, 0.1, 0.5, 1, 2, 4.5]) relClose(s.sigma(vp) ** 2, Math.exp(2 * vp) - 1, 1e-12);
    for (const ve of [1e-3, 0.5, 1, 10, 400]) relClose(s.sigmaInv(Math.sqrt(ve)), Math.log(ve + 1) / 2, 1e-12);
    // x_s = e^{-s}·y_{e^{2s}−1}: the scale is e^{-s}.
    relClose(s.scale(0.7), Math.exp(-0.7), 1e-15);
  });

  it("VP-linear: B(1) = (βmin + βmax)/2 gives VE time e^{B} − 1 at s = 1", () => {
    const s = vpLinearSchedule({ betaMin: 0.1, betaMax: 20 });
    relClose(s.sigma(1) ** 2, Math.expm1(10.05), 1e-12);
    relClose(s.diffusion(0.5) ** 2, 10.05, 1e-12);
  });

  it("cosine: ᾱ(s) = cos²(θ(s))/cos²(θ(0))", () => {
    const s = cosineSchedule({ offset: 0.008 });
    const th = (x: number) => ((x + 0.008) / 1.008) * (Math.PI / 2);
    for (const x of [0.01, 0.3, 0.9]) relClose(s.scale(x) ** 2, Math.cos(th(x)) ** 2 / Math.cos(th(0)) ** 2, 1e-12);
    expect(s.scale(0)).toBe(1);
  });

  it("EDM: sigma = s, diffusion = √(2s)", () => {
    const s = edmSchedule();
    expect(s.sigma(3)).toBe(3);
    relClose(s.diffusion(3), Math.sqrt(6), 1e-15);
  });
});

describe("validation", () => {
  const bad: readonly [string, () => unknown, string][] = [
    ["ve tMax ≤ tMin", () => veSchedule({ tMin: 2, tMax: 1 }), "INVALID_OPTION"],
    ["ve tMin = 0", () => veSchedule({ tMin: 0 }), "INVALID_OPTION"],
    ["vp NaN tMax", () => vpSchedule({ tMax: Number.NaN }), "INVALID_OPTION"],
    ["vpLinear tMax > 1", () => vpLinearSchedule({ tMax: 1.5 }), "INVALID_OPTION"],
    ["vpLinear betaMax < betaMin", () => vpLinearSchedule({ betaMin: 2, betaMax: 1 }), "INVALID_OPTION"],
    ["cosine tMax = 1", () => cosineSchedule({ tMax: 1 }), "INVALID_OPTION"],
    ["edm negative", () => edmSchedule({ tMin: -1 }), "INVALID_OPTION"],
    ["sigmaInv negative", () => veSchedule().sigmaInv(-1), "INVALID_OPTION"],
    ["vpLinear sigmaInv beyond sigma(1)", () => vpLinearSchedule().sigmaInv(1e6), "INVALID_OPTION"],
    ["fromJSON not an object", () => scheduleFromJSON("ve"), "INVALID_SPEC"],
    ["fromJSON unknown kind", () => scheduleFromJSON({ kind: "sub-vp" }), "INVALID_SPEC"],
    ["fromJSON unknown field", () => scheduleFromJSON({ kind: "ve", tMin: 0.1, tMax: 1, beta: 2 }), "INVALID_SPEC"],
    ["fromJSON string number", () => scheduleFromJSON({ kind: "ve", tMin: "0.1", tMax: 1 }), "INVALID_SPEC"],
    ["fromJSON null number", () => scheduleFromJSON({ kind: "edm", tMin: null, tMax: 1 }), "INVALID_SPEC"],
    ["fromJSON bad range", () => scheduleFromJSON({ kind: "vp", tMin: 3, tMax: 1 }), "INVALID_OPTION"],
  ];
  it.each(bad)("%s → %s", (_name, f, code) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, code as "INVALID_OPTION")).toBe(true);
  });

  it("the registry lists every kind and builds it with defaults", () => {
    expect(Object.keys(schedules).slice(0, 5)).toEqual(["ve", "vp", "vpLinear", "cosine", "edm"]); // then any new kind
    for (const [kind, make] of Object.entries(schedules)) expect(make().kind).toBe(kind);
    expect(schedules.vpLinear({ betaMax: 10 }).toJSON()).toEqual(vpLinearSchedule({ betaMax: 10 }).toJSON());
  });
});
