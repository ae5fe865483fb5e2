// App versions as the edge and its registers report them (package.json's `version`, or a test
// build's override): major.minor.patch with an optional pre-release tag. Anything else ('dev', a
// garbled header) compares as unknown, and an unknown version never triggers an update.

const PATTERN = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:-([0-9A-Za-z.-]{1,40}))?$/;

export function isAppVersion(v: string): boolean {
  return PATTERN.test(v);
}

/** -1, 0 or 1 as `a` is older, the same or newer than `b`; undefined when either is not a version. */
export function compareAppVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = PATTERN.exec(a);
  const y = PATTERN.exec(b);
  if (!x || !y) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d) return d < 0 ? -1 : 1;
  }
  // A pre-release comes before its release (1.2.0-rc1 < 1.2.0); two tags compare as text.
  const [p, q] = [x[4], y[4]];
  if (p === q) return 0;
  if (p === undefined) return 1;
  if (q === undefined) return -1;
  return p < q ? -1 : 1;
}

/** What a register running `shell` should do about an edge running `edge`. */
export type ShellVerdict = 'current' | 'edge-newer' | 'edge-older' | 'unknown';

export function shellVerdict(shell: string, edge: string | null | undefined): ShellVerdict {
  if (!edge) return 'unknown';
  const c = compareAppVersions(shell, edge);
  return c === undefined ? 'unknown' : c === 0 ? 'current' : c < 0 ? 'edge-newer' : 'edge-older';
}

/** Every edge answer names the edge's version, so a register learns it from whatever call it makes. */
export const EDGE_VERSION_HEADER = 'x-till-edge-version';
