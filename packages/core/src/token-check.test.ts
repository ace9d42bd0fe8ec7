import { describe, expect, it } from "vitest";
import { tokenBody } from "../test/helpers.ts";
import { tokenResponseShape } from "./generated/token-checks.gen.ts";
import { check } from "./token-check.ts";

describe("the token response check generated from the spec", () => {
  it("names an unknown response_type and lists the known ones", () => {
    expect(check(tokenResponseShape, { ...tokenBody("refresh_token"), response_type: "toString" })).toEqual([
      '/response_type: expected one of "authorization_code", "refresh_token", "client_credentials", "integration_refresh", got string "toString"',
    ]);
    expect(check(tokenResponseShape, { ...tokenBody("refresh_token"), response_type: 7 })).toEqual([
      expect.stringMatching(/^\/response_type: expected one of .*, got integer 7$/),
    ]);
  });

  it("rejects what is not an object, and never echoes a token", () => {
    for (const body of [[], null, "x", 3])
      expect(check(tokenResponseShape, body)).toEqual([expect.stringMatching(/^\(body\): expected object, got /)]);
    const issues = check(tokenResponseShape, {
      ...tokenBody("refresh_token"),
      expires_in: "pina_SECRET_TOKEN_VALUE_123456789",
    });
    expect(issues).toEqual(["/expires_in: expected integer, got a string of 33 characters"]);
  });
});
