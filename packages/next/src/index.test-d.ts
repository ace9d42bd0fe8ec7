import { MemoryTokenStore } from "@pintoken/core";
import { expectTypeOf, test } from "vitest";
import {
  createPinterestAuth,
  type ErrorJson,
  type LogoutJson,
  type PinterestAuth,
  type RouteHandler,
  type SessionJson,
} from "./index.ts";

declare const pinterest: PinterestAuth;

test("the handlers are plain fetch handlers, as App Router route files export them", () => {
  expectTypeOf(pinterest.handlers.GET).toEqualTypeOf<RouteHandler>();
  expectTypeOf(pinterest.handler).toEqualTypeOf<(request: Request) => Promise<Response>>();
  expectTypeOf(pinterest.proxy).parameter(0).toEqualTypeOf<Request>();
});

test("SessionJson narrows on status; tokens are nowhere in it", () => {
  const session = {} as SessionJson;
  if (session.status === "authenticated") {
    expectTypeOf(session.expiresAt).toEqualTypeOf<number>();
    expectTypeOf(session.refreshTokenExpiresAt).toEqualTypeOf<number | null>();
  }
  expectTypeOf<SessionJson>().not.toHaveProperty("accessToken");
  expectTypeOf<ErrorJson["error"]["code"]>().toExtend<string>();
  expectTypeOf<LogoutJson["revoked"]>().toEqualTypeOf<boolean>();
});

test("options are checked", () => {
  createPinterestAuth({ scopes: ["pins:read"], store: new MemoryTokenStore(), secret: ["new", "old"] });
  // @ts-expect-error: not a scope Pinterest declares
  createPinterestAuth({ scopes: ["pins:everything"] });
  // @ts-expect-error: a store must be a TokenStore
  createPinterestAuth({ store: new Map() });
  // @ts-expect-error: takes options, not a user id: the session comes from the request's cookie
  pinterest.getAccessToken("user-42");
});
