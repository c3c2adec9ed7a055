// Test helper: an event source for the CLI's renderers and reports that the test drives by hand (`jobs` events only).
import type { JobView } from '../../../common/contract/queue';
import type { EventSource } from '../../../main/cli/render';

export function fakeEvents(): { source: EventSource; emit(...upserts: JobView[]): void } {
  let listener: ((payload: { upserts: JobView[]; removed: string[] }) => void) | null = null;
  const source = {
    on: (event: string, fn: typeof listener) => {
      if (event === 'jobs') listener = fn;
      return () => {
        listener = null;
      };
    },
  } as unknown as EventSource;
  return { source, emit: (...upserts) => listener?.({ upserts, removed: [] }) };
}
