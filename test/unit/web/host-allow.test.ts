// The Host allow-list: only this server's own loopback names and port pass.
import { describe, expect, it } from 'vitest';
import { isAllowedHost } from '../../../main/lib/host-allow';

describe('isAllowedHost', () => {
  it('accepts the three loopback names with this port', () => {
    expect(isAllowedHost('127.0.0.1:4100', 4100)).toBe(true);
    expect(isAllowedHost('localhost:4100', 4100)).toBe(true);
    expect(isAllowedHost('LOCALHOST:4100', 4100)).toBe(true);
    expect(isAllowedHost('[::1]:4100', 4100)).toBe(true);
  });

  it('refuses a missing Host, another port, another name or a bare name', () => {
    expect(isAllowedHost(undefined, 4100)).toBe(false);
    expect(isAllowedHost('', 4100)).toBe(false);
    expect(isAllowedHost('127.0.0.1:4101', 4100)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 4100)).toBe(false);
    expect(isAllowedHost('evil.example:4100', 4100)).toBe(false);
    expect(isAllowedHost('localhost.evil.example:4100', 4100)).toBe(false);
    expect(isAllowedHost('127.0.0.1:4100@evil.example', 4100)).toBe(false);
    expect(isAllowedHost('0.0.0.0:4100', 4100)).toBe(false);
  });
});
