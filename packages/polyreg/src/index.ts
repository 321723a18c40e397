/**
 * @packageDocumentation
 * Hermite and monomial bases, streaming ridge least squares and piecewise (Voronoi-cell) polynomial regression.
 */
export {};
