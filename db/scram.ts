// Server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it, for db/pglite-server.ts.
// No channel binding (the socket is plain TCP), so only the plain mechanism is offered.
// Passwords are printable ASCII, for which SASLprep is the identity (clients apply it anyway).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
/** PostgreSQL's default (scram_iterations). */
export const SCRAM_ITERATIONS = 4096;

/** What the server keeps instead of the password. */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** A message that does not follow the SCRAM grammar (SQLSTATE 08P01 in PostgreSQL). */
export class ScramProtocolError extends Error {}

const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** Printable ASCII, no spaces: SASLprep leaves it unchanged, so every client derives the same key. */
export function isPlainPassword(password: string): boolean {
  return /^[\x21-\x7e]+$/.test(password);
}

export function scramVerifier(password: string, opts: { salt?: Buffer; iterations?: number } = {}): ScramVerifier {
  if (!isPlainPassword(password)) throw new Error('database password must be printable ASCII without spaces');
  const salt = opts.salt ?? randomBytes(16);
  const iterations = opts.iterations ?? SCRAM_ITERATIONS;
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return { salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

/** A verifier no password matches: unknown users go through the same exchange and fail at the proof. */
export function unmatchableVerifier(): ScramVerifier {
  return { salt: randomBytes(16), iterations: SCRAM_ITERATIONS, storedKey: randomBytes(32), serverKey: randomBytes(32) };
}

/** `k=v` attributes of a SCRAM message, in order. Values may contain '=' (base64). */
function attributes(message: string): [string, string][] {
  return message.split(',').map((part) => {
    if (!/^[A-Za-z]=/.test(part)) throw new ScramProtocolError(`malformed SCRAM message: ${JSON.stringify(part.slice(0, 40))}`);
    return [part[0]!, part.slice(2)];
  });
}

// RFC 5802 §7: printable = %x21-2B / %x2D-7E (no comma).
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;

export interface ScramExchange {
  /** The server-first-message to send in AuthenticationSASLContinue. */
  serverFirst: string;
  /**
   * Checks the client-final-message. Returns the server-final-message to send in AuthenticationSASLFinal,
   * or null when the proof is wrong. Throws ScramProtocolError on a malformed message.
   */
  finish(clientFinal: string): string | null;
}

/** Starts an exchange from the client-first-message (the SASLInitialResponse data). */
export function startScram(verifier: ScramVerifier, clientFirst: string, opts: { serverNonce?: string } = {}): ScramExchange {
  // gs2-header: "n" (client cannot bind) or "y" (client could, but we offer no -PLUS), no authzid.
  const m = /^([ny]),,(.*)$/s.exec(clientFirst);
  if (!m) {
    if (clientFirst.startsWith('p=')) throw new ScramProtocolError('channel binding is not supported');
    throw new ScramProtocolError('malformed SCRAM message: bad GS2 header');
  }
  const gs2Header = `${m[1]},,`;
  const clientFirstBare = m[2]!;
  const attrs = attributes(clientFirstBare);
  // The user name is that of the startup message (PostgreSQL ignores the one here, libpq sends none).
  if (attrs[0]?.[0] !== 'n') throw new ScramProtocolError('malformed SCRAM message: expected user name');
  if (attrs[1]?.[0] !== 'r' || !NONCE.test(attrs[1][1])) throw new ScramProtocolError('malformed SCRAM message: bad client nonce');
  const nonce = attrs[1][1] + (opts.serverNonce ?? randomBytes(18).toString('base64'));
  const serverFirst = `r=${nonce},s=${verifier.salt.toString('base64')},i=${verifier.iterations}`;
  let finished = false;

  return {
    serverFirst,
    finish(clientFinal) {
      if (finished) throw new ScramProtocolError('SCRAM exchange already finished');
      finished = true;
      const proofAt = clientFinal.lastIndexOf(',p=');
      if (proofAt < 0) throw new ScramProtocolError('malformed SCRAM message: missing proof');
      const withoutProof = clientFinal.slice(0, proofAt);
      const fin = attributes(withoutProof);
      if (fin[0]?.[0] !== 'c' || fin[0][1] !== Buffer.from(gs2Header).toString('base64')) {
        throw new ScramProtocolError('malformed SCRAM message: unexpected channel binding');
      }
      if (fin[1]?.[0] !== 'r' || fin[1][1] !== nonce) throw new ScramProtocolError('malformed SCRAM message: nonce mismatch');
      const proofText = clientFinal.slice(proofAt + 3);
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(proofText)) throw new ScramProtocolError('malformed SCRAM message: bad proof');
      const proof = Buffer.from(proofText, 'base64');
      if (proof.length !== 32) throw new ScramProtocolError('malformed SCRAM message: bad proof length');

      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
      const clientSignature = hmac(verifier.storedKey, authMessage);
      const clientKey = Buffer.alloc(32);
      for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
      if (!timingSafeEqual(sha256(clientKey), verifier.storedKey)) return null;
      return `v=${hmac(verifier.serverKey, authMessage).toString('base64')}`;
    },
  };
}
