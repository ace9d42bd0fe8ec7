import { ConfigurationError } from "./errors.ts";
import { pinterestScopes } from "./generated/spec.gen.ts";
import type { AttemptPolicy, RetryOptions } from "./retry.ts";
import { describeValue } from "./token-check.ts";

/** Throws a `ConfigurationError` unless `ok`: the option or argument was wrong, and `message` says how to fix it. */
export function need(ok: unknown, message: string): asserts ok {
  if (!ok) throw new ConfigurationError(message);
}

/**
 * `value`, if it is a string that `bad` does not match (by default: a blank one); `hint` (e.g. `": where to find it"`)
 * ends the message otherwise.
 */
export function text(name: string, value: unknown, hint = "", bad = /^\s*$/): string {
  need(typeof value === "string" && !bad.test(value), `${name} must be a non-empty string${hint}.`);
  return value;
}

/** Checks that an optional option is a function. */
export const callable = (name: string, value: unknown) =>
  need(value === undefined || typeof value === "function", `${name} must be a function.`);

/** `value`, if it is an absolute http(s) URL; `hint` ends the message otherwise. */
export function httpUrl(name: string, value: string | undefined, hint = ""): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(value as string).protocol;
  } catch {}
  need(
    /^https?:$/.test(`${protocol}`),
    `${name} must be an absolute http(s) URL${hint}, got ${JSON.stringify(value)}.`,
  );
  return value as string;
}

/** Checks scopes against the spec's and joins them with commas, as Pinterest expects. */
export function scopeList(scopes: unknown): string {
  const list = Array.isArray(scopes) ? scopes : [];
  const unknown = list.filter((s) => !pinterestScopes.includes(s));
  need(
    list.length && !unknown.length,
    `scopes must be at least one known scope${unknown.length ? `, not ${JSON.stringify(unknown).slice(1, -1)}` : ""}. Known scopes: ${pinterestScopes.join(", ")}.`,
  );
  return [...new Set(list)].join(",");
}

/** Checks a duration option: a number of milliseconds, above 0 when `positive`, else 0 or more (`Infinity` is one). */
export const ms = (name: string, value: unknown, positive?: boolean) =>
  need(
    typeof value === "number" && (value > 0 || (value === 0 && !positive)),
    `${name} must be a number of milliseconds ${positive ? ">" : "≥"} 0, got ${describeValue(value)}.`,
  );

/** Timeout and retry settings with defaults filled in and every value checked. */
export function resolvePolicy(
  timeoutMs = 10_000,
  retry: RetryOptions | false = {},
  answerTimeoutMs = 120_000,
): AttemptPolicy {
  const policy = {
    timeoutMs,
    answerTimeoutMs,
    retries: 2,
    minDelayMs: 500,
    maxDelayMs: 8_000,
    maxRetryAfterMs: 60_000,
    maxElapsedMs: Infinity,
    ...(retry || { retries: 0 }),
  };
  for (const [name, value] of Object.entries(policy))
    if (name === "retries")
      need(
        Number.isInteger(value) && value >= 0 && value <= 10,
        `retry.retries must be a whole number from 0 to 10, got ${describeValue(value)}.`,
      );
    else {
      const timeout = name === "timeoutMs" || name === "answerTimeoutMs"; // a time limit must be above 0
      ms(timeout ? name : `retry.${name}`, value, timeout);
    }
  need(
    policy.maxDelayMs >= policy.minDelayMs,
    `retry.maxDelayMs must be at least retry.minDelayMs (${policy.minDelayMs}), got ${describeValue(policy.maxDelayMs)}.`,
  );
  return policy;
}
