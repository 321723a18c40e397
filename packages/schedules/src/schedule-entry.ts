import { describe, MixdiffError } from "@mixdiff/core";
import type { NoiseSchedule } from "./noise-schedule.js";

/**
 * One numeric parameter of a schedule family, as listed in its registry entry: the default and the domain
 * the factory accepts. Constraints between parameters (`tMax > tMin`, `betaMax ≥ betaMin`) are in `note`.
 *
 * @example
 * ```ts
 * import { schedules, type ScheduleParam } from "@mixdiff/schedules";
 * const offset: ScheduleParam | undefined = schedules.cosine.params.offset; // a record lookup
 * offset?.default; // 0.008
 * ```
 */
export interface ScheduleParam {
  /** The value the factory uses when the option is omitted. */
  readonly default: number;
  /** Smallest accepted value (inclusive unless `exclusiveMin`). */
  readonly min?: number;
  /** `min` itself is refused. */
  readonly exclusiveMin?: boolean;
  /** Largest accepted value (inclusive unless `exclusiveMax`). */
  readonly max?: number;
  /** `max` itself is refused. */
  readonly exclusiveMax?: boolean;
  /** One line: what the parameter is, and any constraint involving other parameters. */
  readonly note: string;
}

/**
 * A registry entry of {@link schedules}: the schedule factory itself (call it with options, as
 * `schedules.vpLinear({ betaMax: 10 })`), carrying a one-line `note` and the description of its parameters
 * (`params`, in the order of the JSON form after `kind`). {@link scheduleFromJSON} accepts exactly the
 * fields of `params`.
 *
 * @example
 * ```ts
 * import { schedules, type ScheduleEntry } from "@mixdiff/schedules";
 * const entry: ScheduleEntry = schedules.vpLinear;
 * Object.keys(entry.params);        // ["tMin", "tMax", "betaMin", "betaMax"]
 * entry({ betaMax: 10 }).kind;      // "vpLinear"
 * ```
 */
export interface ScheduleEntry<O extends object = Record<string, number>> {
  /** Builds the schedule (all options optional; `INVALID_OPTION` outside the domain). */
  (options?: O): NoiseSchedule;
  /** One line saying what the schedule is (shown by the docs and the CLI). */
  readonly note: string;
  /** Every parameter of the JSON form except `kind`, with its default and domain. */
  readonly params: Readonly<Record<string, ScheduleParam>>;
}

/**
 * Builds a registry entry from a schedule factory and its description: a frozen function that calls `create`
 * and carries `note` and `params`. A new schedule file ends with one `defineSchedule` call; the registry
 * {@link schedules} then lists it in one line.
 *
 * @param create - the factory, `(options?) => NoiseSchedule`.
 * @param meta - `note` (one line) and `params` (every JSON field but `kind`, with default and domain).
 * @returns the entry (callable like `create`).
 * @throws MixdiffError `INVALID_OPTION` when `create` is not a function, or a param has a non-finite default
 *   or a default outside its own domain (the message names the param).
 *
 * @example
 * ```ts
 * import { defineSchedule, edmSchedule } from "@mixdiff/schedules";
 * const myEdm = defineSchedule(edmSchedule, {
 *   note: "EDM with my defaults",
 *   params: {
 *     tMin: { default: 0.002, min: 0, exclusiveMin: true, note: "σ_min" },
 *     tMax: { default: 80, min: 0, exclusiveMin: true, note: "σ_max (> tMin)" },
 *   },
 * });
 * myEdm({ tMax: 40 }).tMax; // 40
 * ```
 */
export function defineSchedule<O extends object>(
  create: (options?: O) => NoiseSchedule,
  meta: { note: string; params: Readonly<Record<string, ScheduleParam>> },
): ScheduleEntry<O> {
  const fn = "defineSchedule";
  if (typeof create !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: create must be a function; got ${describe(create)}`, {
      path: "create",
    });
  }
  const params: Record<string, ScheduleParam> = {};
  for (const [name, p] of Object.entries(meta.params)) {
    const d = p.default;
    const inside =
      Number.isFinite(d) &&
      (p.min === undefined || (p.exclusiveMin ? d > p.min : d >= p.min)) &&
      (p.max === undefined || (p.exclusiveMax ? d < p.max : d <= p.max));
    if (!inside) {
      throw new MixdiffError("INVALID_OPTION", `${fn}: params.${name}.default ${d} is outside its own domain`, {
        path: `params.${name}.default`,
      });
    }
    params[name] = Object.freeze({ ...p });
  }
  const entry = (options?: O) => create(options);
  return Object.freeze(Object.assign(entry, { note: meta.note, params: Object.freeze(params) }));
}
