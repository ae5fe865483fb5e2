/** The nearest-rank percentile `p` (0–100) of `xs`. */
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs `fn` `runs` times and returns every result plus the median of `pick`. */
export async function repeat<T>(runs: number, fn: () => Promise<T>, pick: (t: T) => number) {
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await fn());
  return { results, median: median(results.map(pick)) };
}
