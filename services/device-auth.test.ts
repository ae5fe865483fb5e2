import { describe, expect, it } from 'vitest';
import { seedDemo } from '../seeds/demo';
import { backends, useMigratedDatabase } from '../test/databases';
import { decodeJwt } from 'jose';
import { insertSale } from '../test/fixtures/sales';
import { authenticateDevice, issuePairingCode, pairRegister, renewDeviceToken, revokeDevices, signDeviceToken, tokenNeedsRenewal } from './device-auth';

const tiny = { itemsPerCompany: 5, sharedBarcodes: 2, customers: 3 };

describe.each(backends)('device pairing and tokens on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const registerId = async () => {
    await seedDemo(t.database, tiny);
    return (await t.database.pool.query(`SELECT id FROM registers WHERE code = 'R01'`)).rows[0].id as string;
  };

  it('pairs a register with a code, once, and authenticates its token for both companies', async () => {
    const reg = await registerId();
    const { code } = await issuePairingCode(t.database, reg);
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const paired = await pairRegister(t.database, { pairingCode: code.toLowerCase(), appVersion: '1.0.0' });
    expect(paired.identity.devices.map((d) => d.companyCode)).toEqual(['O', 'U']);
    const who = await authenticateDevice(t.database, `Bearer ${paired.token}`);
    expect(who.registerId).toBe(reg);
    expect(who.companyIds).toHaveLength(2);
    await expect(pairRegister(t.database, { pairingCode: code, appVersion: '1' })).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('refuses missing, forged and expired credentials', async () => {
    const reg = await registerId();
    await expect(authenticateDevice(t.database, undefined)).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(authenticateDevice(t.database, 'Bearer abc.def.ghi')).rejects.toMatchObject({ kind: 'unauthenticated' });
    const { code } = await issuePairingCode(t.database, reg, { ttlMinutes: -1 });
    await expect(pairRegister(t.database, { pairingCode: code, appVersion: '1' })).rejects.toThrow(/expired/);
  });

  it('stops a revoked company device at once, and re-pairing retires the old token', async () => {
    const reg = await registerId();
    const first = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '1' });
    const official = first.identity.devices.find((d) => d.companyCode === 'O')!;
    await revokeDevices(t.database, reg, { companyId: official.companyId });
    const after = await authenticateDevice(t.database, `Bearer ${first.token}`);
    expect(after.devices.map((d) => d.companyCode)).toEqual(['U']);
    await revokeDevices(t.database, reg);
    await expect(authenticateDevice(t.database, `Bearer ${first.token}`)).rejects.toMatchObject({ kind: 'unauthenticated' });

    const second = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '2' });
    expect((await authenticateDevice(t.database, `Bearer ${second.token}`)).devices).toHaveLength(2);
    // A re-paired register is a new device epoch: its receipt series never repeats the old one.
    // (This register was already paired by the tests above, so `first` is itself a later epoch.)
    const third = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '3' });
    const codes = [first, second, third].map((p) => p.identity.devices.map((d) => d.code));
    for (const pair of codes) expect(pair[0]).toBe(pair[1]);
    expect(new Set(codes.map((c) => c[0])).size).toBe(3);
    expect(codes.map((c) => c[0])).toEqual(['R01B', 'R01C', 'R01D']);
    await expect(authenticateDevice(t.database, `Bearer ${first.token}`)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('refuses a pairing code issued before the register was revoked', async () => {
    const reg = await registerId();
    const { code } = await issuePairingCode(t.database, reg);
    await revokeDevices(t.database, reg);
    await expect(pairRegister(t.database, { pairingCode: code, appVersion: '1' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    // A code issued after the revoke pairs the register again.
    const fresh = await issuePairingCode(t.database, reg);
    await expect(pairRegister(t.database, { pairingCode: fresh.code, appVersion: '1' })).resolves.toMatchObject({ identity: { registerId: reg } });
  });

  it('issues tokens that expire, renews them under the same id, and lets only renewal accept a recently expired one', async () => {
    const reg = await registerId();
    const paired = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '1' });
    const claims = decodeJwt(paired.token);
    expect(claims.exp! - claims.iat!).toBe(30 * 86_400);

    const fresh = await authenticateDevice(t.database, `Bearer ${paired.token}`);
    expect(tokenNeedsRenewal(fresh)).toBe(false);
    const old = await signDeviceToken(t.database, reg, paired.identity.tokenId, { issuedAt: new Date(Date.now() - 20 * 86_400_000) });
    expect(tokenNeedsRenewal(await authenticateDevice(t.database, `Bearer ${old.token}`))).toBe(true);

    const expired = await signDeviceToken(t.database, reg, paired.identity.tokenId, { issuedAt: new Date(Date.now() - 40 * 86_400_000) });
    await expect(authenticateDevice(t.database, `Bearer ${expired.token}`)).rejects.toMatchObject({ kind: 'unauthenticated', code: 'token_expired' });
    const renewing = await authenticateDevice(t.database, `Bearer ${expired.token}`, { allowExpired: true });
    const renewed = await renewDeviceToken(t.database, renewing);
    expect(decodeJwt(renewed.token).jti).toBe(paired.identity.tokenId);
    expect((await authenticateDevice(t.database, `Bearer ${renewed.token}`)).registerId).toBe(reg);

    // Beyond the grace period (30 + 90 days), or once revoked, only pairing again helps.
    const ancient = await signDeviceToken(t.database, reg, paired.identity.tokenId, { issuedAt: new Date(Date.now() - 130 * 86_400_000) });
    await expect(authenticateDevice(t.database, `Bearer ${ancient.token}`, { allowExpired: true })).rejects.toMatchObject({
      kind: 'unauthenticated',
      code: undefined,
    });
    await revokeDevices(t.database, reg);
    await expect(authenticateDevice(t.database, `Bearer ${expired.token}`, { allowExpired: true })).rejects.toMatchObject({
      kind: 'unauthenticated',
      code: 'revoked',
    });
  });

  it('keeps a register on one origin while the edge knows of sales queued under it, and audits the refusal', async () => {
    const reg = await registerId();
    const A = 'https://till-edge.test:3000';
    const B = 'https://192.168.1.20:3000';
    await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '1', origin: A });
    await t.database.pool.query(`UPDATE devices SET queue_depth = 3 WHERE register_id = $1`, [reg]);
    const code = (await issuePairingCode(t.database, reg)).code;
    await expect(pairRegister(t.database, { pairingCode: code, appVersion: '1', origin: B })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/unsynced sale\(s\) queued at https:\/\/till-edge\.test:3000/),
    });
    const audit = await t.database.pool.query(`SELECT after FROM audit_log WHERE action = 'register.pair_refused' AND entity_id = $1`, [reg]);
    expect(audit.rows.at(-1)!.after).toMatchObject({ origin: B, queuedAt: A });
    // The same origin may re-pair (a wiped browser at the same address); so may another once the queue is empty.
    const same = await pairRegister(t.database, { pairingCode: code, appVersion: '1', origin: A });
    expect(same.identity.registerId).toBe(reg);
    await t.database.pool.query(`UPDATE devices SET queue_depth = 2 WHERE register_id = $1`, [reg]);
    await revokeDevices(t.database, reg);
    // Revoking is the admin's explicit "those queued sales are gone": the register may move.
    const moved = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '1', origin: B });
    expect(moved.identity.registerId).toBe(reg);
    const origins = await t.database.pool.query(`SELECT DISTINCT paired_origin FROM devices WHERE register_id = $1`, [reg]);
    expect(origins.rows).toEqual([{ paired_origin: B }]);
  });

  it('re-pairing hands back the counters of the new series, never the last number of an earlier one', async () => {
    const reg = await registerId();
    const first = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '1' });
    const device = first.identity.devices[0]!;
    await insertSale(t.database, { companyCode: device.companyCode, registerCode: 'R01', receiptNumber: `${device.companyCode}-${device.code}-006000` });
    const again = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: '1' });
    const moved = again.identity.devices.find((d) => d.id === device.id)!;
    expect(moved.code).not.toBe(device.code);
    expect(again.lastReceiptNumbers[device.id]).toBeNull();
  });
});
