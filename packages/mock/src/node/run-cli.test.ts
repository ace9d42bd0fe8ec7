import { describe, expect, test } from "vitest";
import { mockClient } from "../defaults.ts";
import { describeServer, envLines, parseCliArgs, runCli } from "./run-cli.ts";
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

  test("--app-url registers the app's callback (and its localhost/127.0.0.1 twin) and is kept for its env lines", () => {
    const command = parseCliArgs(["--app-url", "http://localhost:3310", "--redirect-uri", "http://localhost:5173/cb"]);
    expect(command).toMatchObject({
      help: false,
      appUrl: "http://localhost:3310",
      options: {
        clients: [
          {
            redirectUris: [
              "http://localhost:3310/api/pinterest/callback",
              "http://127.0.0.1:3310/api/pinterest/callback",
              "http://localhost:5173/cb",
            ],
          },
        ],
      },
    });
    expect(parseCliArgs(["--app-url", "https://app.example/"])).toMatchObject({
      appUrl: "https://app.example",
      options: { clients: [{ redirectUris: ["https://app.example/api/pinterest/callback"] }] },
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
    [
      ["--app-url", "localhost:3000"],
      "--app-url must be the app's origin, such as http://localhost:3000, got localhost:3000.",
    ],
    [["--app-url", "http://localhost:3000/app"], "--app-url must be the app's origin"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
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

  test("prints the .env.local lines that point an app at the mock", () => {
    const server = {
      apiBaseUrl: "http://127.0.0.1:4321/v5",
      authorizationEndpoint: "http://127.0.0.1:4321/oauth/",
      mock: { clients: [mockClient] },
    } as unknown as MockPinterestServer;
    const text = envLines(server, "http://localhost:3310", "c2VjcmV0");
    expect(text).toContain("http://localhost:3310/api/pinterest/callback is registered");
    expect(text.split("\n").filter((line) => /^[A-Z_]+=/.test(line))).toEqual([
      `PINTEREST_CLIENT_ID=${mockClient.clientId}`,
      `PINTEREST_CLIENT_SECRET=${mockClient.clientSecret}`,
      "PINTEREST_API_BASE_URL=http://127.0.0.1:4321/v5",
      "PINTEREST_AUTHORIZATION_URL=http://127.0.0.1:4321/oauth/",
      "PINTOKEN_SECRET=c2VjcmV0",
    ]);
    const fresh = /PINTOKEN_SECRET=(\S+)/.exec(envLines(server, "http://localhost:3310"))?.[1] ?? "";
    expect(Buffer.from(fresh, "base64")).toHaveLength(32);
  });

  test("--app-url prints the env lines once the server is up", async () => {
    let out = "";
    const server = await runCli(["--port", "0", "--app-url", "http://localhost:3310"], {
      out: (text) => (out += text),
      err: () => {},
    });
    try {
      expect(out).toContain(`PINTEREST_API_BASE_URL=${server?.apiBaseUrl}`);
      expect(server?.mock.clients[0]?.redirectUris).toContain("http://localhost:3310/api/pinterest/callback");
    } finally {
      await server?.close();
    }
  });
});
