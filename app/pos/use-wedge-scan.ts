import { useEffect, useRef } from 'react';
import { createWedgeScanner } from './wedge-scanner';

/** Catches a scanner's keystroke burst + Enter anywhere on the page. */
export function useWedgeScan(onScan: (code: string) => void, enabled = true) {
  const handler = useRef(onScan);
  handler.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    const scanner = createWedgeScanner({ onScan: (code) => handler.current(code) });
    const onKey = (e: KeyboardEvent) => {
      if (scanner.key({ key: e.key, timeStamp: e.timeStamp })) {
        // A burst typed into a form field belongs to the scan, not to the field.
        if (e.target instanceof HTMLInputElement && e.target.dataset.scanTarget !== 'true') e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
