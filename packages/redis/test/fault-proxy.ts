/**
 * A TCP proxy between a Redis client and a real redis-server on loopback, which plays faults on the next commands: a
 * reply lost after Redis ran the command (the connection then drops), a delayed reply, or an error reply such as
 * `LOADING` that Redis gives while it reloads its data. Everything else passes through untouched.
 */
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";

/** A fault the proxy plays on one command (one chunk the client writes). */
export type ProxyFault =
  | { readonly kind: "drop-reply" }
  | { readonly kind: "delay-reply"; readonly ms: number }
  | { readonly kind: "error-reply"; readonly reply: string };

export interface FaultProxy {
  readonly url: string;
  /** Plays `fault` on each of the next `times` commands. */
  next(fault: ProxyFault, times?: number): void;
  /** Commands the client sent through the proxy (chunks), faults included. */
  readonly commands: number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const plan: ProxyFault[] = [];
  const sockets = new Set<Socket>();
  let commands = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
    /** Replies to forward late, or to drop (and then drop the connection), in the order the commands came. */
    const replyFaults: (ProxyFault | undefined)[] = [];
    client.on("data", (chunk) => {
      commands++;
      const fault = plan.shift();
      if (fault?.kind === "error-reply") {
        client.write(`-${fault.reply}\r\n`);
        return;
      }
      replyFaults.push(fault);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      const fault = replyFaults.shift();
      if (fault?.kind === "drop-reply") return end(); // Redis ran the command; its answer never arrives
      if (fault?.kind === "delay-reply") setTimeout(() => client.write(chunk), fault.ms);
      else client.write(chunk);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    next(fault, times = 1) {
      for (let i = 0; i < times; i++) plan.push(fault);
    },
    get commands() {
      return commands;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
