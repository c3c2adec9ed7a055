// Upload tokens of the active profile, one page at a time as main lists them (sorting and paging happen on
// the server), plus the server's clock offset so countdowns follow the server's idea of "now".
import { create } from 'zustand';
import type { PaginationView, UploadTokenView } from '../../common/api';
import { messageOf } from '../ui/fieldErrors';

// ---- state ----------------------------------------------------------------------------------------------

export interface TokensQuery {
  currentPage: number;
  pageSize: number;
  sortBy: 'createdAt' | 'ttl';
  sortOrder: 'asc' | 'desc';
}

export const defaultTokensQuery: TokensQuery = { currentPage: 1, pageSize: 10, sortBy: 'createdAt', sortOrder: 'desc' };

export type TokensStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface TokensState {
  /** The profile these tokens belong to; a different active profile means the list is stale. */
  profileId: string | null;
  query: TokensQuery;
  status: TokensStatus;
  error: string | null;
  items: UploadTokenView[];
  pagination: PaginationView | null;
  /** Server clock minus this computer's clock, in ms (0 unless they clearly disagree). */
  skewMs: number;
  /** The token created last, to point it out in the list. */
  lastCreated: string | null;
}

// ---- actions --------------------------------------------------------------------------------------------

/** Nothing to load at start: the Upload tokens screen loads its profile's tokens when it shows them. */
export async function hydrate(): Promise<void> {}

/** Main sends no token events (the list is what the server says when asked); returns the unsubscribe. */
export function subscribe(): () => void {
  return () => {};
}

/** Below this, a difference between createdAt and our clock is latency and second rounding, not skew. */
const SKEW_NOISE_MS = 3000;
/** Pages of 100 fetched to sort by lifetime: enough for any real account (api.video keeps only active tokens). */
const MAX_LIFETIME_PAGES = 20;
let loadSeq = 0;

export const tokenActions = {
  /** Loads the current page for `profileId`; a newer load wins over an older one still in flight. */
  async load(profileId: string): Promise<void> {
    const seq = ++loadSeq;
    const store = useTokens.getState();
    if (store.profileId !== profileId) {
      useTokens.setState({
        profileId,
        items: [],
        pagination: null,
        lastCreated: null,
        query: { ...store.query, currentPage: 1 },
      });
    }
    useTokens.setState({ status: 'loading', error: null });
    try {
      const { data, pagination } = await window.convoy.tokens.list({ ...useTokens.getState().query });
      if (seq !== loadSeq) return;
      // A delete can leave us past the last page: step back to it.
      if (data.length === 0 && pagination.pagesTotal > 0 && pagination.currentPage > pagination.pagesTotal) {
        return tokenActions.changeQuery({ currentPage: pagination.pagesTotal });
      }
      useTokens.setState({ status: 'ready', items: data, pagination });
    } catch (error) {
      if (seq !== loadSeq) return;
      useTokens.setState({ status: 'error', error: messageOf(error) });
    }
  },

  /** Changes sorting or paging and loads that page (for the profile whose tokens are shown). */
  async changeQuery(change: Partial<TokensQuery>): Promise<void> {
    const { profileId, query } = useTokens.getState();
    useTokens.setState({ query: { ...query, ...change } });
    if (profileId) await tokenActions.load(profileId);
  },

  /** Creates a token; rejects with the BridgeError (field 'ttl' when the lifetime was refused). */
  async create(profileId: string, ttl: number): Promise<UploadTokenView> {
    const token = await window.convoy.tokens.create({ ttl });
    const skew = Date.parse(token.createdAt) - Date.now();
    useTokens.setState({ lastCreated: token.token, skewMs: Math.abs(skew) > SKEW_NOISE_MS ? skew : 0 });
    await tokenActions.load(profileId);
    return token;
  },

  async get(token: string): Promise<UploadTokenView> {
    return window.convoy.tokens.get({ token });
  },

  async remove(profileId: string, token: string): Promise<void> {
    await window.convoy.tokens.delete({ token });
    useTokens.setState((s) => ({ items: s.items.filter((t) => t.token !== token) }));
    await tokenActions.load(profileId);
  },

  /** Every token of the active profile, shortest lifetime first as the server ranks them; leaves the store alone. */
  async listAll(): Promise<UploadTokenView[]> {
    const all: UploadTokenView[] = [];
    for (let page = 1; page <= MAX_LIFETIME_PAGES; page++) {
      const { data, pagination } = await window.convoy.tokens.list({
        currentPage: page,
        pageSize: 100,
        sortBy: 'ttl',
        sortOrder: 'asc',
      });
      all.push(...data);
      if (page >= pagination.pagesTotal) return all;
    }
    throw new Error('too many tokens to sort here');
  },
};

// ---- the store ------------------------------------------------------------------------------------------

export const useTokens = create<TokensState>(emptyTokens);

// ---- empty state ----------------------------------------------------------------------------------------

function emptyTokens(): TokensState {
  return {
    profileId: null,
    query: defaultTokensQuery,
    status: 'idle',
    error: null,
    items: [],
    pagination: null,
    skewMs: 0,
    lastCreated: null,
  };
}
