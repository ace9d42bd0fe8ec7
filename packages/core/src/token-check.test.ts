import { describe, expect, it } from "vitest";
import { tokenBody } from "../test/helpers.ts";
import { schemas } from "./generated/schemas.gen.ts";
import { errorShape, tokenResponseShape } from "./generated/token-checks.gen.ts";
import { check } from "./token-check.ts";
import { formatIssues, validate } from "./validate.ts";

const kinds = ["authorization_code", "refresh_token", "client_credentials", "integration_refresh"] as const;
const wrong: Record<string, unknown[]> = { string: [42, null, {}], integer: ["30", 1.5, true, null] };

/** Every body the test tries: each variant as the spec describes it, then with each field left out or wrong. */
function variations(): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    const { response_type: _, ...untagged } = tokenBody(kind);
    for (const base of [tokenBody(kind), untagged] as Record<string, unknown>[]) {
      bodies.push(base);
      for (const [name, field] of Object.entries(tokenResponseShape.fields)) {
        const { [name]: __, ...without } = base;
        bodies.push(without);
        for (const value of wrong[field[0]] ?? []) bodies.push({ ...base, [name]: value });
      }
    }
  }
  return bodies;
}

describe("the token response check generated from the spec", () => {
  it("agrees with the generic validator on every variant, each field missing or of a wrong type", () => {
    const bodies = variations();
    expect(bodies.length).toBeGreaterThan(100);
    for (const body of bodies) {
      const generic = formatIssues(validate(schemas, "OauthAccessTokenResponse", body));
      const issues = check(tokenResponseShape, body);
      // Without response_type, the spec lets a body carry a field with any type when some variant that does not
      // declare it matches. The specialised check then types the field wherever a variant declares it (toTokenSet
      // reads it). With response_type, it agrees exactly: a field the variant leaves out is not checked.
      const onlyStricter = body.response_type === undefined && generic === "" && issues.length === 1;
      if (onlyStricter) expect(issues[0]).toMatch(/^\/refresh_token(_expires_(in|at))?: expected (string|integer)/);
      else expect({ body, issues: issues.join("; ") }).toEqual({ body, issues: generic });
    }
  });

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

  it("checks Pinterest's error body like the generic validator", () => {
    for (const body of [
      { code: 283, message: "The authorization grant is invalid" },
      { code: "283" },
      { message: 1 },
      {},
    ])
      expect(check(errorShape, body).join("; ")).toBe(formatIssues(validate(schemas, "Error", body)));
  });
});
