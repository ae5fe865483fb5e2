// The name registers use to reach the edge (EDGE_HOSTNAME). It ends up in the server certificate and
// in every register's origin, so a bad value must stop the start with a line that says what to fix.
import net from 'node:net';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Undefined when `name` is a usable DNS host name or IP address, otherwise what is wrong with it. */
export function hostnameProblem(name: string): string | undefined {
  if (net.isIP(name)) return undefined;
  if (name.length === 0) return 'it is empty';
  if (name.length > 253) return 'it is longer than 253 characters';
  const labels = name.replace(/\.$/, '').split('.');
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return `"${bad}" is not a valid label (letters, digits and inner hyphens, at most 63 characters)`;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'its last label is all digits (not an IP address either)';
  return undefined;
}
