/** The middle value (the upper middle of an even count), or 0 for none: how the bench summarises repeated runs. */
export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
