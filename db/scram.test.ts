import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ScramProtocolError, scramVerifier, startScram, unmatchableVerifier } from './scram';

// The `pg` client's own SCRAM implementation, to prove the server side interoperates with it.
const sasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[], stream?: unknown): { response: string; message: string };
  continueSession(session: object, password: string, serverData: string, stream?: unknown): Promise<void>;
  finalizeSession(session: object, serverData: string): void;
};

async function pgClientExchange(password: string, serverPassword: string) {
  const verifier = scramVerifier(serverPassword);
  const session = sasl.startSession(['SCRAM-SHA-256']);
  const exchange = startScram(verifier, session.response);
  await sasl.continueSession(session, password, exchange.serverFirst);
  const serverFinal = exchange.finish(session.response);
  if (serverFinal) sasl.finalizeSession(session, serverFinal); // throws if the server signature is wrong
  return serverFinal;
}

describe('SCRAM-SHA-256 server', () => {
  it('reproduces the RFC 7677 example exchange', () => {
    const verifier = scramVerifier('pencil', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), iterations: 4096 });
    const exchange = startScram(verifier, 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO', { serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0' });
    expect(exchange.serverFirst).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(exchange.finish('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')).toBe(
      'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });

  it('rejects a proof made with another password (RFC 7677 transcript, server knows a different password)', () => {
    const verifier = scramVerifier('pencils', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64') });
    const exchange = startScram(verifier, 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO', { serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0' });
    expect(exchange.finish('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')).toBeNull();
  });

  it('interoperates with the pg client: right password accepted and server verified, wrong one refused', async () => {
    expect(await pgClientExchange('Correct-Horse-1', 'Correct-Horse-1')).toMatch(/^v=/);
    expect(await pgClientExchange('Correct-Horse-2', 'Correct-Horse-1')).toBeNull();
  });

  it('refuses every password for an unmatchable verifier', async () => {
    const session = sasl.startSession(['SCRAM-SHA-256']);
    const exchange = startScram(unmatchableVerifier(), session.response);
    await sasl.continueSession(session, 'anything', exchange.serverFirst);
    expect(exchange.finish(session.response)).toBeNull();
  });

  it('issues a fresh server nonce per exchange, extending the client nonce', () => {
    const verifier = scramVerifier('pencil-pencil');
    const a = startScram(verifier, 'n,,n=*,r=abc').serverFirst;
    const b = startScram(verifier, 'n,,n=*,r=abc').serverFirst;
    expect(a).toMatch(/^r=abc.{10,},s=/);
    expect(a).not.toBe(b);
  });

  it('rejects malformed or replayed messages as protocol errors', () => {
    const verifier = scramVerifier('pencil-pencil');
    const bad = (first: string) => () => startScram(verifier, first);
    expect(bad('p=tls-server-end-point,,n=*,r=abc')).toThrow(/channel binding/);
    expect(bad('n,a=admin,n=*,r=abc')).toThrow(ScramProtocolError);
    expect(bad('n,,r=abc')).toThrow(ScramProtocolError);
    expect(bad('n,,n=*,r=a,b')).toThrow(ScramProtocolError);
    expect(bad('n,,n=*')).toThrow(ScramProtocolError);
    expect(bad('')).toThrow(ScramProtocolError);

    const first = startScram(verifier, 'n,,n=*,r=abc', { serverNonce: 'xyz' });
    const proof = Buffer.alloc(32).toString('base64');
    expect(() => first.finish(`c=biws,r=abcxyz`)).toThrow(/missing proof/);
    const second = startScram(verifier, 'n,,n=*,r=abc', { serverNonce: 'xyz' });
    expect(() => second.finish(`c=biws,r=abcOTHER,p=${proof}`)).toThrow(/nonce/);
    const third = startScram(verifier, 'n,,n=*,r=abc', { serverNonce: 'xyz' });
    expect(() => third.finish(`c=eSws,r=abcxyz,p=${proof}`)).toThrow(/channel binding/);
    const fourth = startScram(verifier, 'n,,n=*,r=abc', { serverNonce: 'xyz' });
    expect(() => fourth.finish(`c=biws,r=abcxyz,p=AAAA`)).toThrow(/proof length/);
    const fifth = startScram(verifier, 'n,,n=*,r=abc', { serverNonce: 'xyz' });
    expect(fifth.finish(`c=biws,r=abcxyz,p=${proof}`)).toBeNull();
    expect(() => fifth.finish(`c=biws,r=abcxyz,p=${proof}`)).toThrow(/already finished/);
  });

  it('accepts only passwords SASLprep leaves unchanged', () => {
    expect(() => scramVerifier('')).toThrow();
    expect(() => scramVerifier('with space')).toThrow();
    expect(() => scramVerifier('päss')).toThrow();
  });
});
