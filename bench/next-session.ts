/**
 * `pnpm bench` (second part): what `GET /session` of `@pintoken/next` costs as an in-process Request → Response
 * call, against a handler that returns the same JSON without reading any cookie. Both get a fresh `Request` per
 * call and their body is read. Target: ratio ≤ 3 (the JWE decryption must not dominate). The session is signed in
 * for real against the mock Pinterest on 127.0.0.1 (loopback only).
 */
import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";
import { createPinterestAuth, type PinterestAuth } from "@pintoken/next";

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const perRound = Number(process.env.BENCH_BATCH ?? 40) * 50;
const maxRatio = 3;
const appOrigin = "http://localhost:3000";

const mock = await startMockPinterest({ port: 0, autoApprove: true });

/** Signs in through the app's own routes and the mock's consent page; returns the session cookie header. */
async function signIn(pinterest: PinterestAuth): Promise<string> {
  const login = await pinterest.handler(new Request(`${appOrigin}/api/pinterest/login`));
  const state = login.headers.getSetCookie()[0]?.split(";")[0] ?? "";
  const consent = await fetch(login.headers.get("location") ?? "", { redirect: "manual" });
  const back = new URL(consent.headers.get("location") ?? "");
  const callback = await pinterest.handler(
    new Request(`${appOrigin}${back.pathname}${back.search}`, { headers: { cookie: state } }),
  );
  const session = callback.headers.getSetCookie().find((line) => line.startsWith("pintoken.session="));
  if (!session) throw new Error(`sign-in failed: ${callback.headers.get("location")}`);
  return session.split(";")[0] ?? "";
}

type Handler = (request: Request) => Promise<Response>;
interface Contender {
  handler: Handler;
  /** The cookie header of each call, in turn. */
  cookies: string[];
}

/** Calls per second of each handler, measured in interleaved rounds (rotating order); the median round counts. */
async function opsPerSecond(handlers: Record<string, Contender>) {
  const entries = Object.entries(handlers);
  const samples = new Map(entries.map(([name]) => [name, [] as number[]]));
  let call = 0;
  const once = async ({ handler, cookies }: Contender) => {
    const cookie = cookies[call++ % cookies.length] ?? "";
    const response = await handler(new Request(`${appOrigin}/api/pinterest/session`, { headers: { cookie } }));
    await response.text();
  };
  for (const [, contender] of entries) for (let i = 0; i < 200; i++) await once(contender); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < entries.length; k++) {
      const [name, contender] = entries[(k + round) % entries.length] as (typeof entries)[number];
      const started = performance.now();
      for (let i = 0; i < perRound; i++) await once(contender);
      samples.get(name)?.push((perRound * 1000) / (performance.now() - started));
    }
  }
  return new Map(
    [...samples].map(([name, values]) => [name, values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0]),
  );
}

try {
  const options = {
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    secret: "bench-session-secret-0123456789-abcdefghij",
    baseUrl: mock.apiBaseUrl,
    authorizationEndpoint: mock.authorizationEndpoint,
    env: {},
  };
  const cookieMode = createPinterestAuth(options);
  const storeMode = createPinterestAuth({ ...options, store: new MemoryTokenStore() });
  const cookieSession = await signIn(cookieMode);
  const storeSession = await signIn(storeMode);
  // More sessions than the handler remembers verified cookies of (1000): each call decrypts a JWE.
  const coldApp = createPinterestAuth(options);
  const coldSessions: string[] = [];
  for (let i = 0; i < 1100; i++) coldSessions.push(await signIn(coldApp));
  const expected = await (
    await cookieMode.handler(new Request(`${appOrigin}/api/pinterest/session`, { headers: { cookie: cookieSession } }))
  ).text();
  if (!expected.includes('"authenticated"')) throw new Error(`not signed in: ${expected}`);

  const plain: Handler = async () =>
    new Response(expected, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
  const results = await opsPerSecond({
    "same JSON, no cookie (the floor)": { handler: plain, cookies: [""] },
    "GET /session, cookie mode": { handler: cookieMode.handler, cookies: [cookieSession] },
    "GET /session, store mode": { handler: storeMode.handler, cookies: [storeSession] },
  });
  const cold = await opsPerSecond({
    "same JSON, no cookie (the floor)": { handler: plain, cookies: [""] },
    "cookie mode, a cookie not seen before": { handler: coldApp.handler, cookies: coldSessions },
  });

  const floor = results.get("same JSON, no cookie (the floor)") ?? Number.NaN;
  console.log(`\nGET /session in process (median of ${rounds} rounds × ${perRound} calls)`);
  const line = (name: string, ops: number, base: number) =>
    console.log(
      `  ${name.padEnd(38)} ${Math.round(ops).toLocaleString("en").padStart(9)} ops/s   ×${(base / ops).toFixed(2)} the floor's time`,
    );
  let worst = 0;
  for (const [name, ops] of results) {
    worst = Math.max(worst, floor / ops);
    line(name, ops, floor);
  }
  const coldFloor = cold.get("same JSON, no cookie (the floor)") ?? Number.NaN;
  console.log("\nThe first request with a cookie (its JWE decrypted; later ones with the same cookie are remembered):");
  for (const [name, ops] of cold) line(name, ops, coldFloor);
  console.log(
    `\nTarget for GET /session: ×${maxRatio} or less. ${worst <= maxRatio ? "Met" : "NOT met"}. Node ${process.version}.`,
  );
  if (worst > maxRatio) process.exitCode = 1;
} finally {
  await mock.close();
}
