// The per-response CSP nonce, handed from entry.server to <Scripts>/<ScrollRestoration> in root.
// In the browser it is empty: browsers hide nonce attributes and scripts added after load need none.
import { createContext, useContext } from 'react';

const NonceContext = createContext('');
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
