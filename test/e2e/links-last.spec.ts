// Links that last: the embedded sandbox keeps its port across launches, so a player link made before a restart
// answers after it; when another program took the port, the links shown follow the sandbox to its new one.
import { createServer } from 'node:net';
import { test, expect, everyRowDone } from './fixtures';
import { makeClips } from './video-clips';

test('the sandbox keeps its port across launches; taken, the links shown follow it', async ({ page, app, sandbox }) => {
  test.setTimeout(180_000);
  const clips = makeClips(['keeper.mp4']);
  try {
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await everyRowDone(page, sandbox, 1);
    await page.keyboard.press('Control+2');
    const link = page.locator('.result-row .r-link').first();
    const before = (await link.textContent())!;
    expect((await fetch(before)).status).toBe(200);
    const firstSandbox = app.info.sandboxUrl;

    // Restarted with nothing said about the port: the stored one, and the old link answers.
    await app.restart({ ownSandboxPort: true });
    expect(app.info.sandboxUrl).toBe(firstSandbox);
    await expect(page.locator('.app[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    expect((await fetch(before)).status).toBe(200);

    // Another program holds the port: a new one is taken, and the link shown moves with it.
    await app.kill();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(Number(new URL(firstSandbox).port), '127.0.0.1', () => r()));
    try {
      await app.restart({ ownSandboxPort: true });
      expect(app.info.sandboxUrl).not.toBe(firstSandbox);
      await expect(page.locator('.app[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
      await expect(link).toContainText(app.info.sandboxUrl);
      const after = (await link.textContent())!;
      expect(new URL(after).pathname).toBe(new URL(before).pathname);
      expect((await fetch(after)).status).toBe(200);
    } finally {
      blocker.close();
    }
  } finally {
    clips.remove();
  }
});
