import { connect } from "node:net";
import { expect, it } from "vitest";
import { startRedisServer } from "./redis-server.ts";

/** Sends one inline command over a raw socket and resolves to the first reply line. */
function send(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`${command}\r\n`));
    socket.once("data", (data) => {
      resolve(String(data).split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

it("starts a redis-server on loopback that answers, keeps data across a restart when persistent, and cleans up", async () => {
  const server = await startRedisServer({ persistent: true });
  try {
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await send(server.port, "PING")).toBe("+PONG");
    expect(await send(server.port, "SET survivor yes")).toBe("+OK");
    const first = server.pid;
    await server.kill();
    await expect(send(server.port, "PING")).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.pid).not.toBe(first);
    expect(await send(server.port, "GET survivor")).toBe("$3");
  } finally {
    await server.stop();
  }
  await expect(send(server.port, "PING")).rejects.toThrow(/ECONNREFUSED/);
}, 60_000);

it("keeps nothing on disk unless asked to", async () => {
  const server = await startRedisServer();
  try {
    expect(await send(server.port, "CONFIG GET appendonly")).toBe("*2");
    expect(await send(server.port, "SET gone yes")).toBe("+OK");
    await server.kill();
    await server.restart();
    expect(await send(server.port, "GET gone")).toBe("$-1");
  } finally {
    await server.stop();
  }
}, 60_000);
