// Figures for reports: milliseconds, rates and chart coordinates kept to a few decimals.

/** `x` rounded to `digits` decimals (2 unless given). */
export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
