import {
  type MixingFamily,
  type MixingKind,
  type MixingSketch,
  type MixingSpec,
  mixingFamilies,
} from "@mixdiff/mixtures";
import circle2d from "../../../../../test-fixtures/eval/cases/circle2d.json";
import disks2d from "../../../../../test-fixtures/eval/cases/disks2d.json";
import gmm2d from "../../../../../test-fixtures/eval/cases/gmm2d.json";
import gmm2dOverlap from "../../../../../test-fixtures/eval/cases/gmm2d-overlap.json";
import polyline2d from "../../../../../test-fixtures/eval/cases/polyline2d.json";
import type { LearnerPreset, SpecJSON } from "./protocol";

/** The public 2-D evaluation cases, as shipped in `test-fixtures/eval/cases/`. */
export const presets = {
  gmm2d: { label: "Three separated Gaussians (gmm2d)", spec: gmm2d as SpecJSON },
  "gmm2d-overlap": { label: "Three overlapping Gaussians (gmm2d-overlap)", spec: gmm2dOverlap as SpecJSON },
  circle2d: { label: "Means on a circle (circle2d)", spec: circle2d as SpecJSON },
  polyline2d: { label: "Means on a polyline (polyline2d)", spec: polyline2d as SpecJSON },
  disks2d: { label: "Means in two disks (disks2d)", spec: disks2d as SpecJSON },
} as const satisfies Record<string, { label: string; spec: SpecJSON }>;

export type PresetName = keyof typeof presets;

/** The registry entry of the spec's mixing family (undefined for an unknown kind). */
function familyOf(spec: SpecJSON): MixingFamily<MixingSpec> | undefined {
  const kind = spec.mixing.kind;
  return Object.hasOwn(mixingFamilies, kind)
    ? (mixingFamilies[kind as MixingKind] as unknown as MixingFamily<MixingSpec>)
    : undefined;
}

/** What the plots draw over a spec's support: the family's own sketch (`mixingFamilies[kind].sketch`). */
export function sketchFor(spec: SpecJSON): MixingSketch {
  return familyOf(spec)?.sketch(spec.mixing as unknown as MixingSpec) ?? {};
}

/** Number of EM components that matches a spec: the family's choice (the atoms for a finite mixture, …), else 8. */
export function defaultEmComponents(spec: SpecJSON): number {
  return familyOf(spec)?.emComponents(spec.mixing as unknown as MixingSpec) ?? 8;
}

/** A square window around the sketch of the mixing distribution, padded by 3.5 noise standard deviations. */
export function viewFor(spec: SpecJSON): { center: [number, number]; halfWidth: number } {
  const sk = sketchFor(spec);
  const pts: number[][] = [...(sk.markers ?? []), ...(sk.paths ?? []).flat()];
  for (const c of [...(sk.rings ?? []), ...(sk.discs ?? [])]) {
    pts.push([c.center[0] - c.radius, c.center[1] - c.radius], [c.center[0] + c.radius, c.center[1] + c.radius]);
  }
  if (pts.length === 0) return { center: [0, 0], halfWidth: 10 };
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of pts) {
    x0 = Math.min(x0, p[0]!);
    x1 = Math.max(x1, p[0]!);
    y0 = Math.min(y0, p[1]!);
    y1 = Math.max(y1, p[1]!);
  }
  const half = Math.max(x1 - x0, y1 - y0) / 2 + 3.5 * spec.noiseStd;
  return { center: [(x0 + x1) / 2, (y0 + y1) / 2], halfWidth: Math.max(4, half) };
}

/**
 * The playground's initial settings (also what the tests fit, so "the default fit" means the same everywhere).
 * `degree` undefined: the preset's own default (practical: 3 in 2-D, each level choosing ≤ 3; paper: 6).
 */
export const PLAYGROUND_DEFAULTS: {
  readonly trainSize: number;
  readonly sampleSize: number;
  readonly levels: number;
  readonly degree: number | undefined;
  readonly preset: LearnerPreset;
  readonly steps: number;
  readonly sampler: string;
  readonly seed: number;
} = {
  trainSize: 4000,
  sampleSize: 2000,
  levels: 16,
  degree: undefined,
  preset: "practical",
  steps: 100,
  sampler: "exponentialIntegrator",
  seed: 1,
};
