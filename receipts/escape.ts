// Escaping of user text (item names, store address, footer…) for receiptline markup.

/** Characters with a meaning in receiptline text: column, property, escape, space and decoration marks. */
const SPECIAL = /[\\|{}~_"`^]/g;

/**
 * Makes `value` print literally inside one receiptline text column: special characters are
 * escaped, control characters and line breaks become spaces, whitespace is collapsed (leading and
 * trailing spaces would change the column alignment), and a text made only of `-` or `=` (which
 * would print a rule or cut the paper) is escaped too.
 */
export function escapeText(value: string): string {
  const clean = value
    .replace(/[\x00-\x1f\x7f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const escaped = clean.replace(SPECIAL, (c) => `\\${c}`);
  return /^[-=]+$/.test(escaped) ? escaped.replace(/[-=]/g, (c) => `\\${c}`) : escaped;
}

/** Escaping for a property value such as `{code:…}`: `:` needs none, `;` ends the value. */
export function escapePropertyValue(value: string): string {
  return value.replace(/[\\|{};]/g, (c) => `\\${c}`);
}

/** Splits multi-line user text (address, footer) into escaped lines, dropping empty ones. */
export function escapeLines(value: string): string[] {
  return value
    .split(/\r\n|\r|\n/)
    .map(escapeText)
    .filter((l) => l !== '');
}
