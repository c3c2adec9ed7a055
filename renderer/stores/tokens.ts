// Upload tokens of the active profile, one page at a time as main lists them (sorting and paging happen on
// the server), plus the server's clock offset so countdowns follow the server's idea of "now".
import { create } from 'zustand';
import type { PaginationView, UploadTokenView } from '../../common/api';
import { messageOf } from '../ui/fieldErrors';

export interface TokensQuery {
  currentPage: number;
  pageSize: number;
  sortBy: 'createdAt' | 'ttl';
  sortOrder: 'asc' | 'desc';
}

export type TokensStatus = 'idle' | 'loading' | 'ready' | 'error';

interface TokensStore {
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

export const defaultTokensQuery: TokensQuery = { currentPage: 1, pageSize: 10, sortBy: 'createdAt', sortOrder: 'desc' };

export const useTokens = create<TokensStore>(() => ({
  profileId: null,
  query: defaultTokensQuery,
  status: 'idle',
  error: null,
  items: [],
  pagination: null,
  skewMs: 0,
  lastCreated: null,
}));

/** Below this, a difference between createdAt and our clock is latency and second rounding, not skew. */
const SKEW_NOISE_MS = 3000;
let loadSeq = 0;

export const tokenActions = {
  /** Loads the current page for `profileId`; a newer load wins over an older one still in flight. */
  async load(profileId: string): Promise<void> {
    const seq = ++loadSeq;
    const store = useTokens.getState();
    if (store.profileId !== profileId) {
      useTokens.setState({ profileId, items: [], pagination: null, lastCreated: null, query: { ...store.query, currentPage: 1 } });
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
};
