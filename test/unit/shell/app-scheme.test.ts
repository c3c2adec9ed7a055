// The app:// scheme serves the built renderer folder and nothing else: real files on disk, including a symbolic
// link that leads out of the folder and traversal spelled every way a URL can spell it.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CSP, APP_CSP_META, appResponse, PAGE_URL, resolveAppFile } from '../../../main/shell/app-scheme';
import { scratchDirs } from '../../support/scratch-dirs';

const scratch = scratchDirs('app-scheme');

function rendererFolder() {
  const base = scratch();
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><head><title>Convoy</title></head><div id="root"></div>',
  );
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.SVG'), '<svg/>');
  writeFileSync(join(base, 'secret.json'), '{"apiKey":"x"}');
  symlinkSync(join(base, 'secret.json'), join(root, 'assets', 'link.json'));
  return { base, root };
}

describe('the app scheme', () => {
  it('serves the page and its assets with their MIME types', () => {
    const { root } = rendererFolder();
    const get = (url: string) => resolveAppFile(root, 'GET', url);
    expect(get(PAGE_URL)).toEqual({ file: join(root, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(get('app://convoy/')).toMatchObject({ type: 'text/html; charset=utf-8' });
    expect(get('app://convoy/assets/index-abc.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
    expect(get('app://convoy/assets/index-abc.css')).toMatchObject({ type: 'text/css; charset=utf-8' });
    expect(get('app://convoy/assets/logo.SVG')).toMatchObject({ type: 'image/svg+xml' });
    expect(get('app://convoy/assets/index-abc.js?v=1#x')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
  });

  it('refuses whatever lies outside the folder, however the path is spelled', () => {
    const { root } = rendererFolder();
    const get = (url: string) => resolveAppFile(root, 'GET', url);
    expect(get('app://convoy/..%2fsecret.json')).toEqual({ status: 403 });
    expect(get('app://convoy/assets%2f..%2f..%2fsecret.json')).toEqual({ status: 403 });
    expect(get('app://convoy/..%5csecret.json')).toEqual(
      process.platform === 'win32' ? { status: 403 } : { status: 404 },
    );
    expect(get('app://convoy/%2e%2e/secret.json')).toEqual({ status: 404 }); // the URL parser resolved it inside
    expect(get('app://convoy/assets/link.json')).toEqual({ status: 403 });
    expect(get('app://convoy/index.html%00.js')).toEqual({ status: 400 });
    expect(get('app://convoy/%E0%A4%A')).toEqual({ status: 400 });
  });

  it('answers only its own host, only GET and HEAD, and only files', () => {
    const { root } = rendererFolder();
    expect(resolveAppFile(root, 'GET', 'app://other/index.html')).toEqual({ status: 404 });
    expect(resolveAppFile(root, 'GET', 'file:///index.html')).toEqual({ status: 404 });
    expect(resolveAppFile(root, 'POST', PAGE_URL)).toEqual({ status: 405 });
    expect(resolveAppFile(root, 'HEAD', PAGE_URL)).toMatchObject({ type: 'text/html; charset=utf-8' });
    expect(resolveAppFile(root, 'GET', 'app://convoy/assets')).toEqual({ status: 404 });
    expect(resolveAppFile(root, 'GET', 'app://convoy/missing.js')).toEqual({ status: 404 });
    expect(resolveAppFile(join(root, 'gone'), 'GET', PAGE_URL)).toEqual({ status: 404 });
  });

  it('replies with the file, its type and the policy, and refusals without a body', async () => {
    const { root } = rendererFolder();
    const page = appResponse(root, new Request(PAGE_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    // The policy is the page's first tag too, so it holds even without the header.
    expect(html).toBe(`<!doctype html><html><head>${APP_CSP_META}<title>Convoy</title></head><div id="root"></div>`);
    expect(APP_CSP_META).toContain('script-src app://convoy;');
    expect(APP_CSP_META).not.toContain('frame-ancestors');
    const script = appResponse(root, new Request('app://convoy/assets/index-abc.js'));
    expect(await script.text()).toBe('console.log(1)');
    const head = appResponse(root, new Request(PAGE_URL, { method: 'HEAD' }));
    expect([head.status, head.body, head.headers.get('content-security-policy')]).toEqual([200, null, APP_CSP]);
    const refused = appResponse(root, new Request('app://convoy/..%2fsecret.json'));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('');
  });

  it('holds a policy with nothing but its own origin, no inline script and no plugins', () => {
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain('script-src app://convoy;');
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    // Images too: thumbnails come through app://convoy/thumbnail, fetched by main (main/shell/thumbnails.ts).
    const directives = APP_CSP.split('; ');
    expect(directives.filter((d) => d.startsWith('img-src'))).toEqual(['img-src app://convoy data:']);
    expect(APP_CSP).not.toMatch(/unsafe|https?:|\*|'self'/);
  });
});
