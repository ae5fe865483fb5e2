import { useRef, useState } from 'react';
import { classifyBoxEntry } from '../../core/pos-entry';
import { searchCatalog, type CatalogItem } from './catalog';
import { money } from './money-text';
import type { Register } from './register.client';
import type { Company } from './store-data';
import { useWedgeScan } from './use-wedge-scan';

interface Props {
  register: Register;
  companies: Company[];
  invoiceCompanyId: string;
  exponent: number;
  onSwitchCompany: (companyId: string) => void;
  onScan: (code: string) => void;
  onPick: (item: CatalogItem) => void;
}

/** Invoice company toggle, the scan-or-search box (a wedge scanner works anywhere on the page) and search results. */
export function ScanBox({ register, companies, invoiceCompanyId, exponent, onSwitchCompany, onScan, onPick }: Props) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CatalogItem[]>([]);
  const lastScan = useRef({ code: '', at: 0 });

  useWedgeScan((code) => {
    lastScan.current = { code, at: Date.now() };
    setQuery('');
    onScan(code);
  });

  const submit = async () => {
    const entry = classifyBoxEntry(query, lastScan.current, Date.now());
    if (entry.kind === 'echo') return setQuery('');
    if (entry.kind === 'scan') {
      setQuery('');
      return onScan(entry.code);
    }
    if (entry.kind === 'search')
      setResults(
        await searchCatalog(
          register.db,
          entry.query,
          companies.map((c) => c.id),
        ),
      );
  };

  return (
    <>
      <div className="card" style={{ display: 'flex', gap: '1rem', alignItems: 'center' }}>
        <span>Invoice company:</span>
        {companies.map((c) => (
          <button
            key={c.id}
            type="button"
            data-testid={`company-${c.code}`}
            className={c.id === invoiceCompanyId ? 'primary' : ''}
            aria-pressed={c.id === invoiceCompanyId}
            onClick={() => onSwitchCompany(c.id)}
          >
            {c.name}
          </button>
        ))}
        <form
          style={{ marginLeft: 'auto' }}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <input
            data-scan-target="true"
            aria-label="scan or search"
            placeholder="scan, code or name"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoFocus
          />
        </form>
      </div>
      {results.length ? (
        <div className="card">
          {results.map((r) => (
            <button
              key={r.itemId}
              type="button"
              style={{ margin: 2 }}
              onClick={() => {
                onPick(r);
                setResults([]);
                setQuery('');
              }}
            >
              {r.name} · {companies.find((c) => c.id === r.companyId)?.code} · {money(r.unitPrice, exponent)}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}
