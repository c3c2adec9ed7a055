// The profile card's check line and the add dialog's duplicate-key warning, from real messages main writes.
import { describe, expect, it } from 'vitest';
import { checkSummary } from '../../../renderer/features/profiles/checkSummary';
import { profileWithSameKey } from '../../../renderer/features/profiles/sameKey';
import { errorFromResponse } from '../../../main/apivideo/errors';
import type { ProfileView } from '../../../preload/api';

describe('checkSummary', () => {
  it('keeps only the result of a check that worked', () => {
    expect(checkSummary('Profile "Local key" on Local sandbox (http://127.0.0.1:44517): the API key works (2 active upload tokens).'))
      .toBe('Key works · 2 active upload tokens');
    expect(checkSummary('Profile "A "quoted" on name" on Production (https://ws.api.video): the API key works (1 active upload token).'))
      .toBe('Key works · 1 active upload token');
    expect(checkSummary('Profile "Partner token" on Local sandbox (http://127.0.0.1:44517): the upload token is valid (the server accepted it and asked for a file).'))
      .toBe('Upload token works');
    expect(checkSummary('Profile "QA" on Custom server (127.0.0.1:40885) (http://127.0.0.1:40885): the API key works (0 active upload tokens).'))
      .toBe('Key works · 0 active upload tokens');
  });

  it('keeps the reason of a check that failed, without who was checked', () => {
    const refused = errorFromResponse(
      { profileName: 'Work', environmentLabel: 'Production', baseUrl: 'https://ws.api.video', authKind: 'bearer' },
      { method: 'POST', path: '/auth/api-key' }, 401, '');
    const summary = checkSummary(refused.message);
    expect(summary).toMatch(/^The API key was refused/);
    expect(summary).not.toContain('Work');
    expect(summary).not.toContain('ws.api.video');
    expect(checkSummary('Profile "Work" on Custom server (http://127.0.0.1:1) could not be reached (ECONNREFUSED). Is it running?'))
      .toBe('The server could not be reached (ECONNREFUSED). Is it running?');
  });

  it('leaves any other message as it is, capitalised', () => {
    expect(checkSummary('this profile needs its key again.')).toBe('This profile needs its key again.');
  });
});

describe('profileWithSameKey', () => {
  const view = (over: Partial<ProfileView>): ProfileView => ({
    id: 'p1', name: 'Work', environment: { kind: 'production', baseUrl: 'https://ws.api.video', label: 'Production' },
    authKind: 'bearer', keyHint: '••••a1b2', secretStorage: 'encrypted', hasSecret: true, createdAt: '2026-11-29T12:00:00Z', ...over,
  });
  const profiles = [
    view({}),
    view({ id: 'p2', name: 'Partner', authKind: 'uploadToken', keyHint: '••••a1b2' }),
    view({ id: 'p3', name: 'Lab', environment: { kind: 'custom', baseUrl: 'https://lab.example.com', label: 'Custom server' } }),
  ];

  it('finds the profile with the same environment, kind of credential and last four characters', () => {
    expect(profileWithSameKey(profiles, { environment: 'production', baseUrl: '', credential: 'apiKey', secret: 'xxxxxxxxa1b2 ' })?.name).toBe('Work');
    expect(profileWithSameKey(profiles, { environment: 'production', baseUrl: '', credential: 'uploadToken', secret: 'toxxxxxxa1b2' })?.name).toBe('Partner');
    expect(profileWithSameKey(profiles, { environment: 'custom', baseUrl: 'https://LAB.example.com/', credential: 'apiKey', secret: 'yyyyyyyya1b2' })?.name).toBe('Lab');
  });

  it('stays quiet for another environment, another ending, another server, or a key still being typed', () => {
    expect(profileWithSameKey(profiles, { environment: 'sandbox', baseUrl: '', credential: 'apiKey', secret: 'xxxxxxxxa1b2' })).toBeUndefined();
    expect(profileWithSameKey(profiles, { environment: 'production', baseUrl: '', credential: 'apiKey', secret: 'xxxxxxxxa1b3' })).toBeUndefined();
    expect(profileWithSameKey(profiles, { environment: 'custom', baseUrl: 'https://other.example.com', credential: 'apiKey', secret: 'xxxxxxxxa1b2' })).toBeUndefined();
    expect(profileWithSameKey(profiles, { environment: 'production', baseUrl: '', credential: 'apiKey', secret: 'a1b2' })).toBeUndefined();
  });
});
