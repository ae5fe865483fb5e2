// The shape service's line to read: slots, first come first served, woken long-polls first, a
// bounded wait that ends in a 503-worthy `busy`, and a request that leaves the line when its
// client goes away.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors';
import { createAdmission } from './shape-admission';

describe('shape admission', () => {
  it('admits up to its slots at once, then in arrival order as slots free up', async () => {
    const admission = createAdmission(2);
    const a = await admission.enter(1_000);
    const b = await admission.enter(1_000);
    expect(admission.active).toBe(2);
    const order: string[] = [];
    const c = admission.enter(10_000).then((r) => (order.push('c'), r));
    const d = admission.enter(10_000).then((r) => (order.push('d'), r));
    expect(admission.queued).toBe(2);
    a();
    a(); // a second release gives nothing back
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(admission).toMatchObject({ active: 0, queued: 0 });
  });

  it('lets a woken long-poll go first', async () => {
    const admission = createAdmission(1);
    const held = await admission.enter(1_000);
    const order: string[] = [];
    const later = admission.enter(10_000).then((r) => (order.push('new'), r()));
    const woken = admission.enter(10_000, { first: true }).then((r) => (order.push('woken'), r()));
    held();
    await Promise.all([later, woken]);
    expect(order).toEqual(['woken', 'new']);
  });

  it('answers busy (unavailable, retry-after) when no slot frees up in time, and forgets the request', async () => {
    const admission = createAdmission(1, { retryAfterSeconds: 7 });
    const held = await admission.enter(1_000);
    const t0 = Date.now();
    const e = await admission.enter(50).catch((x: unknown) => x);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ kind: 'unavailable', code: 'busy', retryAfterSeconds: 7, message: 'the edge is busy; retry shortly' });
    expect(admission.queued).toBe(0);
    held();
    expect(admission.active).toBe(0);
  });

  it('leaves the line at once when the request is aborted', async () => {
    const admission = createAdmission(1);
    const held = await admission.enter(1_000);
    const aborter = new AbortController();
    const waiting = admission.enter(10_000, { signal: aborter.signal }).catch((x: unknown) => x);
    expect(admission.queued).toBe(1);
    aborter.abort();
    expect(await waiting).toBeInstanceOf(DomainError);
    expect(admission.queued).toBe(0);
    held();
    // The freed slot was not handed to the request that left.
    expect(admission.active).toBe(0);
    await expect(admission.enter(0, { signal: aborter.signal })).rejects.toBeInstanceOf(DomainError);
  });
});
