import { MemoryTokenStore } from "@pintoken/core";
import { expectTypeOf, test } from "vitest";
import {
  createPinterestAuth,
  type ErrorJson,
  type LogoutJson,
  type PinterestApi,
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

test("api() is core's typed client: paths, parameters and answers come from Pinterest's spec", async () => {
  const api: PinterestApi = pinterest.api();
  const { data, error } = await api.GET("/user_account");
  if (data) expectTypeOf(data.username).toEqualTypeOf<string | undefined>();
  if (error) expectTypeOf(error).not.toBeAny();
  // @ts-expect-error: not a Pinterest path
  await api.GET("/no_such_path");
  // @ts-expect-error: the bound client takes no token: the session supplies it
  pinterest.api("pina_token");
  expectTypeOf(pinterest.forRequest(new Request("http://localhost/")).api()).toEqualTypeOf<PinterestApi>();
});
