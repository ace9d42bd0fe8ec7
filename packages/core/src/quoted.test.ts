import { expect, it } from "vitest";
import { quoted } from "./quoted.ts";

it("puts server text on one line, cuts it short and blanks token-shaped strings", () => {
  expect(quoted("Invalid\r\nSet-Cookie: a=1\u2028and\u0000more", 100)).toBe("Invalid Set-Cookie: a=1 and more");
  expect(quoted("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
  expect(quoted("you sent pinr_abcdefgh12345 and pina.eyJhbGciOi", 100)).toBe("you sent [redacted] and [redacted]");
  expect(quoted("The authorization grant is invalid", 300)).toBe("The authorization grant is invalid");
  expect(quoted("pinterest pins", 100)).toBe("pinterest pins");
});
