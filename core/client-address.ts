// Who is calling, as far as the edge can know. Rate limits (pairing, admin sign-in) key on this
// address, and /metrics is open without a token only to this machine.
//
// Where the address comes from depends on what stands in front of the functions:
// - `front-door` (the store edge): the launcher's front door replaces `x-forwarded-for` with the
//   peer it accepted the connection from — exactly one entry — while serverless-offline only sees
//   the front door's loopback socket. The header is the truth there.
// - `platform` (the cloud): CloudFront appends to whatever `x-forwarded-for` the client sent, so
//   any entry but the platform's own view can be forged; API Gateway's `sourceIp` is used, and no
//   request is ever "from this machine" (there is no machine).

export type Forwarder = 'front-door' | 'platform';

export interface CallerFacts {
  forwarder: Forwarder;
  /** The raw `x-forwarded-for` header, if any. */
  forwardedFor?: string | null;
  /** The socket peer as the runtime reports it (serverless-offline) or API Gateway's `sourceIp`. */
  sourceIp?: string | null;
}

export function callerAddress(facts: CallerFacts): string {
  if (facts.forwarder === 'front-door') {
    const forwarded = facts.forwardedFor?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return facts.sourceIp?.trim() || 'unknown';
}

export function isLoopback(address: string): boolean {
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** A caller on the edge machine itself (a local Prometheus, the doctor). Never true in the cloud. */
export function fromThisMachine(facts: CallerFacts): boolean {
  return facts.forwarder === 'front-door' && isLoopback(callerAddress(facts));
}
