// One admin form on the client: conform's useForm with the form's schema (validated in the browser on
// blur and again on the server), fed the action's answer when that answer is for this form.
import { useForm, type DefaultValue, type FormMetadata } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useActionData } from '@remix-run/react';
import type { z } from 'zod';
import type { FormAnswer } from './form-answer';

/** The form's fields as the schema reads them. */
type Fields<S extends z.ZodType> = z.input<S> extends Record<string, unknown> ? z.input<S> : Record<string, unknown>;

export interface AdminFormOptions<S extends z.ZodType> {
  /** What the action does with it (the `intent` field); also the form's id unless `id` is given. */
  intent: string;
  /** Tells apart forms of one intent on a page (one per row). */
  id?: string;
  defaultValue?: DefaultValue<Fields<S>>;
}

export function useAdminForm<S extends z.ZodType>(schema: S, opts: AdminFormOptions<S>) {
  const id = opts.id ?? opts.intent;
  const data = useActionData<FormAnswer>();
  const answer = data && typeof data === 'object' && 'form' in data && data.form === id ? data : undefined;
  const [form, fields] = useForm<Fields<S>, unknown>({
    id,
    lastResult: answer?.result,
    defaultValue: opts.defaultValue,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return { form, fields, intent: opts.intent, message: answer?.message };
}

/** What SchemaForm and FormMessage need of a form. */
export interface AdminFormState {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form's fields
  form: FormMetadata<any, string[]>;
  intent: string;
  message?: string;
}
