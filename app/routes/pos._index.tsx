import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [{ title: 'Till POS' }];

export default function Pos() {
  return (
    <>
      <header className="bar">
        <strong>Till POS</strong>
      </header>
      <main>
        <div className="card">
          <h2>This browser is not a register yet</h2>
          <p className="muted">Ask the store admin for a pairing code (Admin → Registers).</p>
        </div>
      </main>
    </>
  );
}
