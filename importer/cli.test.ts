import { describe, expect, it, vi } from 'vitest';
import { main, parseCli, UsageError } from './cli';

describe('parseCli', () => {
  it('reads the options with defaults', () => {
    const o = parseCli(['--data-dir', 'x', '--dry-run', '--company-map', 'A=B'], new Date('2025-01-02T03:04:05.678Z'));
    expect(o).toMatchObject({ dataDir: 'x', dryRun: true, report: 'import-reports/2025-01-02T03-04-05-678Z.csv', progress: false });
    expect([...o.companyMap]).toEqual([['A', 'B']]);
    expect(parseCli(['--data-dir', 'x', '--number-format', '#.###,##']).numberFormat).toEqual({ decimal: ',', group: '.' });
  });
  it('refuses missing or unknown options and a malformed map', () => {
    expect(() => parseCli([])).toThrow(/--data-dir <folder> is required/);
    expect(() => parseCli(['--data-dir', 'x', '--bogus'])).toThrow(UsageError);
    expect(() => parseCli(['--data-dir', 'x', '--company-map', 'A'])).toThrow(/--company-map/);
    expect(() => parseCli(['--data-dir', 'x', '--number-format', '9'])).toThrow(/--number-format/);
  });
});

describe('main', () => {
  it('exits 2 with the usage text when --data-dir is missing', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main([])).toBe(2);
    expect(err.mock.calls[0]![0]).toMatch(/--data-dir <folder> is required[\s\S]*Usage/);
    err.mockRestore();
  });
});
