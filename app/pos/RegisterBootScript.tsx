import { useBuildVersion } from '../lib/build-version';
import { useNonce } from '../lib/nonce';
import { registerBootScript } from './register-boot';

/**
 * Starts opening the register (app/pos/register-boot.ts) as the HTML is parsed. The root renders it
 * first in the head of a route whose `handle` says `bootsRegister`: an inline script after a stylesheet
 * waits for that stylesheet. It runs once, from the served HTML: React neither runs it again nor
 * changes it (same text on both sides; the browser hides the nonce, which `useNonce` mirrors).
 */
export function RegisterBootScript() {
  const nonce = useNonce();
  const version = useBuildVersion();
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: registerBootScript(version) }} />;
}

/** A route handle that asks the root for the script. */
export interface BootsRegister {
  bootsRegister: true;
}

export const bootsRegister = (handle: unknown): boolean => (handle as Partial<BootsRegister> | undefined)?.bootsRegister === true;
