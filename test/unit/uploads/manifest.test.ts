// The manifest export of finished uploads, as CSV and JSON.
import { describe, expect, it } from 'vitest';
import { renderManifest } from '../../../main/uploads/manifest';
import { jobView } from '../../support/queue-views';

describe('manifest', () => {
  it('renders CSV and JSON with links and errors', () => {
    const job = jobView('1', {
      path: '/v/a.mp4',
      name: 'a.mp4',
      size: 10,
      state: 'failed',
      reason: 'boom',
      title: 'a',
    });
    const csv = renderManifest([job], 'csv', new Date(0));
    expect(csv.content.split('\r\n')[1]).toBe('/v/a.mp4,10,,a,,,,failed,boom');
    expect(csv.suggestedName).toMatch(/\.csv$/);
    expect(JSON.parse(renderManifest([job], 'json').content)[0]).toMatchObject({
      path: '/v/a.mp4',
      status: 'failed',
      error: 'boom',
    });
  });
});
