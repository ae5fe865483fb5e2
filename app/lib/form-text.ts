/** A submitted form field as text: a file upload or a missing field reads as `fallback`. */
export function formText(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
