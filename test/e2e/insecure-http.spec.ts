// A custom server on plain http:// to another machine needs the user's explicit consent in the Add profile
// dialog, and its card warns that the connection is unencrypted.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './fixtures';

/** A plain forwarder to the sandbox that says the Host the sandbox expects: a server on "another machine". */
async function forwarder(target: string): Promise<{ server: Server; port: number }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const out = request(
      {
        host: to.hostname,
        port: to.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: to.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

test('plain http to another machine: refused without consent, saved with it, and the card warns', async ({
  page,
  sandbox,
  shots,
}) => {
  // 0.0.0.0 is not a loopback name (consent needed), yet on this machine it reaches the forwarder to the sandbox.
  const proxy = await forwarder(sandbox.url);
  const address = `http://0.0.0.0:${proxy.port}`;
  try {
    await page.keyboard.press('Control+4');
    await page.getByTestId('add-profile').click();
    await page.getByTestId('profile-name').fill('LAN server');
    await page.getByTestId('env-custom').check();
    await page.getByTestId('profile-base-url').fill('https://videos.example.com');
    await expect(page.getByTestId('insecure-consent')).toHaveCount(0);
    await page.getByTestId('profile-base-url').fill(address);
    await expect(page.getByTestId('insecure-consent')).toContainText('unencrypted');
    await page.getByTestId('profile-secret').fill(sandbox.apiKey);
    await page.getByTestId('add-profile-submit').click();
    await expect(page.getByTestId('insecure-consent')).toContainText('confirm that you accept');
    await expect(page.getByTestId('allow-insecure-http')).toBeFocused();
    await shots('add-profile-insecure-http');

    await page.getByTestId('allow-insecure-http').check();
    await page.getByTestId('add-profile-submit').click();
    await expect(page.getByTestId('add-profile-result')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Done' }).click();
    const card = page.getByTestId('profile-card').filter({ hasText: 'LAN server' });
    await expect(card.getByTestId('insecure-http-warning')).toContainText('Unencrypted');
    await shots('profile-card-insecure-http');
  } finally {
    proxy.server.close();
  }
});
