// The one form every admin mutation uses: it carries the session's CSRF token, which requireAdmin checks.
import { forwardRef } from 'react';
import { Form, useFormAction, useRouteLoaderData, type FormProps } from '@remix-run/react';

const CSRF_FIELD = '_csrf'; // same name as in app/lib/admin-session.server.ts

/** The signed-in admin's CSRF token (from the /admin layout loader); for fetcher.submit or headers. */
export function useCsrfToken(): string {
  return useRouteLoaderData<{ csrf: string | null }>('routes/admin')?.csrf ?? '';
}

export const AdminForm = forwardRef<HTMLFormElement, FormProps>(function AdminForm({ children, action, ...props }, ref) {
  const csrf = useCsrfToken();
  const resolved = useFormAction(action);
  // Uploads are not parsed twice on the server, so their token travels in the action URL instead.
  const target = props.encType === 'multipart/form-data' ? `${resolved}${resolved.includes('?') ? '&' : '?'}${CSRF_FIELD}=${encodeURIComponent(csrf)}` : action;
  return (
    <Form ref={ref} action={target} {...props}>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {children}
    </Form>
  );
});
