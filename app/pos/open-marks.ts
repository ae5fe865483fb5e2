// Where a warm open of the register spends its time: named instants on the epoch clock
// (`timeOrigin + now`), so marks taken in the worker and in the page line up. The page turns them
// into its own timeline; bench/register-pos.ts reports them per reload.

export type OpenMarks = Record<string, number>;

export function openMarks() {
  const marks: OpenMarks = {};
  return {
    marks,
    mark(name: string) {
      marks[name] = performance.timeOrigin + performance.now();
    },
  };
}
