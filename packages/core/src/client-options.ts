import { ConfigurationError } from "./errors.ts";
import { pinterestScopes } from "./generated/spec.gen.ts";
import type { AttemptPolicy, RetryOptions } from "./retry.ts";

/** Throws a `ConfigurationError` unless `ok`: the option or argument was wrong, and `message` says how to fix it. */
export function need(ok: unknown, message: string): asserts ok {
  if (!ok) throw new ConfigurationError(message);
}

/** `value`, if it is a non-blank string. */
export function text(name: string, value: unknown, hint: string): string {
  need(typeof value === "string" && value.trim(), `${name} must be a non-empty string: ${hint}.`);
  return value;
}

/** `value`, if it is an absolute http(s) URL. */
export function httpUrl(name: string, value: string, hint: string): string {
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(value).protocol);
  } catch {}
  need(ok, `${name} must be an absolute http(s) URL (${hint}), got ${JSON.stringify(value)}.`);
  return value;
}

/** Checks scopes against the spec's and joins them with commas, as Pinterest expects. */
export function scopeList(scopes: unknown, what: string): string {
  const unknown = Array.isArray(scopes) ? scopes.filter((s) => !pinterestScopes.includes(s)) : [];
  need(
    Array.isArray(scopes) && scopes.length && !unknown.length,
    `${what} ${unknown.length ? `got unknown scope ${unknown.map((s) => JSON.stringify(s)).join(", ")}` : 'needs at least one scope, e.g. ["user_accounts:read"]'}. Known scopes: ${pinterestScopes.join(", ")}.`,
  );
  return [...new Set(scopes)].join(",");
}

/**
 * `Basic` credentials as Pinterest documents them: base64 of the UTF-8 bytes of `id:secret` (btoa alone rejects
 * characters above U+00FF). The first `:` separates the two, so an id containing one is refused.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  need(
    !clientId.includes(":"),
    "clientId cannot contain ':' (it is the HTTP Basic user name): use the app ID as Pinterest shows it.",
  );
  return `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${clientId}:${clientSecret}`)))}`;
}

/** Timeout and retry settings with defaults filled in and every value checked. */
export function resolvePolicy(timeoutMs = 10_000, retry: RetryOptions | false = {}): AttemptPolicy {
  need(
    typeof timeoutMs === "number" && timeoutMs > 0,
    `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}.`,
  );
  const policy = {
    timeoutMs,
    retries: 2,
    minDelayMs: 500,
    maxDelayMs: 8_000,
    maxRetryAfterMs: 60_000,
    maxElapsedMs: Number.POSITIVE_INFINITY,
    ...(retry === false ? { retries: 0 } : retry),
  };
  for (const [name, value] of Object.entries(policy))
    need(
      name === "retries" ? Number.isInteger(value) && value >= 0 && value <= 10 : value >= 0,
      `retry.${name} must be ${name === "retries" ? "a whole number from 0 to 10" : "a number ≥ 0"}, got ${value}.`,
    );
  return policy;
}
