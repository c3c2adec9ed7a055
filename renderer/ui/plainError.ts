// Splits an error message from main into the words a person needs (what happened, what to do) and the technical
// detail (HTTP status, system error code, method and path, the server's own words), which goes in a disclosure.

export interface PlainError {
  /** What happened and what to do, without codes. */
  plain: string;
  /** The whole message as main gave it, when it held more than the plain words; else absent. */
  detail?: string;
}

const technical: RegExp[] = [
  / ?\((?:HTTP \d{3}[^)]*|E[A-Z_]{3,}|[A-Z_]+_ERR[A-Z_]*)\)/g, // "(HTTP 401)", "(ENOTFOUND)"
  / ?The server said:? “[^”]*”\.?/g, // the server's own words, quoted
  / ?The server said:? "[^"]*"\.?/g,
  /\b(?:GET|POST|PUT|PATCH|DELETE) \/\S*?(?=[.,;:)]*(?:\s|$))/g, // "POST /auth/api-key"
];

export function plainError(message: string): PlainError {
  let plain = message;
  for (const pattern of technical) plain = plain.replace(pattern, '');
  plain = plain
    .replace(/\s+([.,:;])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .replace(/\b(answer|refused|know|to)\s*\./g, '$1.')
    .trim();
  if (!plain) return { plain: message };
  return plain === message.trim() ? { plain } : { plain, detail: message };
}
