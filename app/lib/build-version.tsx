// The Remix build's version (the asset manifest's), which names build files such as the register
// database's worker (infra/build-app.ts). The server has it from entry.server; the browser from the
// manifest Remix loaded, so both render the same.
import { createContext, useContext } from 'react';

const BuildVersionContext = createContext<string | undefined>(undefined);
export const BuildVersionProvider = BuildVersionContext.Provider;

/** In the browser: the version of the manifest Remix loaded ('dev' without one). */
export function loadedBuildVersion(): string {
  return (typeof window === 'undefined' ? undefined : (window as unknown as { __remixManifest?: { version?: string } }).__remixManifest?.version) ?? 'dev';
}

export function useBuildVersion(): string {
  return useContext(BuildVersionContext) ?? loadedBuildVersion();
}
