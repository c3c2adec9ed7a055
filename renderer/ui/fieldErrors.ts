// Turns a failed bridge call into "which field, which message", so each error is shown next to what caused it.
import { BridgeError } from '../../common/api';

/** Errors keyed by the form's own field names; '' holds the error that belongs to no single field. */
export type FieldErrors<F extends string> = Partial<Record<F | '', string>>;

/**
 * Maps a rejected request to a field of the form. `routes` pairs a request-field prefix (e.g. 'auth',
 * 'environment.baseUrl') with the form field that shows it; the longest matching prefix wins.
 */
export function fieldErrorOf<F extends string>(error: unknown, routes: Partial<Record<string, F>>): FieldErrors<F> {
  const message = messageOf(error);
  const field = error instanceof BridgeError ? error.field : undefined;
  if (field) {
    const match = Object.keys(routes)
      .filter((prefix) => field === prefix || field.startsWith(`${prefix}.`))
      .sort((a, b) => b.length - a.length)[0];
    const target = match === undefined ? undefined : routes[match];
    if (target !== undefined) return { [target]: message } as FieldErrors<F>;
  }
  return { '': message } as FieldErrors<F>;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
