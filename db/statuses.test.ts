import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES } from '../core/rounding';
import { cartSettingsSchema } from '../core/events';
import { COMPANY_ROUNDING_MODES, TAX_ROUNDINGS } from './statuses';

describe('status vocabularies', () => {
  it("constrains companies' rounding to exactly what core rounds with", () => {
    expect([...COMPANY_ROUNDING_MODES].sort()).toEqual([...ROUNDING_MODES].sort());
    expect([...COMPANY_ROUNDING_MODES].sort()).toEqual([...cartSettingsSchema.shape.rounding.options].sort());
    for (const taxRounding of TAX_ROUNDINGS) expect(cartSettingsSchema.shape.taxRounding.safeParse(taxRounding).success).toBe(true);
    expect(cartSettingsSchema.shape.taxRounding.options.length).toBe(TAX_ROUNDINGS.length);
  });
});
