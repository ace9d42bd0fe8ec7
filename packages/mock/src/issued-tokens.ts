import { base64url } from "@pintoken/core/crypto";
import type { MockConfig } from "./options.ts";
import type { PinterestScope } from "./scopes.ts";

/**
 * What a token is.
 *
 * @example
 * ```ts
 * const kind: TokenKind | undefined = mock.inspectToken(code)?.kind; // "authorization_code"
 * ```
 */
export type TokenKind = (typeof tokenKinds)[number];

/** Every {@link TokenKind}. */
export const tokenKinds = ["access_token", "refresh_token", "authorization_code"] as const;

/**
 * Why a token no longer works, or `active`.
 *
 * @example
 * ```ts
 * const status: TokenStatus | undefined = mock.inspectToken(refreshToken)?.status; // "rotated" after a refresh
 * ```
 */
export type TokenStatus = (typeof tokenStatuses)[number];

/** Every {@link TokenStatus}. */
export const tokenStatuses = ["active", "expired", "revoked", "rotated", "used"] as const;

/**
 * What the mock knows about a token, code or refresh token (see `mock.inspectToken`).
 *
 * @example
 * ```ts
 * expect(mock.inspectToken(oldRefreshToken)?.status).toBe("rotated");
 * ```
 */
export interface TokenInfo {
  readonly kind: TokenKind;
  readonly clientId: string;
  readonly scopes: readonly PinterestScope[];
  /** Epoch milliseconds on the mock's clock. */
  readonly expiresAt: number;
  readonly status: TokenStatus;
  /** How the token was obtained: through a user's consent or with the app's own credentials. */
  readonly grantType: "authorization_code" | "client_credentials";
  /** The tokens of one consent (its code, access and refresh tokens) share a grant id. */
  readonly grantId: number;
  /** Epoch milliseconds on the mock's clock. */
  readonly issuedAt: number;
}

/**
 * A code or token the mock still keeps, with its value (see `mock.listTokens` and the control API's
 * `GET /__pintoken/tokens`).
 *
 * @example
 * ```ts
 * const [refresh] = mock.listTokens({ kind: "refresh_token", status: "active" });
 * mock.revokeToken(refresh!.token); // as if the user removed the app: every token of the grant stops working
 * ```
 */
export interface IssuedToken extends TokenInfo {
  readonly token: string;
}

/** A token as stored. User tokens of one consent share a `grantId` (revoking the refresh token revokes them all). */
export interface TokenRecord {
  readonly value: string;
  readonly kind: TokenKind;
  readonly clientId: string;
  readonly scopes: readonly PinterestScope[];
  readonly grantType: "authorization_code" | "client_credentials";
  readonly grantId: number;
  /** Authorization codes only: the redirect URI the code was issued for. */
  readonly redirectUri?: string;
  readonly issuedAt: number;
  expiresAt: number;
  state: "active" | "revoked" | "rotated" | "used";
}

/** A random, URL-safe token with a prefix, e.g. `pina_3q2…`: 32 random bytes from `crypto.getRandomValues`. */
function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${base64url(crypto.getRandomValues(new Uint8Array(bytes)))}`;
}

/**
 * Token prefixes. `pina_` (access) and `pinr_` (refresh) follow Pinterest's quickstart mocks and real tokens;
 * ASSUMED: client-credentials tokens also start with `pina_`, and codes have no prefix.
 */
const tokenPrefix = { access: "pina_", refresh: "pinr_", code: "" } as const;

/**
 * Every code and token the mock has issued (up to `limits.tokens`: past it, dead ones are forgotten first, then the
 * oldest, down to 90% of the cap), on the mock's clock. (Not a `TokenStore` of `@pintoken/core`: those keep a client's
 * tokens; this is Pinterest's side, what it issued.)
 */
export class IssuedTokens {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #config: MockConfig;
  #nextGrant = 1;

  constructor(config: MockConfig) {
    this.#config = config;
  }

  /** A new authorization code, bound to the client, redirect URI and scopes. */
  createCode(clientId: string, redirectUri: string, scopes: readonly PinterestScope[]): TokenRecord {
    return this.#add("authorization_code", {
      clientId,
      scopes,
      grantType: "authorization_code",
      grantId: this.#nextGrant++,
      redirectUri,
    });
  }

  /** A new access token; for a user grant, pass the grant's id so revoking its refresh token revokes this too. */
  createAccessToken(
    clientId: string,
    scopes: readonly PinterestScope[],
    grant: { readonly grantType: TokenRecord["grantType"]; readonly grantId?: number },
  ): TokenRecord {
    return this.#add("access_token", {
      clientId,
      scopes,
      grantType: grant.grantType,
      grantId: grant.grantId ?? this.#nextGrant++,
    });
  }

  /** A new (continuous) refresh token of a user grant. */
  createRefreshToken(clientId: string, scopes: readonly PinterestScope[], grantId: number): TokenRecord {
    return this.#add("refresh_token", { clientId, scopes, grantType: "authorization_code", grantId });
  }

  find(value: string): TokenRecord | undefined {
    return this.#tokens.get(value);
  }

  status(record: TokenRecord): TokenStatus {
    if (record.state !== "active") return record.state;
    return this.#config.now() >= record.expiresAt ? "expired" : "active";
  }

  info(record: TokenRecord): TokenInfo {
    const { kind, clientId, scopes, expiresAt, grantType, grantId, issuedAt } = record;
    return { kind, clientId, scopes, expiresAt, grantType, grantId, issuedAt, status: this.status(record) };
  }

  /** Every code and token kept, oldest first, with its value. */
  list(): IssuedToken[] {
    return [...this.#tokens.values()].map((record) => ({ token: record.value, ...this.info(record) }));
  }

  get size(): number {
    return this.#tokens.size;
  }

  /**
   * Revokes a token. A refresh token takes every token of its grant with it (ASSUMED, as RFC 7009 §2.1 recommends:
   * "invalidate all access tokens based on the same authorization grant").
   */
  revoke(record: TokenRecord): void {
    if (record.kind !== "refresh_token") {
      if (record.state === "active") record.state = "revoked";
      return;
    }
    for (const other of this.#tokens.values()) {
      if (other.grantId === record.grantId && other.kind !== "authorization_code" && other.state === "active") {
        other.state = "revoked";
      }
    }
  }

  /** Makes every token of that kind expire now (tokens already expired keep their time); returns how many were valid. */
  expireAll(kind: TokenKind): number {
    const now = this.#config.now();
    let count = 0;
    for (const record of this.#tokens.values()) {
      if (record.kind === kind && record.expiresAt > now) {
        if (record.state === "active") count++;
        record.expiresAt = now;
      }
    }
    return count;
  }

  /** Revokes every access and refresh token still valid; returns how many. */
  revokeAll(): number {
    let count = 0;
    for (const record of this.#tokens.values()) {
      if (record.kind !== "authorization_code" && this.status(record) === "active") {
        record.state = "revoked";
        count++;
      }
    }
    return count;
  }

  clear(): void {
    this.#tokens.clear();
  }

  #add(kind: TokenKind, fields: Omit<TokenRecord, "value" | "kind" | "issuedAt" | "expiresAt" | "state">): TokenRecord {
    const [prefix, ttl] =
      kind === "access_token"
        ? [tokenPrefix.access, this.#config.ttlSeconds.accessToken]
        : kind === "refresh_token"
          ? [tokenPrefix.refresh, this.#config.ttlSeconds.refreshToken]
          : [tokenPrefix.code, this.#config.ttlSeconds.authorizationCode];
    if (this.#tokens.size >= this.#config.limits.tokens) this.#evict();
    const now = this.#config.now();
    const record: TokenRecord = {
      ...fields,
      value: randomToken(prefix),
      kind,
      issuedAt: now,
      expiresAt: now + ttl * 1000,
      state: "active",
    };
    this.#tokens.set(record.value, record);
    return record;
  }

  /**
   * Makes room: forgets every code and token that can no longer be used, then the oldest, until 90% of the cap is
   * left (so the next sweep is at least a tenth of the cap away: eviction costs O(1) per token on average).
   */
  #evict(): void {
    for (const [value, record] of this.#tokens) if (this.status(record) !== "active") this.#tokens.delete(value);
    const keep = Math.floor(this.#config.limits.tokens * 0.9);
    for (const value of this.#tokens.keys()) {
      if (this.#tokens.size <= keep) break;
      this.#tokens.delete(value);
    }
  }
}
