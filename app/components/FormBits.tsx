// Small pieces the master-data forms share: the outcome of an action, and a time zone field.

type Result = { ok: true; message?: string } | { ok: false; error: string; field: string | null };

/** The action's message or its error (which names the field). */
export function Feedback({ result }: { result: Result | undefined }) {
  if (!result) return null;
  return result.ok ? (
    <p role="status" className="badge ok">
      {result.message ?? 'Saved.'}
    </p>
  ) : (
    <p role="alert" className="error">
      {result.error}
    </p>
  );
}

/** Every IANA zone this runtime knows, offered as suggestions; the server validates what is typed. */
export function TimeZoneInput({ defaultValue, name = 'timeZone' }: { defaultValue: string; name?: string }) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <>
      <input name={name} defaultValue={defaultValue} list="time-zones" placeholder="Europe/Paris" required size={28} />
      <datalist id="time-zones">
        {['UTC', ...zones].map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
