import { describe, expect, test } from "vitest";
import { mockClient } from "../defaults.ts";
import { isLoopback } from "../loopback.ts";
import { describeServer, parseCliArgs, runCli } from "./run-cli.ts";
import type { MockPinterestServer } from "./start-mock-pinterest.ts";

describe("pintoken-mock arguments", () => {
  test("defaults: port 4010 on 127.0.0.1, the consent page shown, the default client", () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      options: { port: 4010, host: "127.0.0.1", autoApprove: false, clients: [mockClient] },
    });
  });

  test("every flag", () => {
    const command = parseCliArgs([
      "--port=0",
      "--host",
      "::1",
      "--auto-approve",
      "--client-id",
      "42",
      "--client-secret",
      "s3cret",
      "--redirect-uri",
      "http://localhost:5173/callback",
      "--redirect-uri",
      "http://localhost:5173/other",
    ]);
    expect(command).toEqual({
      help: false,
      options: {
        port: 0,
        host: "::1",
        autoApprove: true,
        clients: [
          {
            clientId: "42",
            clientSecret: "s3cret",
            redirectUris: ["http://localhost:5173/callback", "http://localhost:5173/other"],
            name: mockClient.name,
          },
        ],
      },
    });
  });

  test("--help", () => {
    expect(parseCliArgs(["--help"])).toEqual({ help: true });
  });

  test.each([
    [["--port", "http"], "--port must be a number from 0 to 65535, got http."],
    [["--port", "70000"], "--port must be a number from 0 to 65535, got 70000."],
    [["--redirect-uri", "/callback"], "--redirect-uri must be an absolute URL, got /callback."],
    [["--verbose"], "Unknown option '--verbose'"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  test("knows which hosts are loopback", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      ["0.0.0.0", "::", "192.168.1.10", "example.com", "127.0.0.1.nip.io", "::ffff:10.0.0.1"].map(isLoopback),
    ).toEqual([false, false, false, false, false, false]);
  });

  test("--help prints the usage and starts nothing", async () => {
    let out = "";
    const server = await runCli(["--help"], { out: (text) => (out += text), err: () => {} });
    expect(server).toBeUndefined();
    expect(out).toMatch(/^Usage: pintoken-mock \[options\]/);
    expect(out).toContain("--auto-approve");
  });

  test("prints the URLs, the registered app's credentials and the control API", () => {
    const server = {
      apiBaseUrl: "http://127.0.0.1:4010/v5",
      authorizationEndpoint: "http://127.0.0.1:4010/oauth/",
      controlUrl: "http://127.0.0.1:4010/__pintoken",
      mock: { clients: [mockClient] },
    } as unknown as MockPinterestServer;
    expect(describeServer(server, false).split("\n")).toEqual([
      "Mock Pinterest is running (these are test credentials, not real ones). Stop with Ctrl+C.",
      "  API base URL            http://127.0.0.1:4010/v5",
      "  Authorization endpoint  http://127.0.0.1:4010/oauth/",
      `  Client ID               ${mockClient.clientId}`,
      `  Client secret           ${mockClient.clientSecret}`,
      `  Redirect URIs           ${mockClient.redirectUris[0]}`,
      `                          ${mockClient.redirectUris[1]}`,
      "  Consent                 shown in the browser",
      "  Control API             http://127.0.0.1:4010/__pintoken (loopback only; createMockControl from @pintoken/mock)",
      "",
    ]);
  });
});
