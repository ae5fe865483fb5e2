import { describe, expect, it } from 'vitest';
import { chooseEncoding } from './shape-compress';

describe('chooseEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate', 'gzip'],
    ['gzip, deflate, br', 'gzip'],
    ['br', 'br'],
    ['br;q=1, gzip;q=0.5', 'br'],
    ['gzip;q=0, br;q=0.2', 'br'],
    ['gzip;q=0', undefined],
    ['*', 'gzip'],
    ['*;q=0.5, gzip;q=0', 'br'],
    [['gzip', 'br'], 'gzip'],
  ])('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});
