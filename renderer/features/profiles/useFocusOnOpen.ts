// Focuses an element once its modal dialog is open. React's autoFocus fires before the parent Dialog calls
// showModal(), and showModal() then moves focus to the first button, so the focus waits one frame.
import { useEffect, useRef, type RefObject } from 'react';

export function useFocusOnOpen<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    const frame = requestAnimationFrame(() => ref.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  return ref;
}
