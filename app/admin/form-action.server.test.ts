// The admin form action: schema errors and service DomainErrors come back on the field they name.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomainError } from '../../core/errors';
import { amountText, percentText, requiredText } from '../../services/forms/fields';
import { answerForm, form, FormRefusal } from './form-action.server';
import type { FormAnswer } from './form-answer';

const schema = z.object({ name: requiredText(40, 'a name'), price: amountText('a price'), rate: percentText('a rate', { optional: true }) });

const post = (fields: Record<string, string>) => new Request('http://edge.test/admin/x', { method: 'POST', body: new URLSearchParams(fields) });

async function read(r: Response): Promise<{ status: number; body: FormAnswer }> {
  return { status: r.status, body: (await r.json()) as FormAnswer };
}

describe('answerForm', () => {
  it('answers a field the schema refuses on that field, without running the save', async () => {
    let saved = 0;
    const r = await read(await answerForm(post({ name: '', price: '1,50', rate: '101' }), { create: form(schema, async () => (saved++, 'Saved.')) }));
    expect(r.status).toBe(400);
    expect(r.body.form).toBe('create');
    expect(r.body.result.error).toEqual({
      name: ['enter a name'],
      price: [expect.stringContaining('could be a decimal or a thousands separator')],
      rate: ['must be at most 100 %'],
    });
    expect(saved).toBe(0);
  });

  it('puts a DomainError naming a field of the form on that field, without the field prefix', async () => {
    const save = async () => {
      throw new DomainError('conflict', 'name', 'name: another item is called "Tea"');
    };
    const r = await read(await answerForm(post({ intent: 'create', name: 'Tea', price: '2.50' }), { create: form(schema, save) }));
    expect(r.status).toBe(409);
    expect(r.body.result.error).toEqual({ name: ['another item is called "Tea"'] });
  });

  it('puts a DomainError naming no field of the form above the form', async () => {
    const save = async () => {
      throw new DomainError('not_found', null, 'no such item');
    };
    const r = await read(await answerForm(post({ name: 'Tea', price: '2.50' }), { edit: form(schema, save) }));
    expect(r.status).toBe(404);
    expect(r.body.result.error).toEqual({ '': ['no such item'] });
  });

  it('runs the form the intent names, with the raw input and the extra ids, and answers its message for the form id', async () => {
    const seen: Record<string, unknown>[] = [];
    const forms = {
      create: form(schema, async () => 'created'),
      rename: form(z.object({ name: requiredText(40, 'a name') }), async (input) => (seen.push(input), { message: 'Renamed.', reset: true })),
    };
    const r = await read(await answerForm(post({ intent: 'rename', _form: 'rename-7', name: ' Tea ' }), forms, { id: '7' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ form: 'rename-7', message: 'Renamed.' });
    expect(seen).toEqual([{ intent: 'rename', _form: 'rename-7', name: ' Tea ', id: '7' }]);
  });

  it('refuses an intent no form has', async () => {
    const r = await read(await answerForm(post({ intent: 'drop' }), { create: form(schema, async () => 'x') }));
    expect(r.status).toBe(400);
    expect(r.body.result.error).toEqual({ '': ['intent: unknown action'] });
  });

  it('answers a FormRefusal above the form with its status', async () => {
    const save = async () => {
      throw new FormRefusal(422, 'Retry failed: the item is still missing');
    };
    const r = await read(await answerForm(post({ name: 'Tea', price: '2.50' }), { retry: form(schema, save) }));
    expect(r.status).toBe(422);
    expect(r.body.result.error).toEqual({ '': ['Retry failed: the item is still missing'] });
  });

  it('takes form data already read (an upload) instead of the request', async () => {
    const data = new FormData();
    data.append('name', 'Tea');
    data.append('price', '2,50');
    const r = await read(await answerForm(data, { create: form(schema, async () => 'x') }));
    expect(r.status).toBe(400);
    expect(r.body.result.error).toEqual({ price: [expect.stringContaining('thousands separator')] });
  });

  it('passes on errors that are not refusals', async () => {
    await expect(
      answerForm(post({ name: 'Tea', price: '1' }), { create: form(schema, async () => Promise.reject(new Error('database down'))) }),
    ).rejects.toThrow('database down');
  });
});

describe('a row button (fixed values)', () => {
  it('answers its DomainError above the form, as it shows no field', async () => {
    const save = async () => {
      throw new DomainError('invalid', 'taxRateId', 'taxRateId: an inactive rate cannot be the default');
    };
    const fixed = z.object({ taxRateId: z.string() });
    const r = await read(await answerForm(post({ intent: 'default', _form: 'rates', _fixed: '1', taxRateId: 'x' }), { default: form(fixed, save) }));
    expect(r.body.form).toBe('rates');
    expect(r.body.result.error).toEqual({ '': ['taxRateId: an inactive rate cannot be the default'] });
  });

  it('reads a field the schema lists as a list even when it is sent once', async () => {
    const seen: unknown[] = [];
    const schema = z.object({ companyIds: z.array(z.string()).min(1) });
    await answerForm(post({ companyIds: 'a' }), { create: form(schema, async (input) => (seen.push(input.companyIds), 'ok')) });
    expect(seen).toEqual([['a']]);
  });
});
