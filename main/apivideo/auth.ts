// How each request is authorised: Basic with the API key, Bearer from an API-key exchange (refreshed before
// expiry and after a 401, one refresh in flight at a time), or nothing (an upload token travels in the URL).
import { registerSecret } from '../log/redact';
import { ApiVideoError } from './errors';
import type { AccessToken } from './schemas';

export interface AuthProvider {
  /** The Authorization header value for the next request, or null when the request carries none. */
  authorization(): Promise<string | null>;
  /**
   * Called once after a 401 with the header that was refused. Resolves true when a fresh credential now
   * exists and the request should be sent again; false when retrying cannot help.
   */
  recover(refused: string | null): Promise<boolean>;
}

export function basicAuth(apiKey: string): AuthProvider {
  registerSecret(apiKey);
  const header = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  registerSecret(header.slice('Basic '.length));
  return { authorization: async () => header, recover: async () => false };
}

export const noAuth: AuthProvider = { authorization: async () => null, recover: async () => false };

/** POSTs a JSON body to an /auth/* path without authorisation and returns the validated token reply. */
export type TokenExchange = (
  path: '/auth/api-key' | '/auth/refresh',
  body: Record<string, string>,
) => Promise<AccessToken>;

interface HeldToken {
  access: string;
  refresh: string;
  /** Local clock, ms. */
  expiresAt: number;
}

/** Renew this long before the server's expiry, so a request never leaves with a token about to die. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The bearer-token session of one API key. Every waiting request shares the same renewal: however many
 * requests need a token at once, at most one /auth/refresh (or /auth/api-key) call is in flight.
 */
export class BearerSession implements AuthProvider {
  private token: HeldToken | null = null;
  private renewal: Promise<HeldToken> | null = null;

  constructor(
    private readonly apiKey: string,
    private readonly exchange: TokenExchange,
    private readonly now: () => number = Date.now,
  ) {
    registerSecret(apiKey);
  }

  async authorization(): Promise<string> {
    return `Bearer ${(await this.current()).access}`;
  }

  async recover(refused: string | null): Promise<boolean> {
    if (this.renewal) {
      await this.renewal;
      return true;
    }
    // Another request already renewed the token after this one left: just use the new one.
    if (this.token && refused !== `Bearer ${this.token.access}`) return true;
    await this.renew();
    return true;
  }

  private current(): Promise<HeldToken> {
    if (this.renewal) return this.renewal;
    if (this.token && this.now() < this.token.expiresAt - EXPIRY_MARGIN_MS) return Promise.resolve(this.token);
    return this.renew();
  }

  private renew(): Promise<HeldToken> {
    const stale = this.token;
    const renewal = (stale ? this.refreshOrExchange(stale.refresh) : this.exchangeKey()).then(
      (token) => {
        this.token = token;
        return token;
      },
      (error: unknown) => {
        this.token = null;
        throw error;
      },
    );
    this.renewal = renewal;
    const clear = () => {
      if (this.renewal === renewal) this.renewal = null;
    };
    renewal.then(clear, clear);
    return renewal;
  }

  private async refreshOrExchange(refreshToken: string): Promise<HeldToken> {
    try {
      return this.hold(await this.exchange('/auth/refresh', { refreshToken }));
    } catch (error) {
      // A refused refresh token (expired, rotated, server restarted) is not fatal: start over from the key.
      if (error instanceof ApiVideoError && (error.kind === 'auth' || error.kind === 'bad-request'))
        return this.exchangeKey();
      throw error;
    }
  }

  private async exchangeKey(): Promise<HeldToken> {
    return this.hold(await this.exchange('/auth/api-key', { apiKey: this.apiKey }));
  }

  private hold(reply: AccessToken): HeldToken {
    registerSecret(reply.access_token);
    registerSecret(reply.refresh_token);
    return {
      access: reply.access_token,
      refresh: reply.refresh_token,
      expiresAt: this.now() + reply.expires_in * 1000,
    };
  }
}
