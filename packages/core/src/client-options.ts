import { ConfigurationError } from "./errors.ts";
import { pinterestScopes } from "./generated/spec.gen.ts";
import type { AttemptPolicy, RetryOptions } from "./retry.ts";

/** Throws a `ConfigurationError`: the option or argument was wrong, and the message says how to fix it. */
export function fail(message: string): never {
  throw new ConfigurationError(message);
}

export function requireText(name: string, value: unknown, hint: string): string {
  if (typeof value !== "string" || value.trim() === "") fail(`${name} must be a non-empty string: ${hint}.`);
  return value;
}

export function requireUrl(name: string, value: string, hint: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`${name} must be an absolute URL (${hint}), got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    fail(`${name} must be an http(s) URL (${hint}), got ${JSON.stringify(value)}.`);
  return value;
}

const knownScopes: ReadonlySet<string> = new Set(pinterestScopes);

/** Checks scopes against the spec's and joins them with commas, as Pinterest expects. */
export function requireScopes(scopes: unknown, what: string): string {
  const known = `Known scopes: ${pinterestScopes.join(", ")}.`;
  if (!Array.isArray(scopes) || scopes.length === 0)
    fail(`${what} needs at least one scope, e.g. ["user_accounts:read"]. ${known}`);
  const unknown = scopes.filter((s) => !knownScopes.has(s));
  if (unknown.length) fail(`${what}: unknown scope ${unknown.map((s) => JSON.stringify(s)).join(", ")}. ${known}`);
  return [...new Set(scopes as string[])].join(",");
}

/**
 * `Basic` credentials as Pinterest documents them: base64 of the UTF-8 bytes of `id:secret` (btoa alone rejects
 * characters above U+00FF). The first `:` separates the two, so an id containing one is refused.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  if (clientId.includes(":"))
    fail(
      "clientId cannot contain ':' (it is sent as HTTP Basic user name). Use the app ID exactly as Pinterest shows it.",
    );
  let binary = "";
  for (const byte of new TextEncoder().encode(`${clientId}:${clientSecret}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Timeout and retry settings with defaults filled in and every value checked. */
export function resolvePolicy(
  timeoutMs: number | undefined = 10_000,
  options: RetryOptions | false = {},
): AttemptPolicy {
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0))
    fail(`timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  const retry = options === false ? { retries: 0 } : options;
  const policy = {
    timeoutMs,
    retries: retry.retries ?? 2,
    minDelayMs: retry.minDelayMs ?? 500,
    maxDelayMs: retry.maxDelayMs ?? 8_000,
    maxRetryAfterMs: retry.maxRetryAfterMs ?? 60_000,
    maxElapsedMs: retry.maxElapsedMs ?? Number.POSITIVE_INFINITY,
  };
  if (!Number.isInteger(policy.retries) || policy.retries < 0 || policy.retries > 10)
    fail(`retry.retries must be a whole number from 0 to 10, got ${String(policy.retries)}.`);
  for (const name of ["minDelayMs", "maxDelayMs", "maxRetryAfterMs", "maxElapsedMs"] as const) {
    if (typeof policy[name] !== "number" || !(policy[name] >= 0))
      fail(`retry.${name} must be a number ≥ 0, got ${String(policy[name])}.`);
  }
  return policy;
}
