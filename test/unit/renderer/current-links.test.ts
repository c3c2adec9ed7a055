// Links shown and copied follow the profile's current server: a local-sandbox link moves with the sandbox's port,
// api.video's own links stay as they are.
import { describe, expect, it } from 'vitest';
import { currentEmbed, currentLink } from '../../../renderer/features/results/links';

describe('currentLink', () => {
  it('moves a sandbox link to the sandbox it runs on now', () => {
    expect(currentLink('http://127.0.0.1:41001/vod/vi123', 'http://127.0.0.1:52002')).toBe(
      'http://127.0.0.1:52002/vod/vi123',
    );
  });
  it('leaves a link that already points there, and api.video hosts, alone', () => {
    expect(currentLink('http://127.0.0.1:52002/vod/vi1', 'http://127.0.0.1:52002')).toBe(
      'http://127.0.0.1:52002/vod/vi1',
    );
    expect(currentLink('https://embed.api.video/vod/vi1', 'https://ws.api.video')).toBe(
      'https://embed.api.video/vod/vi1',
    );
    expect(currentLink('https://embed.api.video/vod/vi1', 'http://127.0.0.1:52002')).toBe(
      'https://embed.api.video/vod/vi1',
    );
    expect(currentLink('http://127.0.0.1:1/vod/vi1', undefined)).toBe('http://127.0.0.1:1/vod/vi1');
  });
  it('moves every link inside an embed code', () => {
    expect(
      currentEmbed('<iframe src="http://127.0.0.1:41001/vod/vi1" title="x"></iframe>', 'http://127.0.0.1:52002'),
    ).toBe('<iframe src="http://127.0.0.1:52002/vod/vi1" title="x"></iframe>');
  });
});
