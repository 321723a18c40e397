/** The first two coordinates of a point, for a 2-D plot (a missing second coordinate is 0). Internal. */
export function xy(p: readonly number[]): [number, number] {
  return [p[0] ?? 0, p[1] ?? 0];
}
