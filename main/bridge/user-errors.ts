// How failures reach the page: a request the contract refuses, the error a handler throws on purpose (HandlerError),
// vault and api.video refusals turned into one, and the redacted error any other failure becomes.
import type { z } from 'zod';
import type { BridgeErrorShape } from '../../common/api';
import type { ConnectionCheck } from '../../common/contract/profiles';
import { ApiVideoError } from '../apivideo';
import { VaultError, type VaultErrorCode } from '../vault';
import { redact } from '../log/redact';

/** An error a handler throws on purpose: its message is shown to the user as is. */
export class HandlerError extends Error {
  readonly code: BridgeErrorShape['code'];
  readonly field?: string;
  constructor(code: BridgeErrorShape['code'], message: string, field?: string) {
    super(message);
    this.name = 'HandlerError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

/** Which api.video refusal points at which request field (e.g. a 404 at 'token'). */
export interface FieldsOf {
  404?: string;
  400?: string;
}

const vaultCodes: Record<VaultErrorCode, BridgeErrorShape['code']> = {
  invalid: 'invalid-payload',
  'not-found': 'not-found',
  'check-failed': 'failed',
  unsupported: 'unsupported',
  'key-needed': 'failed',
  'sandbox-not-running': 'unsupported',
};

/** Turns vault and api.video failures into errors the page shows as they are (with the field that caused them). */
export function asHandlerError(error: unknown, fields: FieldsOf = {}): unknown {
  if (error instanceof VaultError) return new HandlerError(vaultCodes[error.code], error.message, error.field);
  if (error instanceof ApiVideoError) {
    if (error.kind === 'not-found') return new HandlerError('not-found', error.message, fields[404]);
    return new HandlerError('failed', error.message, error.kind === 'bad-request' ? fields[400] : undefined);
  }
  return error;
}

/** Runs a handler body, rethrowing known failures as HandlerError. */
export async function userFacing<T>(run: () => T | Promise<T>, fields?: FieldsOf): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asHandlerError(error, fields);
  }
}

/** A channel the contract does not have. */
export function unknownChannel(channel: string): BridgeErrorShape {
  return { code: 'unknown-channel', message: `Unknown channel "${String(channel).slice(0, 60)}".` };
}

/** A payload the channel's schema refused: its first five issues, and the field of the first. */
export function invalidPayload(error: z.ZodError): BridgeErrorShape {
  const first = error.issues[0];
  const field = first?.path.join('.') || undefined;
  const details = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
    .join('; ');
  return { code: 'invalid-payload', message: `Invalid request: ${details}`, ...(field ? { field } : {}) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A profile whose client cannot be had (vault.clientFor threw) cannot do what was asked: a plain failure, as said. */
export function noClient(error: unknown): HandlerError {
  return new HandlerError('failed', messageOf(error));
}

/** A connection check that could not even start (vault.clientFor threw) is a failed check, not a failed request. */
export function uncheckable(error: unknown): ConnectionCheck {
  const message = redact(messageOf(error));
  return { ok: false, message, summary: message };
}

/** Adding files failed as a whole (an unknown profile, an unreadable folder): said with what was being done. */
export function notAdded(error: unknown): HandlerError {
  return new HandlerError('failed', `Could not add these files: ${messageOf(error)}`);
}

/**
 * The envelope error of whatever the handler of `channel` threw: a HandlerError with its code and field; anything
 * else a 'failed', with the line (redacted, with its stack) to log. Either message leaves redacted: a HandlerError
 * may quote a server that echoed the credentials it was sent.
 */
export function envelopeError(error: unknown, channel: string): { error: BridgeErrorShape; logLine?: string } {
  if (error instanceof HandlerError) {
    const field = error.field ? { field: error.field } : {};
    return { error: { code: error.code, message: redact(error.message), ...field } };
  }
  const message = messageOf(error);
  return {
    error: { code: 'failed', message: redact(message) },
    logLine: redact(`handler ${channel} failed: ${error instanceof Error && error.stack ? error.stack : message}`),
  };
}
