import { type PinterestScope, pinterestScopes, scopeDescriptions } from "@pintoken/core";

export { type PinterestScope, pinterestScopes, scopeDescriptions };

const known: ReadonlySet<string> = new Set(pinterestScopes);

/** True for a scope the spec declares, e.g. `"pins:read"`. */
function isPinterestScope(scope: string): scope is PinterestScope {
  return known.has(scope);
}

/** The result of reading a scope list: the known scopes (deduplicated, in order) and any the spec does not declare. */
export interface ParsedScopes {
  readonly scopes: readonly PinterestScope[];
  readonly unknown: readonly string[];
}

/**
 * Reads a scope list as Pinterest's authorize URL sends it: comma-separated, e.g. `boards:read,pins:read`.
 * ASSUMED: the token endpoint's `scope` fields use the same separator (the spec does not say).
 */
export function parseScopeList(value: string): ParsedScopes {
  const scopes: PinterestScope[] = [];
  const unknown: string[] = [];
  for (const part of value.split(",")) {
    const scope = part.trim();
    if (scope === "") continue;
    if (!isPinterestScope(scope)) unknown.push(scope);
    else if (!scopes.includes(scope)) scopes.push(scope);
  }
  return { scopes, unknown };
}

/** Writes a scope list the way Pinterest's responses do (ASSUMED: comma-joined, like the authorize URL). */
export function joinScopes(scopes: readonly string[]): string {
  return scopes.join(",");
}

/** Explains why a scope list was rejected, listing the valid scopes so the caller can fix it. */
export function describeScopeProblem(field: string, parsed: ParsedScopes): string | undefined {
  if (parsed.unknown.length > 0) {
    return `${field} has scopes the spec does not declare: ${parsed.unknown.join(", ")}. Use comma-separated scopes from: ${pinterestScopes.join(", ")}.`;
  }
  if (parsed.scopes.length === 0) {
    return `${field} is empty. Send comma-separated scopes, e.g. "user_accounts:read,pins:read".`;
  }
  return undefined;
}
