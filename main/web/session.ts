// Who may drive browser mode: single-use sign-in codes, each exchanged once for an HttpOnly, SameSite=Strict
// session cookie signed with this process's key, so a restarted server refuses (and recognises) an old tab's cookie.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Why a request has no valid session: the page tells "Convoy restarted" from "never signed in". */
export type SessionRefusal = 'no-session' | 'restarted' | 'invalid';

export type SessionCheck = { ok: true } | { ok: false; reason: SessionRefusal };

/** The JSON a refused `GET /session` (and a refused bridge upgrade) answers with, status 401. */
export interface SessionRefusalBody {
  ok: false;
  reason: SessionRefusal;
  message: string;
}

export const refusalMessages: Record<SessionRefusal, string> = {
  'no-session': 'This tab is not signed in to Convoy. Open Convoy from the link or file it printed when it started.',
  restarted:
    'Convoy restarted: this tab belongs to the Convoy that stopped. Use the tab the new Convoy opened, or the link it printed.',
  invalid: 'This tab’s session is not valid. Open Convoy from the link or file it printed when it started.',
};

export interface SessionGate {
  /** The cookie's name: one per port, so two Convoys on one machine keep their own sessions. */
  readonly cookieName: string;
  /**
   * A new single-use sign-in code. `ttlMs`: how long it may wait for its use (null: until used or the server
   * closes). `onSpent` runs once when it is used or expires (e.g. to delete the file that carried it).
   */
  issueCode(ttlMs: number | null, onSpent?: () => void): string;
  /** Spends the code: the Set-Cookie header of a new session, or null when it is unknown, spent or expired. */
  redeem(code: string): string | null;
  /** Whether the request's Cookie header carries a session of this server, and if not, why. */
  check(cookieHeader: string | undefined): SessionCheck;
  /** Forgets every unspent code (running their onSpent). */
  close(): void;
}

export interface SessionGateOptions {
  port: number;
  /**
   * The key sessions are signed with. Default: a random one per process, so a restart ends every session. Given
   * (CONVOY_WEB_SECRET, end-to-end tests only), sessions survive a restart on the same key.
   */
  key?: string;
  now?: () => number;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createSessionGate(options: SessionGateOptions): SessionGate {
  const now = options.now ?? Date.now;
  const key = options.key ? createHmac('sha256', 'convoy-web-session').update(options.key).digest() : randomBytes(32);
  const mac = (text: string) => base64url(createHmac('sha256', key).update(text).digest());
  /** Names this key's sessions in their cookie: an old tab's cookie with another boot id is from an earlier run. */
  const bootId = mac('boot').slice(0, 12);
  const cookieName = `convoy-session-${options.port}`;
  const codes = new Map<string, { expiresAt: number | null; onSpent?: () => void }>();

  const spend = (code: string) => {
    const entry = codes.get(code);
    codes.delete(code);
    entry?.onSpent?.();
    return entry;
  };

  return {
    cookieName,
    issueCode(ttlMs, onSpent) {
      const code = base64url(randomBytes(32));
      codes.set(code, { expiresAt: ttlMs === null ? null : now() + ttlMs, ...(onSpent ? { onSpent } : {}) });
      if (ttlMs !== null) setTimeout(() => codes.has(code) && spend(code), ttlMs).unref();
      return code;
    },
    redeem(code) {
      const entry = spend(code);
      if (!entry || (entry.expiresAt !== null && now() > entry.expiresAt)) return null;
      const id = `${bootId}.${base64url(randomBytes(18))}`;
      return `${cookieName}=${id}.${mac(id)}; Path=/; HttpOnly; SameSite=Strict`;
    },
    check(header) {
      const value = cookieValue(header, cookieName);
      if (!value) return { ok: false, reason: 'no-session' };
      const parts = value.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'invalid' };
      const [boot, random, signature] = parts as [string, string, string];
      if (boot !== bootId) return { ok: false, reason: 'restarted' };
      return sameText(signature, mac(`${boot}.${random}`)) ? { ok: true } : { ok: false, reason: 'invalid' };
    },
    close() {
      for (const code of [...codes.keys()]) spend(code);
    },
  };
}
