import type { MetaFunction } from '@remix-run/node';
import { useEffect, useState, type ComponentType } from 'react';

export const meta: MetaFunction = () => [{ title: 'Till POS' }];

/** The POS runs entirely in the browser (local database, offline selling); the server sends the shell. */
export default function Pos() {
  const [App, setApp] = useState<ComponentType | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    import('../pos/PosApp.client')
      .then((m) => setApp(() => m.PosApp))
      .catch((e: Error) => setError(e.message));
  }, []);
  if (error) return <p className="error" role="alert" style={{ padding: '1rem' }}>The POS could not load: {error}</p>;
  return App ? <App /> : <p className="muted" style={{ padding: '1rem' }}>Loading the register…</p>;
}
