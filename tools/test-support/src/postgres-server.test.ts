import pg from "pg";
import { expect, it } from "vitest";
import { startPostgres } from "./postgres-server.ts";

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

it("starts PostgreSQL on loopback in a throwaway cluster, keeps committed data across a kill and restart, and cleans up", async () => {
  const server = await startPostgres();
  try {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect(await query(server.url, "select current_setting('listen_addresses') as listen")).toEqual([
      { listen: "127.0.0.1" },
    ]);
    await query(server.url, "create table survivor (v text); insert into survivor values ('yes')");
    const first = server.pid;
    await server.kill();
    await expect(query(server.url, "select 1")).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.pid).not.toBe(first);
    expect(await query(server.url, "select v from survivor")).toEqual([{ v: "yes" }]);
  } finally {
    await server.stop();
  }
  await expect(query(server.url, "select 1")).rejects.toThrow(/ECONNREFUSED/);
}, 60_000);
