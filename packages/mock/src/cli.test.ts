import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createMockControl } from "./control/control-client.ts";
import { mockClient } from "./defaults.ts";

// One mock server for this file: the CLI itself, run as a child process the way `pintoken-mock` runs. It runs from
// source (tsx, and the workspace's `@pintoken/source` condition so `@pintoken/core` resolves to its source too), so
// the test needs no build of this package or of core: it works from a clean checkout.
let child: ChildProcess;
let output = "";

beforeAll(async () => {
  const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
  child = spawn(
    process.execPath,
    ["--conditions=@pintoken/source", "--import", "tsx", cli, "--port", "0", "--auto-approve"],
    {
      env: { ...process.env, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    output += text;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (text: string) => {
      output += text;
      if (output.includes("Control API")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`pintoken-mock exited with ${code}:\n${output}`)));
  });
}, 20_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
});

test("pintoken-mock prints its URLs and credentials, serves the API and the control API, and exits cleanly on SIGTERM", async () => {
  const apiBaseUrl = /API base URL\s+(\S+)/.exec(output)?.[1] as string;
  expect(apiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v5$/);
  expect(output).toMatch(/Authorization endpoint\s+http:\/\/127\.0\.0\.1:\d+\/oauth\//);
  expect(output).toContain(mockClient.clientId);
  expect(output).toContain(mockClient.clientSecret);
  expect(output).toContain("approved automatically (--auto-approve)");

  const response = await fetch(`${apiBaseUrl}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${mockClient.clientId}:${mockClient.clientSecret}`)}` },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "pins:read" }),
  });
  expect(response.status).toBe(200);

  const controlUrl = /Control API\s+(\S+)/.exec(output)?.[1] as string;
  expect(controlUrl).toBe(apiBaseUrl.replace(/\/v5$/, "/__pintoken"));
  const control = createMockControl(controlUrl);
  expect((await control.calls({ operationId: "oauth/token" })).map((call) => call.status)).toEqual([200]);
  await control.addScenario({ grantType: "client_credentials", fault: { kind: "serverError", status: 503 } });
  const failed = await fetch(`${apiBaseUrl}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${mockClient.clientId}:${mockClient.clientSecret}`)}` },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "pins:read" }),
  });
  expect(failed.status).toBe(503);

  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  expect(code).toBe(0);
});
