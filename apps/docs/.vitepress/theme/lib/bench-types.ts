/** One table of the benchmarks page. */
export interface BenchGroup {
  name: string;
  rows: Record<string, unknown>[];
}

/** What the benchmarks data loader gives the page. */
export interface BenchData {
  found: boolean;
  file: string;
  meta: string;
  groups: BenchGroup[];
}
