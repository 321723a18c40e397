import type { Seed } from "@mixdiff/core";
import { CLI_VERSION } from "../program.js";

/** The provenance comment written as the first line of every CSV output (`# mixdiff <command> …`). */
export function provenance(command: string, fields: Record<string, string | number | boolean | undefined>): string {
  const parts = [`mixdiff ${CLI_VERSION}`, command];
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) parts.push(`${k}=${String(v)}`);
  return parts.join(" ");
}

/** How a seed is shown and recorded: integers as digits, strings JSON-quoted when they contain spaces. */
export function showSeed(seed: Seed): string {
  return typeof seed === "number" || /^[\w.:-]+$/.test(seed) ? String(seed) : JSON.stringify(seed);
}
