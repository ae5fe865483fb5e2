import { describe, expect, it } from 'vitest';
import { CompanyMapError, companyResolver, matchTaxRate, parseCompanyMap, type CompanyInfo } from './company-map';

const company = (name: string, code: string): CompanyInfo => ({
  id: code,
  code,
  name,
  currency: 'EUR',
  currencyExponent: 2,
  defaultTaxRateId: `${code}-20`,
  taxRates: [
    { id: `${code}-20`, code: 'VAT20', name: 'VAT 20%' },
    { id: `${code}-10`, code: 'VAT10', name: 'VAT 10%' },
  ],
});
const companies = [company('Official', 'O'), company('Unofficial', 'U')];

describe('company map', () => {
  it('parses "A=B,C=D" with spaces', () => {
    expect([...parseCompanyMap(' AH Trading Official = Official , AH Trading Unofficial=Unofficial ')]).toEqual([
      ['AH Trading Official', 'Official'],
      ['AH Trading Unofficial', 'Unofficial'],
    ]);
    expect(parseCompanyMap(undefined).size).toBe(0);
  });
  it('refuses malformed entries', () => {
    expect(() => parseCompanyMap('A')).toThrow(CompanyMapError);
    expect(() => parseCompanyMap('A=')).toThrow(/is not "ERPNext company=Till company"/);
    expect(() => parseCompanyMap('A=B,A=C')).toThrow(/twice/);
  });
  it('resolves mapped names, then names as they are (identity), else undefined', () => {
    const r = companyResolver(companies, parseCompanyMap('AH Trading Official=Official'));
    expect(r('AH Trading Official')?.code).toBe('O');
    expect(r('ah trading official')?.code).toBe('O');
    expect(r('Unofficial')?.code).toBe('U');
    expect(r('AH Trading Unofficial')).toBeUndefined();
  });
  it('refuses a map target that is not a company', () => {
    expect(() => companyResolver(companies, parseCompanyMap('X=Nope'))).toThrow(/"Nope" is not a company here/);
  });
  it('matches tax templates by name or code, with or without the company suffix', () => {
    expect(matchTaxRate(companies[0]!, 'VAT 10% - AHO')?.id).toBe('O-10');
    expect(matchTaxRate(companies[0]!, 'vat20')?.id).toBe('O-20');
    expect(matchTaxRate(companies[0]!, 'Zero rated')).toBeUndefined();
  });
});
