// `convoy tokens create|list|get|delete`: manages delegated upload tokens with an API key. Token values are
// printed only where the user asked for them (they are what `create` produces).
import type { UploadToken } from '../apivideo/index';
import type { TokensArgs } from './args';
import { UsageError } from './args';
import { resolveCredentials } from './credentials';
import type { CommandIo } from './upload-command';

function line(token: UploadToken): string {
  return `${token.token}  ttl ${token.ttl || 'never expires'}  created ${token.createdAt}${token.expiresAt ? `  expires ${token.expiresAt}` : ''}`;
}

export async function runTokens(args: TokensArgs, io: CommandIo): Promise<number> {
  if (args.auth.kind === 'uploadToken')
    throw new UsageError('Managing upload tokens needs an API key (--profile or --api-key-env), not an upload token.');
  const { client, label } = resolveCredentials(args.auth, io.env);
  if (client.authKind === 'uploadToken')
    throw new UsageError(`Managing upload tokens needs an API key; ${label} uses an upload token.`);
  const print = (value: unknown, text: string) =>
    io.stdout.write(args.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  switch (args.action) {
    case 'create': {
      const token = await client.uploadTokens.create(args.ttl ?? 0);
      print(token, line(token));
      return 0;
    }
    case 'list': {
      const all: UploadToken[] = [];
      for (let page = 1; ; page += 1) {
        const result = await client.uploadTokens.list({ currentPage: page, pageSize: 100 });
        all.push(...result.data);
        if (page >= result.pagination.pagesTotal || result.data.length === 0) break;
      }
      print(all, all.length ? all.map(line).join('\n') : 'No active upload tokens.');
      return 0;
    }
    case 'get': {
      const token = await client.uploadTokens.get(args.token!);
      print(token, line(token));
      return 0;
    }
    case 'delete':
      await client.uploadTokens.delete(args.token!);
      print({ deleted: true }, 'Deleted.');
      return 0;
  }
}
