// Environments: fixed URLs, labels, and the custom base URL rules (http(s), no query/fragment/credentials).
import { describe, expect, it } from 'vitest';
import { BaseUrlError, environmentLabel, fixedBaseUrl, normalizeBaseUrl } from '../../../main/apivideo/environments';

describe('environments', () => {
  it('knows the fixed URLs and leaves local/custom to runtime', () => {
    expect(fixedBaseUrl('production')).toBe('https://ws.api.video');
    expect(fixedBaseUrl('sandbox')).toBe('https://sandbox.api.video');
    expect(fixedBaseUrl('local')).toBeNull();
    expect(fixedBaseUrl('custom')).toBeNull();
    expect(environmentLabel('custom', 'https://api.example.com/v1')).toBe('Custom server (api.example.com)');
    expect(environmentLabel('local')).toBe('Local sandbox');
  });

  it('normalises good custom URLs', () => {
    expect(normalizeBaseUrl(' https://api.example.com/ ')).toBe('https://api.example.com');
    expect(normalizeBaseUrl('http://127.0.0.1:8080/base//')).toBe('http://127.0.0.1:8080/base');
  });

  it.each([
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['not a url', /is not a URL/],
    ['https://user:pw@example.com', /user name or password/],
    ['https://example.com/?a=1', /query/],
    ['https://example.com/?', /query/],
    ['https://example.com/#x', /fragment/],
  ])('refuses %s with a clear message', (input, message) => {
    expect(() => normalizeBaseUrl(input)).toThrowError(BaseUrlError);
    expect(() => normalizeBaseUrl(input)).toThrowError(message);
  });
});
