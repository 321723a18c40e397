import type { BenchGroup } from "./bench-types";

/**
 * Turns whatever shape the bench writes into tables: an array of rows; `{ rows | results: [...] }`;
 * or `{ suites: { name: rows[] } }` / `{ name: rows[] }`. Rows with a `suite` (or `group`) field are grouped by it.
 */
export function normalise(json: unknown): { meta: string; groups: BenchGroup[] } {
  const isRow = (r: unknown): r is Record<string, unknown> => typeof r === "object" && r !== null && !Array.isArray(r);
  const byField = (rows: Record<string, unknown>[]): BenchGroup[] => {
    const key = ["suite", "group"].find((k) => rows.some((r) => typeof r[k] === "string"));
    if (!key) return [{ name: "results", rows }];
    const map = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const name = String(r[key] ?? "other");
      const { [key]: _drop, ...rest } = r;
      map.set(name, [...(map.get(name) ?? []), rest]);
    }
    return [...map].map(([name, rs]) => ({ name, rows: rs }));
  };
  if (Array.isArray(json)) return { meta: "", groups: byField(json.filter(isRow)) };
  if (!isRow(json)) return { meta: "", groups: [] };
  const metaParts: string[] = [];
  for (const k of ["date", "timestamp", "node", "platform", "cpus", "commit", "quick"]) {
    if (k in json && ["string", "number", "boolean"].includes(typeof json[k])) metaParts.push(`${k}: ${json[k]}`);
  }
  const meta = metaParts.join(" · ");
  for (const k of ["rows", "results", "benchmarks"]) {
    const v = json[k];
    if (Array.isArray(v)) return { meta, groups: byField(v.filter(isRow)) };
  }
  const container = isRow(json.suites) ? json.suites : json;
  const groups: BenchGroup[] = [];
  for (const [name, v] of Object.entries(container)) {
    if (Array.isArray(v) && v.some(isRow)) groups.push({ name, rows: v.filter(isRow) });
    else if (isRow(v)) {
      const inner = ["rows", "results"].map((x) => v[x]).find(Array.isArray) as unknown[] | undefined;
      if (inner) groups.push({ name, rows: inner.filter(isRow) });
    }
  }
  return { meta, groups };
}
