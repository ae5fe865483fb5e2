// A time zone field for the admin forms: every IANA zone this runtime knows, offered as suggestions.
import type { FieldMetadata } from '@conform-to/react';
import type { ReactNode } from 'react';
import { TextField } from '../admin/fields';

/** The schema (services/forms/store.ts `timeZone`) checks what is typed, here and on the server. */
export function TimeZoneField({ meta, label }: { meta: FieldMetadata<unknown, Record<string, unknown>, string[]>; label: ReactNode }) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <>
      <TextField meta={meta} label={label} list="time-zones" placeholder="Europe/Paris" size={28} />
      <datalist id="time-zones">
        {['UTC', ...zones].map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
