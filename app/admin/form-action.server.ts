// The one action body every admin form uses (ADR 502): pick the form by its `intent`, parse the
// submission with the form's schema (its errors go back on their fields), run the service with the
// raw input, and put a DomainError on the field it names (or above the form when it names none).
import { json, type TypedResponse } from '@remix-run/node';
import { parseWithZod } from '@conform-to/zod/v4';
import { ZodArray, ZodObject, type z } from 'zod';
import { DomainError } from '../../core/errors';
import { actionStatus } from '../lib/admin-action.server';
import { FIXED_FIELD, FORM_ID_FIELD, type FormAnswer } from './form-answer';

/** What a save may answer: a message shown beside the form, or a Response (a redirect). */
export type Saved = string | { message: string; reset?: boolean } | Response;

export interface FormSpec {
  schema: z.ZodType;
  /**
   * `input`: the submitted fields (plus `extra`), for the service, which parses them itself; a field
   * sent more than once (checkboxes of one name) is a list.
   */
  save: (input: Record<string, unknown>) => Promise<Saved>;
}

/**
 * A refusal that is not a service's DomainError (an outbox retry the edge refused again): its message
 * goes above the form with its status.
 */
export class FormRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One form's schema and save, typed together. */
export const form = (schema: z.ZodType, save: FormSpec['save']): FormSpec => ({ schema, save });

/**
 * Answers the submission of one of `forms` (keyed by intent; a route with one form needs no intent
 * field). `extra` joins the input: ids from the URL, which the form does not carry. An upload passes
 * the form data it has already read (its files streamed to disk) instead of the request.
 */
export async function answerForm(request: Request | FormData, forms: Record<string, FormSpec>, extra: Record<string, unknown> = {}): Promise<Response> {
  const formData = 'formData' in request ? await request.formData() : request;
  const intent = formData.get('intent');
  const keys = Object.keys(forms);
  // An intent no form has is refused; no intent at all means the route's only form.
  const key = typeof intent === 'string' ? (intent in forms ? intent : null) : keys.length === 1 ? keys[0]! : null;
  const named = formData.get(FORM_ID_FIELD);
  const formId = typeof named === 'string' ? named : (key ?? '');
  if (!key) return answer(formId, { status: 'error', initialValue: null, error: { '': ['intent: unknown action'] } }, 400);
  const spec = forms[key]!;
  const submission = parseWithZod(formData, { schema: spec.schema });
  if (submission.status !== 'success') return answer(formId, submission.reply(), 400);
  try {
    const saved = await spec.save({ ...fieldsOf(formData, spec.schema), ...extra });
    if (saved instanceof Response) return saved;
    const { message, reset } = typeof saved === 'string' ? { message: saved, reset: false } : saved;
    return answer(formId, submission.reply({ resetForm: reset }), 200, message);
  } catch (e) {
    if (e instanceof FormRefusal) return answer(formId, submission.reply({ formErrors: [e.message] }), e.status);
    if (!(e instanceof DomainError)) throw e;
    return answer(formId, submission.reply(errorReply(e, formData)), actionStatus(e).status, undefined, actionStatus(e).headers);
  }
}

/** The submitted fields; a field the schema reads as a list is one even when sent once or not at all. */
function fieldsOf(formData: FormData, schema: z.ZodType): Record<string, unknown> {
  const shape = schema instanceof ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  const input: Record<string, unknown> = Object.fromEntries(formData);
  for (const [name, field] of Object.entries(shape)) if (field instanceof ZodArray) input[name] = formData.getAll(name);
  return input;
}

/** A DomainError as conform reply options: on its field when the form shows that field, else above the form. */
export function errorReply(e: DomainError, formData: FormData): { fieldErrors?: Record<string, string[]>; formErrors?: string[] } {
  if (e.field && formData.has(e.field) && !formData.has(FIXED_FIELD)) {
    const prefix = `${e.field}: `;
    return { fieldErrors: { [e.field]: [e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message] } };
  }
  return { formErrors: [e.message] };
}

function answer(form: string, result: FormAnswer['result'], status: number, message?: string, headers: Record<string, string> = {}): TypedResponse<FormAnswer> {
  return json<FormAnswer>(message === undefined ? { form, result } : { form, result, message }, { status, headers });
}
