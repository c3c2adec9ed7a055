// app.openExternal hands a link to the OS: anything but an http(s) link is refused by the contract, through the
// router, before the handler (and so the OS opener) ever sees it.
import { describe, expect, it } from 'vitest';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';

function routerRecordingOpens(opened: string[]) {
  const handlers = new Proxy({} as Partial<HandlerMap>, {
    get: (_target, key) =>
      key === 'app.openExternal'
        ? ({ url }: { url: string }) => (opened.push(url), { opened: true })
        : () => {
            throw new Error('not used in this test');
          },
  });
  return createRouter(handlers as HandlerMap);
}

describe('app.openExternal contract', () => {
  const refused = [
    'file:///etc/passwd',
    'FILE:///C:/Windows/System32/calc.exe',
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'convoy://open?path=/',
    'vscode://file/etc/passwd',
    'ms-settings:privacy',
    'smb://attacker.example/share',
    'ftp://example.com/x',
    'blob:https://example.com/1',
    'https:example.com',
    ' https://example.com',
    '\nhttps://example.com',
    'https://example.com\n',
    'https://exa mple.com',
    '',
  ];

  it.each(refused)('refuses %j before any handler runs', async (url) => {
    const opened: string[] = [];
    const envelope = await routerRecordingOpens(opened).dispatch('app.openExternal', { url });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-payload', field: 'url' } });
    expect(opened).toEqual([]);
  });

  it('passes http and https links to the handler unchanged', async () => {
    const opened: string[] = [];
    const router = routerRecordingOpens(opened);
    for (const url of [
      'https://embed.api.video/vod/vi123',
      'http://127.0.0.1:4100/docs',
      'HTTPS://Docs.api.video/x?y=1#z',
    ])
      expect(await router.dispatch('app.openExternal', { url })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([
      'https://embed.api.video/vod/vi123',
      'http://127.0.0.1:4100/docs',
      'HTTPS://Docs.api.video/x?y=1#z',
    ]);
  });
});
