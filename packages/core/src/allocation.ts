import { MixdiffError } from "./errors.js";

/**
 * Largest single typed array a mixdiff function allocates, in bytes (2 GiB). Requests above it are refused with
 * `RESOURCE_LIMIT` before allocating, instead of V8's bare `RangeError` ("Invalid typed array length" /
 * "Array buffer allocation failed").
 *
 * @example
 * ```ts
 * import { MAX_ARRAY_BYTES } from "@mixdiff/core";
 * const maxRows = Math.floor(MAX_ARRAY_BYTES / (8 * 3)); // the most 3-D points one batch can hold
 * ```
 */
export const MAX_ARRAY_BYTES = 2 ** 31;

function formatBytes(b: number): string {
  if (b >= 1e9) return `${Number((b / 1e9).toPrecision(3))} GB`;
  if (b >= 1e6) return `${Number((b / 1e6).toPrecision(3))} MB`;
  return `${b} bytes`;
}

/**
 * Refuses, before allocating, an array of `elements` entries of `bytesPerElement` bytes when it would exceed
 * {@link MAX_ARRAY_BYTES} (or `elements` is not a safe integer): throws `RESOURCE_LIMIT` naming the request, the
 * estimate and the limit, with `details` `{ estimate, budget }` in bytes. `hint` is appended to the message.
 *
 * @example
 * ```ts
 * import { checkAllocation, isMixdiffError } from "@mixdiff/core";
 * checkAllocation("sample", "n × dim = 1000 × 2 values", 2000); // fine: 16 kB
 * try {
 *   checkAllocation("sample", "n × dim = 1e10 × 2 values", 2e10);
 * } catch (e) {
 *   if (isMixdiffError(e)) e.code; // "RESOURCE_LIMIT" (160 GB > 2.15 GB)
 * }
 * ```
 */
export function checkAllocation(
  fn: string,
  what: string,
  elements: number,
  opts: { bytesPerElement?: number; path?: string; hint?: string } = {},
): void {
  const per = opts.bytesPerElement ?? 8;
  const estimate = elements * per;
  if (Number.isSafeInteger(elements) && elements >= 0 && estimate <= MAX_ARRAY_BYTES) return;
  throw new MixdiffError(
    "RESOURCE_LIMIT",
    `${fn}: ${what} need ${formatBytes(estimate)}, above the ${formatBytes(MAX_ARRAY_BYTES)} limit of one array${opts.hint ? `; ${opts.hint}` : ""}`,
    opts.path === undefined ? {} : { path: opts.path },
    { estimate, budget: MAX_ARRAY_BYTES },
  );
}
