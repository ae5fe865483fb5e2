// One Customer document (with its Credit Limit rows) → a validated customer shared by every company.
import type { CompanyInfo, CompanyResolver } from './company-map';
import { parseAmount, type NumberFormat } from './money';
import { parseCheck, type RecordShape, type RowIssue, type SourceRecord } from './records';

export interface CustomerCandidate {
  file: string;
  line: number;
  code: string;
  name: string;
  customerType: string;
  customerGroup: string;
  territory: string;
  taxId: string;
  /** null: no such column in the file (the stored value is kept). */
  email: string | null;
  phone: string | null;
  disabled: boolean;
  /** Credit limits the export gives, by company id (minor units). */
  creditLimits: Map<string, number>;
}

export interface CustomerContext {
  resolveCompany: CompanyResolver;
  numberFormat: NumberFormat;
}

export type CustomerValidation = { ok: true; candidate: CustomerCandidate; notices: RowIssue[] } | { ok: false; code: string; issues: RowIssue[] };

const CUSTOMER_TYPES = new Map([
  ['company', 'Company'],
  ['individual', 'Individual'],
  ['partnership', 'Partnership'],
]);

export function validateCustomer(record: SourceRecord, shape: RecordShape, ctx: CustomerContext): CustomerValidation {
  const { file } = record;
  const issues: RowIssue[] = [];
  const notices: RowIssue[] = [];
  const issue = (line: number, key: string, reason: string) => issues.push({ file, line, column: shape.label(key), reason });
  const v = (k: string) => record.values.get(k) ?? '';

  const code = v('name');
  if (!code) issue(record.line, 'name', 'missing ID (the ERPNext customer ID is the key)');
  const name = v('customer_name') || code;
  if (!name) issue(record.line, 'customer_name', 'missing Customer Name');
  let customerType = 'Individual';
  if (v('customer_type')) {
    const t = CUSTOMER_TYPES.get(v('customer_type').toLowerCase());
    if (!t) issue(record.line, 'customer_type', `unknown Customer Type "${v('customer_type')}"`);
    else customerType = t;
  }
  const disabled = parseCheck(v('disabled'), false);
  if (disabled === null) issue(record.line, 'disabled', `"${v('disabled')}" is not 0 or 1`);

  const limits: { company: string; amount: string; line: number; companyKey: string; amountKey: string }[] = [];
  for (const c of record.children.get('credit_limits') ?? [])
    limits.push({
      company: c.values.get('company') ?? '',
      amount: c.values.get('credit_limit') ?? '',
      line: c.line,
      companyKey: 'credit_limits.company',
      amountKey: 'credit_limits.credit_limit',
    });
  if (v('credit_limit') || (v('company') && shape.has('credit_limit')))
    limits.push({ company: v('company'), amount: v('credit_limit'), line: record.line, companyKey: 'company', amountKey: 'credit_limit' });

  const creditLimits = new Map<string, number>();
  for (const l of limits) {
    if (!l.company) {
      issue(l.line, l.companyKey, 'missing Company for a credit limit');
      continue;
    }
    const company: CompanyInfo | undefined = ctx.resolveCompany(l.company);
    if (!company) {
      issue(l.line, l.companyKey, `unknown company "${l.company}" (not in the company map nor a company name)`);
      continue;
    }
    if (creditLimits.has(company.id)) {
      issue(l.line, l.companyKey, `second credit limit for ${company.name}`);
      continue;
    }
    const r = parseAmount(l.amount || '0', company.currencyExponent, ctx.numberFormat);
    if (!r.ok) issue(l.line, l.amountKey, r.reason);
    else {
      creditLimits.set(company.id, r.amount);
      if (r.rounded)
        notices.push({
          file,
          line: l.line,
          column: shape.label(l.amountKey),
          reason: `credit limit "${l.amount}" has more decimals than ${company.currency}; rounded HalfUp`,
        });
    }
  }
  if (issues.length) return { ok: false, code, issues };
  return {
    ok: true,
    notices,
    candidate: {
      file,
      line: record.line,
      code,
      name,
      customerType,
      customerGroup: v('customer_group'),
      territory: v('territory'),
      taxId: v('tax_id'),
      email: shape.has('email_id') ? v('email_id') : null,
      phone: shape.has('mobile_no') ? v('mobile_no') : null,
      disabled: disabled ?? false,
      creditLimits,
    },
  };
}
