import { type PinterestScope, scopeDescriptions } from "@pintoken/core";

/** The demo reads the account (`GET /user_account`), so this scope is always asked for. */
export const requiredScope: PinterestScope = "user_accounts:read";

/** Scopes a person may add on the connect form. */
export const optionalScopes = ["boards:read", "pins:read", "pins:write"] as const satisfies readonly PinterestScope[];

/** A scope offered on the connect form, with Pinterest's description of it. */
export interface ScopeChoice {
  scope: PinterestScope;
  description: string;
  required: boolean;
}

/** The connect form's choices (built on the server, so that the browser bundle carries no spec data). */
export function scopeChoices(): ScopeChoice[] {
  const offered: PinterestScope[] = [requiredScope, ...optionalScopes];
  return offered.map((scope) => ({
    scope,
    description: scopeDescriptions[scope],
    required: scope === requiredScope,
  }));
}
