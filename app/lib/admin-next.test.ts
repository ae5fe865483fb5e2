import { describe, expect, it } from 'vitest';
import { safeAdminNext } from './admin-next';

describe('where sign-in sends the admin next', () => {
  it.each([
    ['/admin', '/admin'],
    ['/admin/registers', '/admin/registers'],
    ['/admin/sales?flagged=on&page=2', '/admin/sales?flagged=on&page=2'],
    ['/admin/items/0000-1', '/admin/items/0000-1'],
  ])('keeps %s', (next, expected) => expect(safeAdminNext(next)).toBe(expected));

  it.each([
    '/admin/../\\evil.example',
    '/admin/..\\evil.example',
    '//evil.example/admin',
    '/\\evil.example',
    '/admin\\..\\..\\evil.example',
    '/admin/..//evil.example',
    '/admin/%2e%2e/%2e%2e//evil.example',
    '/admin/%2E%2E/pos',
    '/admin/..',
    '/admin/./../pos',
    '/admin//evil.example',
    '/admin/%5c%5cevil.example',
    '/admin/%2f%2fevil.example',
    'https://evil.example/admin',
    'javascript:alert(1)',
    '/adminx',
    '/pos',
    'admin',
    '/admin/\tfoo',
    '/admin/%00',
    '/admin/%zz',
    '',
    undefined,
    42,
  ])('refuses %s', (next) => expect(safeAdminNext(next)).toBe('/admin'));
});
