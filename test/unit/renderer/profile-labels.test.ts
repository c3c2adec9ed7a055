// The add dialog's duplicate-key warning: which existing profile a key being typed matches.
import { describe, expect, it } from 'vitest';
import { profileWithSameKey } from '../../../renderer/features/profiles/sameKey';
import type { ProfileView } from '../../../common/api';

describe('profileWithSameKey', () => {
  const view = (over: Partial<ProfileView>): ProfileView => ({
    id: 'p1',
    name: 'Work',
    environment: { kind: 'production', baseUrl: 'https://ws.api.video', label: 'Production' },
    authKind: 'bearer',
    keyHint: '••••a1b2',
    secretStorage: 'encrypted',
    hasSecret: true,
    createdAt: '2026-11-29T12:00:00Z',
    ...over,
  });
  const profiles = [
    view({}),
    view({ id: 'p2', name: 'Partner', authKind: 'uploadToken', keyHint: '••••a1b2' }),
    view({
      id: 'p3',
      name: 'Lab',
      environment: { kind: 'custom', baseUrl: 'https://lab.example.com', label: 'Custom server' },
    }),
  ];

  it('finds the profile with the same environment, kind of credential and last four characters', () => {
    expect(
      profileWithSameKey(profiles, {
        environment: 'production',
        baseUrl: '',
        credential: 'apiKey',
        secret: 'xxxxxxxxa1b2 ',
      })?.name,
    ).toBe('Work');
    expect(
      profileWithSameKey(profiles, {
        environment: 'production',
        baseUrl: '',
        credential: 'uploadToken',
        secret: 'toxxxxxxa1b2',
      })?.name,
    ).toBe('Partner');
    expect(
      profileWithSameKey(profiles, {
        environment: 'custom',
        baseUrl: 'https://LAB.example.com/',
        credential: 'apiKey',
        secret: 'yyyyyyyya1b2',
      })?.name,
    ).toBe('Lab');
  });

  it('stays quiet for another environment, another ending, another server, or a key still being typed', () => {
    expect(
      profileWithSameKey(profiles, {
        environment: 'sandbox',
        baseUrl: '',
        credential: 'apiKey',
        secret: 'xxxxxxxxa1b2',
      }),
    ).toBeUndefined();
    expect(
      profileWithSameKey(profiles, {
        environment: 'production',
        baseUrl: '',
        credential: 'apiKey',
        secret: 'xxxxxxxxa1b3',
      }),
    ).toBeUndefined();
    expect(
      profileWithSameKey(profiles, {
        environment: 'custom',
        baseUrl: 'https://other.example.com',
        credential: 'apiKey',
        secret: 'xxxxxxxxa1b2',
      }),
    ).toBeUndefined();
    expect(
      profileWithSameKey(profiles, { environment: 'production', baseUrl: '', credential: 'apiKey', secret: 'a1b2' }),
    ).toBeUndefined();
  });
});
