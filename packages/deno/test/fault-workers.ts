/**
 * The test's side of the KV outage tests: workers (`fault-worker.ts`) it drives and listens to, and a gate in front
 * of the mock Pinterest that holds a refresh request until the test lets it through. Waits are for what a worker
 * reports, never for a while: a wait that is not met within `guardMs` fails the test and says what was awaited.
 */
import type { ErrorReport, FaultCommand, FaultJob, FaultReport } from "./fault-worker.ts";

export type { ErrorReport, FaultJob, FaultReport };

/** Fails a wait that is not met by then (the machine may be loaded: this only catches a hang). */
const guardMs = 30_000;

/** A worker's report and its place in the order the worker sent them. */
export interface Seen<R extends FaultReport = FaultReport> {
  readonly report: R;
  readonly index: number;
}

/** A manager event as a worker reports it. */
export type ReportedEvent = Extract<FaultReport, { type: "event" }>["event"];

export interface FaultWorker {
  readonly name: string;
  /** Every report so far, in order. */
  readonly reports: readonly FaultReport[];
  /** The manager events so far, in order. */
  events(): ReportedEvent[];
  /** Runs a command in the worker: its value, or the error it threw (as a report). */
  send(command: FaultCommand): Promise<{ value?: unknown; error?: ErrorReport }>;
  /** The first report (already received or still to come) that `test` accepts. */
  until(what: string, test: (report: FaultReport, index: number) => boolean): Promise<Seen>;
  /** The first manager event of `type` (after report `after`, if given). */
  event(type: string, after?: number): Promise<Seen<Extract<FaultReport, { type: "event" }>>>;
  /** Ends the worker at once (a crash): what was awaited from it fails. */
  terminate(): void;
}

/** Resolves once `condition()` holds, checking every 20 ms; fails after `guardMs` saying what was awaited. */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + guardMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${guardMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a worker with its own KV handle and token manager; resolves once it is ready. */
export async function startFaultWorker(name: string, job: FaultJob): Promise<FaultWorker> {
  const worker = new Worker(new URL("./fault-worker.ts", import.meta.url), { type: "module" });
  const reports: FaultReport[] = [];
  const waiters = new Set<{ test: (report: FaultReport, index: number) => boolean; found: (seen: Seen) => void }>();
  let failure: Error | undefined;
  const fail = new Set<(error: Error) => void>();
  worker.onmessage = ({ data }: MessageEvent<FaultReport>) => {
    const index = reports.push(data) - 1;
    for (const waiter of waiters)
      if (waiter.test(data, index)) {
        waiters.delete(waiter);
        waiter.found({ report: data, index });
      }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    failure = new Error(`worker ${name} failed: ${event.message}`);
    for (const reject of fail) reject(failure);
  };

  const until = (what: string, test: (report: FaultReport, index: number) => boolean): Promise<Seen> => {
    const index = reports.findIndex(test);
    if (index >= 0) return Promise.resolve({ report: reports[index] as FaultReport, index });
    if (failure) return Promise.reject(failure);
    return new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        fail.delete(reject);
        reject(new Error(`worker ${name}: still waiting after ${guardMs} ms for ${what}`));
      }, guardMs);
      const waiter = {
        test,
        found: (seen: Seen) => {
          clearTimeout(timer);
          fail.delete(reject);
          resolve(seen);
        },
      };
      waiters.add(waiter);
      fail.add((error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  };

  let nextId = 0;
  const handle: FaultWorker = {
    name,
    reports,
    events: () => reports.flatMap((report) => (report.type === "event" ? [report.event] : [])),
    async send(command) {
      const id = nextId++;
      worker.postMessage({ id, command });
      const { report } = await until(`the end of ${command.type}`, (r) => r.type === "done" && r.id === id);
      const { value, error } = report as Extract<FaultReport, { type: "done" }>;
      return { value, ...(error && { error }) };
    },
    until,
    event: (type, after = -1) =>
      until(`event ${type}`, (r, index) => index > after && r.type === "event" && r.event.type === type) as Promise<
        Seen<Extract<FaultReport, { type: "event" }>>
      >,
    terminate() {
      worker.terminate();
      failure = new Error(`worker ${name} was terminated`);
      for (const reject of fail) reject(failure);
    },
  };
  worker.postMessage(job);
  try {
    await until("ready", (r) => r.type === "ready");
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return handle;
}

/** A refresh request held at the gate. */
export interface HeldRefresh {
  /** Resolves when the request has reached the gate (and is held there). */
  readonly arrived: Promise<void>;
  /** Lets it through to Pinterest. */
  release(): void;
}

/** A loopback HTTP gate in front of the mock Pinterest (`apiBaseUrl` is the mock's, through the gate). */
export interface PinterestGate extends AsyncDisposable {
  readonly apiBaseUrl: string;
  /** Holds the next refresh request (grant_type=refresh_token) until `release()`. */
  holdNextRefresh(): HeldRefresh;
}

/** Starts the gate on a free 127.0.0.1 port, forwarding every request to `upstreamBaseUrl`. */
export function gatePinterest(upstreamBaseUrl: string): PinterestGate {
  const upstream = new URL(upstreamBaseUrl);
  const holds: { arrive: () => void; gate: Promise<void> }[] = [];
  const releases = new Set<() => void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => undefined }, async (request) => {
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
    const hold = body && new URLSearchParams(body).get("grant_type") === "refresh_token" ? holds.shift() : undefined;
    if (hold) {
      hold.arrive();
      await hold.gate;
    }
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    for (const name of ["host", "content-length", "connection"]) headers.delete(name);
    const answer = await fetch(new URL(url.pathname + url.search, upstream), {
      method: request.method,
      headers,
      ...(body !== undefined && { body }),
    });
    const answerHeaders = new Headers(answer.headers);
    for (const name of ["content-length", "content-encoding", "transfer-encoding", "connection"])
      answerHeaders.delete(name);
    return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answerHeaders });
  });
  return {
    apiBaseUrl: `http://127.0.0.1:${server.addr.port}${upstream.pathname}`,
    holdNextRefresh() {
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      releases.add(release);
      holds.push({ arrive, gate });
      return { arrived, release };
    },
    async [Symbol.asyncDispose]() {
      for (const release of releases) release();
      await server.shutdown();
    },
  };
}
