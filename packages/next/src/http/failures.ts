import {
  InvalidResponseError,
  isTransient,
  PinterestApiError,
  PintokenError,
  ReauthorizationRequiredError,
} from "@pintoken/core";
import type { ErrorCode } from "../contract.ts";
import type { PinterestAuthLogger } from "../options.ts";

/** A failure as the routes report it: HTTP status, stable code and a message that says what to do. */
export interface Failure {
  status: number;
  code: ErrorCode;
  message: string;
}

export const failures = {
  reauthorization: {
    status: 401,
    code: "reauthorization_required",
    message:
      "Pinterest no longer accepts this session's grant (revoked, expired or replaced): the session was ended. Sign in again.",
  },
  notSignedIn: {
    status: 401,
    code: "not_signed_in",
    message: "There is no session to refresh: sign in first.",
  },
  unavailable: {
    status: 503,
    code: "pinterest_unavailable",
    message: "Pinterest could not be reached or is overloaded; the session is kept. Try again in a moment.",
  },
  internal: {
    status: 500,
    code: "internal_error",
    message:
      "Something went wrong on the server (the details were logged there). Try again; if it persists, check the server log.",
  },
} as const satisfies Record<string, Failure>;

/** How a thrown error is reported to the browser; the details of unexpected ones go only to the log. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof ReauthorizationRequiredError) return failures.reauthorization;
  if (isTransient(error)) return failures.unavailable;
  return failures.internal;
}

const tokenPattern = /\bpin[acr][._][A-Za-z0-9._~+/=-]+/g;
const bearerPattern = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/**
 * A logger that never writes a token or a secret: known secrets and anything shaped like a Pinterest token or an
 * Authorization credential is replaced with `[redacted]`, whatever the message says.
 */
export function redactingLogger(logger: PinterestAuthLogger, secrets: readonly string[]): PinterestAuthLogger {
  const redact = (message: string) => {
    let clean = message.replace(tokenPattern, "[redacted]").replace(bearerPattern, "$1 [redacted]");
    for (const secret of secrets) if (secret) clean = clean.split(secret).join("[redacted]");
    return clean;
  };
  return {
    warn: (message) => logger.warn(redact(message)),
    error: (message) => logger.error(redact(message)),
  };
}

/**
 * One log line for an error: its class, code and what happened, never text an upstream sent (Pinterest's error
 * message, a body that failed validation: an echoing upstream could put anything there, credentials included) and
 * never its cause chain (which may hold requests).
 */
export function describeForLog(error: unknown): string {
  if (error instanceof PinterestApiError) {
    const said = error.pinterestCode === undefined ? "" : `, Pinterest code ${error.pinterestCode}`;
    const rid = error.requestId && /^[\w.-]{1,64}$/.test(error.requestId) ? `, x-pinterest-rid ${error.requestId}` : "";
    return `${error.name} (${error.code}): Pinterest answered ${error.operation} with HTTP ${error.status}${said}${rid}`;
  }
  if (error instanceof InvalidResponseError) {
    const where = error.issues.map((issue) => issue.split(":")[0]).join(", ");
    return `${error.name} (${error.code}): Pinterest's answer to ${error.operation} (HTTP ${error.status}) does not match its API description at ${where}`;
  }
  if (error instanceof PintokenError) return `${error.name} (${error.code}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
