import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors.ts";
import { createKeepAliveRoute, type KeepAlive, type KeepAliveSummary } from "./keep-alive.ts";

const secret = "cron-secret-0123456789abcdef";
const summary: KeepAliveSummary = {
  listed: 2,
  refreshed: 2,
  alreadyFresh: 0,
  reauthorizationRequired: 0,
  transient: 0,
  unsaved: 0,
  signedOut: 0,
  rateLimited: 0,
  complete: true,
  startedAt: 1,
  durationMs: 5,
};

function counting(run: KeepAlive["run"] = async () => summary) {
  const calls: Parameters<KeepAlive["run"]>[0][] = [];
  const keepAlive: KeepAlive = {
    run: (options) => {
      calls.push(options);
      return run(options);
    },
  };
  return { keepAlive, calls };
}

const request = (authorization?: string, method = "GET") =>
  new Request("https://app.example/api/cron/keep-alive", {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });

describe("createKeepAliveRoute", () => {
  it("runs keep-alive for Authorization: Bearer <secret> and answers its summary, uncached", async () => {
    const { keepAlive, calls } = counting();
    const GET = createKeepAliveRoute({ keepAlive, secret, timeBudgetMs: 50_000 });
    const response = await GET(request(`Bearer ${secret}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual(summary);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ timeBudgetMs: 50_000 });
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("answers 401 and runs nothing without the secret, with a wrong one, or another scheme", async () => {
    const { keepAlive, calls } = counting();
    const GET = createKeepAliveRoute({ keepAlive, secret });
    for (const header of [
      undefined,
      "",
      "Bearer",
      `Bearer ${secret}x`,
      `Bearer ${secret.slice(1)}`,
      `Basic ${secret}`,
    ]) {
      const response = await GET(request(header));
      expect(response.status, String(header)).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(calls).toEqual([]);
  });

  it("answers 405 to other methods, 500 with the message when the run fails, and makes keepAlive once", async () => {
    let made = 0;
    let fail = true;
    const GET = createKeepAliveRoute({
      secret,
      keepAlive: () => {
        made++;
        return counting(async () => {
          if (fail) throw new Error("The PostgreSQL token store failed to list the due keys");
          return summary;
        }).keepAlive;
      },
    });
    expect((await GET(request(`Bearer ${secret}`, "PUT"))).status).toBe(405);
    const failed = await GET(request(`Bearer ${secret}`));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({
      error: { code: "keep_alive_failed", message: "The PostgreSQL token store failed to list the due keys" },
    });
    fail = false;
    expect((await GET(request(`Bearer ${secret}`, "POST"))).status).toBe(200);
    expect((await GET(request(`Bearer ${secret}`))).status).toBe(200);
    expect(made).toBe(2); // again after the failure, then kept
  });

  it("refuses a missing or short secret, and a missing keepAlive, at creation", () => {
    const { keepAlive } = counting();
    expect(() => createKeepAliveRoute({ keepAlive, secret: undefined })).toThrow(ConfigurationError);
    expect(() => createKeepAliveRoute({ keepAlive, secret: "short" })).toThrow(/at least 16 random characters/);
    expect(() => createKeepAliveRoute({ secret } as never)).toThrow(/needs keepAlive/);
  });
});
