// The error an admin form shows on one field (app/admin/fields.tsx): the text of the element the
// invalid control's aria-describedby names, or null while the field is valid.
import type { Locator, Page } from 'playwright-core';

export async function fieldError(scope: Page | Locator, name: string): Promise<string | null> {
  const control = scope.locator(`[name="${name}"][aria-invalid=true]`).first();
  if ((await control.count()) === 0) return null;
  const id = await control.getAttribute('aria-describedby');
  return id ? scope.locator(`[id="${id}"]`).first().textContent() : null;
}
