import { describe, expectTypeOf, it } from "vitest";
import {
  type AuthStore,
  createAuthStore,
  type PinterestAuth,
  PinterestAuthError,
  type PinterestAuthErrorCode,
  type PinterestSession,
  type SessionJson,
  useExpiresIn,
  usePinterestAuth,
} from "./index.ts";

declare const auth: ReturnType<typeof usePinterestAuth>;

describe("usePinterestAuth()", () => {
  it("is a union discriminated on status: session is non-null exactly when authenticated", () => {
    expectTypeOf(usePinterestAuth).returns.toEqualTypeOf<PinterestAuth>();
    expectTypeOf(auth.status).toEqualTypeOf<"loading" | "authenticated" | "unauthenticated" | "error">();
    expectTypeOf(auth.session).toEqualTypeOf<PinterestSession | null>();
    if (auth.status === "authenticated") {
      expectTypeOf(auth.session).toEqualTypeOf<PinterestSession>();
      expectTypeOf(auth.session.scopes).toEqualTypeOf<readonly string[]>();
      expectTypeOf(auth.session.expiresAt).toEqualTypeOf<number>();
      expectTypeOf(auth.session.refreshTokenExpiresAt).toEqualTypeOf<number | null>();
      expectTypeOf(auth.session.expiresIn).toEqualTypeOf<() => number>();
      expectTypeOf(auth.error).toEqualTypeOf<PinterestAuthError | null>();
    } else {
      expectTypeOf(auth.session).toEqualTypeOf<null>();
    }
    if (auth.status === "error") expectTypeOf(auth.error).toEqualTypeOf<PinterestAuthError>();
    if (auth.status === "loading") expectTypeOf(auth.error).toEqualTypeOf<null>();
    // @ts-expect-error: the session may be null until status is narrowed to "authenticated"
    void auth.session.scopes;
    // @ts-expect-error: there is no such status
    if (auth.status === "signed-in") void 0;
  });

  it("has the actions on every state", () => {
    expectTypeOf(auth.login).toEqualTypeOf<
      (options?: { returnTo?: string; scopes?: readonly import("@pintoken/core").PinterestScope[] }) => void
    >();
    expectTypeOf(auth.logout).returns.resolves.toEqualTypeOf<PinterestAuth>();
    expectTypeOf(auth.refresh).returns.resolves.toEqualTypeOf<PinterestAuth>();
    expectTypeOf(auth.reload).toEqualTypeOf<() => Promise<PinterestAuth>>();
    auth.login();
    auth.login({ returnTo: "/boards", scopes: ["pins:read", "boards:write"] });
    // @ts-expect-error: a typo in a scope name
    auth.login({ scopes: ["pins:reed"] });
    // @ts-expect-error: scopes are a list, not Pinterest's comma-joined string
    auth.login({ scopes: "pins:read,boards:read" });
  });
});

describe("errors and session JSON", () => {
  it("PinterestAuthError has a stable code, a status and is an Error", () => {
    const error = new PinterestAuthError("network_error", "Could not reach …");
    expectTypeOf(error).toExtend<Error>();
    expectTypeOf(error.code).toEqualTypeOf<PinterestAuthErrorCode>();
    expectTypeOf(error.status).toEqualTypeOf<number | undefined>();
    expectTypeOf<"reauthorization_required">().toExtend<PinterestAuthErrorCode>();
  });

  it("SessionJson is the contract's union", () => {
    expectTypeOf<Extract<SessionJson, { status: "authenticated" }>>().toEqualTypeOf<{
      status: "authenticated";
      scopes: string[];
      expiresAt: number;
      refreshTokenExpiresAt: number | null;
    }>();
    const dated = {
      status: "authenticated",
      scopes: [],
      expiresAt: "2026-01-01",
      refreshTokenExpiresAt: null,
    } as const;
    // @ts-expect-error: expiresAt is epoch milliseconds, not a date string
    const wrong: SessionJson = dated;
    void wrong;
  });
});

describe("the store and useExpiresIn", () => {
  it("the store's snapshot is what the hook returns", () => {
    const store = createAuthStore({ basePath: "/api/pinterest", initialSession: null });
    expectTypeOf(store).toEqualTypeOf<AuthStore>();
    expectTypeOf(store.getState()).toEqualTypeOf<PinterestAuth>();
    expectTypeOf(store.mount()).toEqualTypeOf<() => void>();
    // @ts-expect-error: initialSession is session JSON, not a token set
    createAuthStore({ initialSession: { accessToken: "pina_…" } });
  });

  it("useExpiresIn() is milliseconds or null", () => {
    expectTypeOf(useExpiresIn).returns.toEqualTypeOf<number | null>();
    expectTypeOf(useExpiresIn).parameters.toEqualTypeOf<[intervalMs?: number]>();
  });
});
