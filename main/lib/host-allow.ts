// Decides whether a request's Host header names this local server itself, so that a page on another
// name (DNS rebinding) that resolves to 127.0.0.1 is refused before it reaches any route.

/**
 * True when `host` is exactly `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT` for this server's
 * `port` (names compared case-insensitively). A missing Host, another port, another name or any
 * extra text is refused.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const wanted = String(port);
  const lower = host.trim().toLowerCase();
  const allowed = ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${wanted}`);
  return allowed.includes(lower);
}
