// The profile records kept in the store (validated on every read) and the non-secret view the renderer sees.
import { z } from 'zod';
import { environmentKinds } from '../../common/contract/profiles';
import type { ProfileView } from '../../common/contract/profiles';
import { environmentLabel, fixedBaseUrl } from '../apivideo/environments';

export const LOCAL_SANDBOX_ID = 'local-sandbox';
/** The first-run profile's name: its environment line already says "Local sandbox". */
export const LOCAL_SANDBOX_NAME = 'Practice';

export const profileRecordSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(80),
  environment: z.object({
    kind: z.enum(environmentKinds),
    baseUrl: z.string().optional(),
    /** A custom server on plain http:// to another machine, which the user accepted when adding it. */
    allowInsecureHttp: z.literal(true).optional(),
  }),
  authKind: z.enum(['bearer', 'basic', 'uploadToken']),
  keyHint: z.string(),
  secretStorage: z.enum(['encrypted', 'session']),
  /** base64 of the cipher's output; absent for session-only secrets and the Local sandbox. */
  encryptedSecret: z.string().optional(),
  /** The Local sandbox profile: URL and key come from the embedded sandbox at runtime. */
  builtIn: z.boolean().optional(),
  createdAt: z.string(),
  /** Upload-token profiles: when the token expires (null: never), read from the server or typed by the user. */
  tokenExpiry: z.object({ at: z.string().nullable(), source: z.enum(['server', 'user']) }).optional(),
  /** Upload-token profiles: the API-key profile that found this token, and so is of the same account. */
  tokenOwner: z.string().optional(),
});
export type ProfileRecord = z.infer<typeof profileRecordSchema>;

/** "••••a1b2": the last four characters, enough to tell keys apart, never enough to use one. */
export function keyHintOf(secret: string | null | undefined): string {
  return secret ? `••••${secret.slice(-4)}` : '';
}

export interface Runtime {
  /** URL and key of the embedded sandbox, null when it is not running. */
  local: { url: string; apiKey: string } | null;
  hasSecret: boolean;
  /** For an upload-token profile: the API-key profile found to be of the same account. */
  accountKeyProfile?: ProfileView['accountKeyProfile'];
}

export function resolvedBaseUrl(record: ProfileRecord, local: Runtime['local']): string {
  return (
    fixedBaseUrl(record.environment.kind) ??
    (record.environment.kind === 'local' ? (local?.url ?? '') : (record.environment.baseUrl ?? ''))
  );
}

export function toView(record: ProfileRecord, runtime: Runtime): ProfileView {
  const baseUrl = resolvedBaseUrl(record, runtime.local);
  return {
    id: record.id,
    name: record.name,
    environment: {
      kind: record.environment.kind,
      baseUrl,
      label: environmentLabel(record.environment.kind, baseUrl),
      ...(record.environment.allowInsecureHttp ? { insecureHttp: true as const } : {}),
    },
    authKind: record.authKind,
    keyHint: record.builtIn ? keyHintOf(runtime.local?.apiKey) : record.keyHint,
    secretStorage: record.secretStorage,
    hasSecret: runtime.hasSecret,
    createdAt: record.createdAt,
    ...(record.builtIn ? { builtIn: true } : {}),
    ...(record.tokenExpiry
      ? { tokenExpiresAt: record.tokenExpiry.at, tokenExpirySource: record.tokenExpiry.source }
      : {}),
    ...(runtime.accountKeyProfile ? { accountKeyProfile: runtime.accountKeyProfile } : {}),
  };
}
