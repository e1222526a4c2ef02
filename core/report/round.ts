// A figure rounded for a report: kept as a number, so JSON reports carry it as one.

/** `x` rounded to `digits` decimals: round(12.345) is 12.35, round(12.345, 1) is 12.3. */
export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
