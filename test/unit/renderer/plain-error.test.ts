// plainError: the words a person needs, with HTTP codes, system codes and the server's words moved to the detail.
import { describe, expect, it } from 'vitest';
import { plainError } from '../../../renderer/ui/plainError';

describe('plainError', () => {
  it('takes the HTTP status and the server words out of a refused key', () => {
    const message =
      'Local sandbox: the API key was refused (HTTP 401). The server said: "Invalid API key". Check that you pasted the whole key.';
    expect(plainError(message)).toEqual({
      plain: 'Local sandbox: the API key was refused. Check that you pasted the whole key.',
      detail: message,
    });
  });

  it('takes a system error code out of a network failure', () => {
    const message =
      'Production (ws.api.video) could not be reached (ENOTFOUND). The host name could not be resolved: check the address and your connection.';
    const { plain, detail } = plainError(message);
    expect(plain).toBe(
      'Production (ws.api.video) could not be reached. The host name could not be resolved: check the address and your connection.',
    );
    expect(detail).toBe(message);
  });

  it('drops the method and path of a request', () => {
    const { plain } = plainError('The server refused POST /upload-tokens (HTTP 400).');
    expect(plain).toBe('The server refused.');
  });

  it('leaves plain words alone, with no detail', () => {
    expect(plainError('Give the profile a name.')).toEqual({ plain: 'Give the profile a name.' });
  });
});
