// Test helper (jsdom): renders a React element into a fresh <div> before each test and unmounts it after, so the
// test reads the real DOM; hooks of the test file registered earlier (store set-up) run before the render.
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

export function mountEachTest(render: () => ReactElement): { readonly host: HTMLElement } {
  let host: HTMLElement | undefined;
  let root: Root | undefined;
  beforeEach(() => {
    Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });
    host = document.body.appendChild(document.createElement('div'));
    const made = createRoot(host);
    root = made;
    act(() => made.render(render()));
  });
  afterEach(() => {
    act(() => root?.unmount());
    host?.remove();
  });
  return {
    get host() {
      if (!host) throw new Error('mountEachTest: read outside a test');
      return host;
    },
  };
}
