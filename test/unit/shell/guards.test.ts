// The guards every web contents gets (Electron's app, session and web contents injected): no navigation or redirect
// away from Convoy's page, no webview, no new window (web links go to the user's browser), no permission granted
// or reported, and nothing fetched from the web or from files by the page.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PAGE_URL } from '../../../main/shell/app-scheme';
import { installGuards, isOwnPage } from '../../../main/shell/guards';

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  /** Emits a preventable event; returns whether a guard prevented it. */
  prevented(name: string, url?: string): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

function setUp() {
  const app = new EventEmitter();
  const opened: string[] = [];
  const handlers: {
    request?: (c: unknown, p: string, cb: (granted: boolean) => void) => void;
    check?: (c: unknown, p: string) => boolean;
    blocked?: string[];
    cancel?: (details: unknown, cb: (r: { cancel: boolean }) => void) => void;
  } = {};
  installGuards(
    app as never,
    {
      setPermissionRequestHandler: (h: typeof handlers.request) => (handlers.request = h),
      setPermissionCheckHandler: (h: typeof handlers.check) => (handlers.check = h),
      webRequest: {
        onBeforeRequest: (filter: { urls: string[] }, h: typeof handlers.cancel) => {
          handlers.blocked = filter.urls;
          handlers.cancel = h;
        },
      },
    } as never,
    (url) => opened.push(url),
  );
  const contents = () => {
    const made = new FakeContents();
    app.emit('web-contents-created', {}, made);
    return made;
  };
  return { contents, opened, handlers };
}

describe('the web contents guards', () => {
  it('keep every contents on Convoy’s page', () => {
    const { contents } = setUp();
    const page = contents();
    expect(page.prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(page.prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(page.prevented('will-navigate', 'app://convoy/other.html')).toBe(true);
    expect(page.prevented('will-navigate', `${PAGE_URL}#results`)).toBe(false);
    expect(page.prevented('will-redirect', 'https://evil.example/')).toBe(true);
    // A contents made later (a devtools or a stray frame's) gets the same guards.
    expect(contents().prevented('will-navigate', 'https://evil.example/')).toBe(true);
  });

  it('attach no webview', () => {
    expect(setUp().contents().prevented('will-attach-webview')).toBe(true);
  });

  it('open no window; a web link goes to the user’s browser, anything else nowhere', () => {
    const { contents, opened } = setUp();
    const page = contents();
    for (const url of ['https://docs.api.video/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://convoy/']) {
      expect(page.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://docs.api.video/']);
  });

  it('grant no permission and report none as granted', () => {
    const { handlers } = setUp();
    const answers: boolean[] = [];
    handlers.request!(null, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
    expect(handlers.check!(null, 'notifications')).toBe(false);
  });

  it('cancel every web and file request the page makes', () => {
    const { handlers } = setUp();
    expect(handlers.blocked).toEqual(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*']);
    const answers: unknown[] = [];
    handlers.cancel!({}, (r) => answers.push(r));
    expect(answers).toEqual([{ cancel: true }]);
  });

  it('know the page by its exact URL', () => {
    expect(isOwnPage(PAGE_URL)).toBe(true);
    expect(isOwnPage('app://convoy/index.html?x')).toBe(false);
    expect(isOwnPage('app://convoy.evil/index.html')).toBe(false);
  });
});
