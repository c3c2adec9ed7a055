// Handlers for the tokens namespace: create, list (sorted, paginated), get and delete the delegated upload
// tokens of the active profile, which must hold an API key.
import type { PaginationView, UploadTokenView } from '../../../common/contract/profiles';
import type { ApiVideoClient, Pagination, UploadToken } from '../../apivideo';
import type { Vault } from '../../vault';
import type { HandlersOf } from '../router';
import { HandlerError, noClient, userFacing } from '../user-errors';

function tokenView(token: UploadToken): UploadTokenView {
  return {
    token: token.token,
    ttl: token.ttl,
    createdAt: token.createdAt,
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
  };
}

function paginationView(pagination: Pagination): PaginationView {
  const { currentPage, pageSize, pagesTotal, itemsTotal, currentPageItems } = pagination;
  return { currentPage, pageSize, pagesTotal, itemsTotal, currentPageItems };
}

export function tokenHandlers(deps: { vault: Vault }): HandlersOf<'tokens'> {
  const { vault } = deps;

  /** The active profile's client, when that profile may manage tokens (it holds an API key). */
  function activeClient(): ApiVideoClient {
    const id = vault.activeId();
    const profile = id ? vault.get(id) : undefined;
    if (!id || !profile) throw new HandlerError('failed', 'No profile is active. Add or choose a profile first.');
    if (profile.authKind === 'uploadToken') {
      throw new HandlerError(
        'unsupported',
        `Profile "${profile.name}" holds an upload token, which can only upload. Choose a profile with an API key to manage upload tokens.`,
      );
    }
    try {
      return vault.clientFor(id);
    } catch (error) {
      throw noClient(error);
    }
  }

  const missing = { 404: 'token' };
  return {
    'tokens.list': (query) =>
      userFacing(async () => {
        const page = await activeClient().uploadTokens.list(query);
        return { data: page.data.map(tokenView), pagination: paginationView(page.pagination) };
      }),
    'tokens.create': ({ ttl }) =>
      userFacing(async () => tokenView(await activeClient().uploadTokens.create(ttl)), { 400: 'ttl' }),
    'tokens.get': ({ token }) =>
      userFacing(async () => tokenView(await activeClient().uploadTokens.get(token)), missing),
    'tokens.delete': ({ token }) =>
      userFacing(async () => {
        await activeClient().uploadTokens.delete(token);
        return { deleted: true as const };
      }, missing),
  };
}
