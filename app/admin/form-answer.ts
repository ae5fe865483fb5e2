// What an admin form action answers, read by useAdminForm: which form on the page it is for, conform's
// submission result (field and form errors), and the success message.
import type { SubmissionResult } from '@conform-to/react';

/** The hidden field naming the form an answer belongs to (a page can hold one form per row). */
export const FORM_ID_FIELD = '_form';

/** Marks a form of fixed values (a row's button): its errors show above it, as it has no visible field. */
export const FIXED_FIELD = '_fixed';

export interface FormAnswer {
  form: string;
  result: SubmissionResult<string[]>;
  message?: string;
}
