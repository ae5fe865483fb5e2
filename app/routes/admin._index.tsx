import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [{ title: 'Till Admin' }];

export default function Admin() {
  return (
    <>
      <header className="bar">
        <strong>Till Admin</strong>
      </header>
      <main>
        <div className="card">
          <h2>Back office</h2>
        </div>
      </main>
    </>
  );
}
