// The fields every admin form is made of: a label, the control with conform's name, id and
// aria-invalid/aria-describedby, and the field's error under it.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { getCollectionProps, getFormProps, getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react';
import type { FormProps } from '@remix-run/react';
import { AdminForm } from '../components/AdminForm';
import { FIXED_FIELD, FORM_ID_FIELD } from './form-answer';
import type { AdminFormState } from './use-admin-form';

type Meta = FieldMetadata<unknown, Record<string, unknown>, string[]>;
type InputRest = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'defaultValue' | 'type'>;

/**
 * The form itself: CSRF token (AdminForm), intent and form id, conform's submit handling.
 * `intentOnButtons`: its submit buttons carry the intent (`name="intent"`), one form with several actions.
 */
export function SchemaForm({
  of,
  intentOnButtons,
  children,
  ...props
}: { of: AdminFormState; intentOnButtons?: boolean; children: ReactNode } & Omit<FormProps, 'id' | 'onSubmit' | 'noValidate'>) {
  return (
    <AdminForm method="post" {...getFormProps(of.form)} {...props}>
      {intentOnButtons ? null : <input type="hidden" name="intent" value={of.intent} />}
      <input type="hidden" name={FORM_ID_FIELD} value={of.form.id} />
      {children}
    </AdminForm>
  );
}

/** The answer that belongs to no one field: the success message, or errors naming no field of the form. */
export function FormMessage({ of }: { of: AdminFormState }) {
  if (of.form.errors?.length)
    return (
      <p role="alert" className="error" id={of.form.errorId}>
        {of.form.errors.join(' ')}
      </p>
    );
  return of.message ? (
    <p role="status" className="badge ok">
      {of.message}
    </p>
  ) : null;
}

/**
 * A button that submits fixed values (a row's "Make default", "Remove"); its answer shows in the
 * FormMessage of the `useAdminForm` whose id is `answerTo`.
 */
export function RowAction({
  intent,
  answerTo,
  values,
  children,
  ...props
}: { intent: string; answerTo: string; values: Record<string, string>; children: ReactNode } & Omit<FormProps, 'children'>) {
  return (
    <AdminForm method="post" {...props}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={FORM_ID_FIELD} value={answerTo} />
      <input type="hidden" name={FIXED_FIELD} value="1" />
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </AdminForm>
  );
}

export function FieldError({ meta }: { meta: Meta }) {
  return meta.errors?.length ? (
    <small id={meta.errorId} className="error field-error">
      {meta.errors.join(' ')}
    </small>
  ) : null;
}

function Field({ meta, label, children }: { meta: Meta; label: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {children}
      <FieldError meta={meta} />
    </div>
  );
}

export function TextField({ meta, label, type = 'text', ...rest }: { meta: Meta; label: ReactNode; type?: 'text' | 'password' | 'email' | 'tel' } & InputRest) {
  const { key, ...input } = getInputProps(meta, { type });
  return (
    <Field meta={meta} label={label}>
      <input key={key} {...input} {...rest} />
    </Field>
  );
}

/** Money or a percentage, typed as text: the schema and service read it with core's decimal parser. */
export function AmountField({ meta, label, ...rest }: { meta: Meta; label: ReactNode } & InputRest) {
  const { key, ...input } = getInputProps(meta, { type: 'text' });
  return (
    <Field meta={meta} label={label}>
      <input key={key} inputMode="decimal" autoComplete="off" size={10} {...input} {...rest} />
    </Field>
  );
}

export function SelectField({
  meta,
  label,
  options,
  ...rest
}: { meta: Meta; label: ReactNode; options: { value: string; label: string; disabled?: boolean }[] } & Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'name' | 'id' | 'defaultValue'
>) {
  const { key, ...select } = getSelectProps(meta);
  return (
    <Field meta={meta} label={label}>
      <select key={key} {...select} {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function TextareaField({
  meta,
  label,
  ...rest
}: { meta: Meta; label: ReactNode } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id' | 'defaultValue'>) {
  const { key, ...textarea } = getTextareaProps(meta);
  return (
    <Field meta={meta} label={label}>
      <textarea key={key} {...textarea} {...rest} />
    </Field>
  );
}

/** A checkbox with its label after it; unchecked submits nothing, which the schema reads as false. */
export function CheckboxField({ meta, label, ...rest }: { meta: Meta; label: ReactNode } & InputRest) {
  const { key, ...input } = getInputProps(meta, { type: 'checkbox' });
  return (
    <div className="field">
      <label>
        <input key={key} {...input} {...rest} /> {label}
      </label>
      <FieldError meta={meta} />
    </div>
  );
}

/** Several checkboxes of one name (a list in the schema), one per option. */
export function CheckboxGroupField({ meta, label, options }: { meta: Meta; label: ReactNode; options: { value: string; label: string }[] }) {
  const byValue = new Map(options.map((o) => [o.value, o.label]));
  return (
    <fieldset className="field" aria-invalid={meta.errors?.length ? true : undefined} aria-describedby={meta.errors?.length ? meta.errorId : undefined}>
      <legend>{label}</legend>
      <div>
        {getCollectionProps(meta, { type: 'checkbox', options: options.map((o) => o.value) }).map(({ key, ...box }) => (
          <label key={key} style={{ marginRight: 8 }}>
            <input {...box} /> {byValue.get(box.value)}
          </label>
        ))}
      </div>
      <FieldError meta={meta} />
    </fieldset>
  );
}
