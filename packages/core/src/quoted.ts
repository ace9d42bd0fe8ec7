/** Strings shaped like Pinterest tokens (`pina_…`, `pinr.…`, `pinc_…`). */
const tokenShaped = /\bpin[acr][._][A-Za-z0-9._~+/=-]{8,}/g;
/** Line breaks and other control characters (C0, DEL, C1, and the Unicode line and paragraph separators). */
const controls = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * Text a server sent (Pinterest's error `message`, a request id), as pintoken quotes it in an error: on one line (a
 * log line cannot be split or forged with CR/LF), at most `max` characters, and with anything shaped like a token
 * replaced by `[redacted]`, so an answer that echoes a token puts none in the logs.
 */
export function quoted(text: string, max: number): string {
  const clean = text.replace(controls, " ").replace(tokenShaped, "[redacted]").trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
