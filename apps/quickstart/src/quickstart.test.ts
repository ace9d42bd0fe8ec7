import { describe, expect, it } from "vitest";
import { runQuickstart, shorten } from "./quickstart.ts";

describe("quickstart", () => {
  it("runs the whole flow against the mock over HTTP", async () => {
    const lines: string[] = [];
    const result = await runQuickstart((line) => lines.push(line));
    const url = new URL(result.authorizationUrl);
    expect(url.hostname).toBe("127.0.0.1");
    expect(url.pathname).toBe("/oauth/");
    expect(url.searchParams.get("scope")).toBe("user_accounts:read,pins:read");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(result.username).toBe("pintoken_demo");
    expect(result.rotatedRefreshToken).toMatch(/^pinr_/);
    expect(result.rotatedRefreshToken).not.toBe(result.firstRefreshToken);
    expect(result.oldRefreshTokenRejected).toBe(true);
    const output = lines.join("\n");
    expect(output).toContain("state matches the one we sent");
    expect(output).toContain("GET /user_account → HTTP 200 after a refresh");
    expect(output).toContain("revoked; stored tokens: none");
    expect(output).not.toContain(result.rotatedRefreshToken);
  });

  it("shortens tokens so they cannot be used from the output", () => {
    expect(shorten("pina_0123456789abcdefghijkl")).toBe("pina_0123…(27 chars)");
    expect(shorten(undefined)).toBe("(none)");
  });
});
