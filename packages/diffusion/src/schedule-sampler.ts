import { checkSchedule, type NoiseSchedule } from "@mixdiff/schedules";
import type { SamplerKernel } from "./bind-stepper.js";
import { type DefinedSampler, defineSampler } from "./define-sampler.js";
import type { ScheduleOption } from "./sample-options.js";

/**
 * A sampler whose one own option is `schedule` (internal): a given schedule is checked with `checkSchedule` of
 * `@mixdiff/schedules`, `fallback()` stands in when it is absent, and `kernel` builds the update rule for it.
 * eulerMaruyama and the probability-flow samplers are made so.
 */
export function defineScheduleSampler(
  name: string,
  note: string,
  fallback: () => NoiseSchedule,
  kernel: (schedule: NoiseSchedule) => SamplerKernel,
): DefinedSampler<ScheduleOption> {
  return defineSampler<ScheduleOption>({
    name,
    note,
    options: ["schedule"],
    kernel: (o, fn) => kernel(o.schedule === undefined ? fallback() : checkSchedule(o.schedule, fn)),
  });
}
