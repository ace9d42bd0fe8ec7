import { checkWhole, shown } from "./check.ts";

/**
 * A failure the mock plays instead of (or, for `slow`, before) its normal answer.
 *
 * @example
 * ```ts
 * mock.scenario("oauth/token").rateLimit({ retryAfter: 2 });
 * expect(mock.pendingScenarios[0]?.fault).toEqual<Fault>({ kind: "rateLimit", retryAfter: 2 });
 * ```
 */
export type Fault =
  | { readonly kind: "rateLimit"; readonly retryAfter: number }
  | { readonly kind: "serverError"; readonly status: number }
  | { readonly kind: "invalidGrant" }
  | { readonly kind: "slow"; readonly delayMs: number }
  | { readonly kind: "dropConnection" };

const kinds = ["rateLimit", "serverError", "invalidGrant", "slow", "dropConnection"] as const;

/**
 * Checks a fault, as the scenario builder makes it or as it arrives as JSON at the control API, and returns a copy
 * with only its own fields; throws a message that says what is wrong and what is allowed.
 */
export function checkFault(value: unknown): Fault {
  const fault = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  switch (fault.kind) {
    case "rateLimit":
      return { kind: "rateLimit", retryAfter: checkWhole("retryAfter", fault.retryAfter, 0) };
    case "serverError": {
      const status = fault.status;
      if (typeof status !== "number" || !Number.isInteger(status) || status < 500 || status > 599) {
        throw new RangeError(`serverError status must be a 5xx status, got ${shown(status)}.`);
      }
      return { kind: "serverError", status };
    }
    case "slow":
      return { kind: "slow", delayMs: checkWhole("delayMs", fault.delayMs, 0) };
    case "invalidGrant":
    case "dropConnection":
      return { kind: fault.kind };
    default:
      throw new RangeError(`fault.kind must be one of ${kinds.join(", ")}, got ${shown(fault.kind)}.`);
  }
}
