import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { clearSessionCookie } from '../lib/services.server';

export const action = (_: ActionFunctionArgs) => redirect('/admin/login', { headers: { 'set-cookie': clearSessionCookie() } });
export const loader = () => redirect('/admin');
