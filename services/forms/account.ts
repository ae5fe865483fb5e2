// The admin's own forms: signing in (or creating the first admin with the setup code) and changing
// the password. The route keeps the session handling; `next` is checked there (safeAdminNext).
import * as z from 'zod';

export const loginForm = z.object({
  email: z.string({ error: 'enter an email address' }).trim().email('enter an email address'),
  password: z.string({ error: 'enter the password' }).min(1, 'enter the password'),
  /** "1" on the first-admin screen. */
  setup: z.literal('1').optional(),
  setupCode: z.string().trim().max(40, 'at most 40 characters').optional(),
});

export const passwordForm = z
  .object({
    currentPassword: z.string({ error: 'enter the current password' }).min(1, 'enter the current password'),
    newPassword: z.string({ error: 'enter a new password' }).min(1, 'enter a new password'),
    confirmPassword: z.string().optional(),
  })
  .refine((p) => (p.confirmPassword ?? '') === p.newPassword, { path: ['confirmPassword'], message: 'the two new passwords differ' });
