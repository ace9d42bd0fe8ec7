/**
 * The background mock Pinterest of `pintoken --mock`: the first `--mock` command starts it (src/mock-server.ts, a
 * detached process on a free loopback port) and records where in `<configDir>/mock-server.json`; later commands use
 * the same one, so the tokens a `--mock login` got are the ones `--mock token` refreshes. It stops after 30 minutes
 * without calls, or when `--mock logout` signs out the last mock profile. A mock started again knows none of the old
 * tokens: its profiles must sign in again.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { replaceFile, sleep, withMutex } from "./file-lock.ts";

/** A running background mock, as recorded. */
export interface MockServerInfo {
  readonly pid: number;
  readonly url: string;
  readonly apiBaseUrl: string;
  readonly authorizationEndpoint: string;
  /** The redirect URIs its app accepts besides the mock's defaults. */
  readonly redirectUris: readonly string[];
}

const stateFile = (configDir: string) => join(configDir, "mock-server.json");

async function readState(configDir: string): Promise<MockServerInfo | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(configDir), "utf8")) as MockServerInfo;
  } catch {
    return undefined;
  }
}

/** Whether the recorded mock still answers (its control API, on loopback). */
async function answers(info: MockServerInfo): Promise<boolean> {
  try {
    const response = await fetch(`${info.url}/__pintoken`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && typeof ((await response.json()) as { apiBaseUrl?: unknown }).apiBaseUrl === "string";
  } catch {
    return false;
  }
}

/** The running mock, if any (nothing is started). */
export async function runningMock(configDir: string): Promise<MockServerInfo | undefined> {
  const info = await readState(configDir);
  return info && (await answers(info)) ? info : undefined;
}

/**
 * The background mock, started if none answers (or if it does not accept `redirectUri`: then it is restarted with
 * it, and the sessions of the old one end). Serialized across processes by a mutex, so concurrent commands start one.
 */
export async function ensureMock(
  configDir: string,
  { redirectUri }: { redirectUri?: string | undefined } = {},
): Promise<MockServerInfo & { started: boolean }> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  return withMutex(join(configDir, "mock-server.mutex"), async () => {
    const current = await runningMock(configDir);
    if (current && (!redirectUri || current.redirectUris.includes(redirectUri))) return { ...current, started: false };
    if (current) await stopProcess(current.pid);
    const redirectUris = [...new Set([...(current?.redirectUris ?? []), ...(redirectUri ? [redirectUri] : [])])];
    const info = { ...(await startMock(redirectUris)), redirectUris };
    await replaceFile(stateFile(configDir), `${JSON.stringify(info, null, 2)}\n`);
    return { ...info, started: true };
  });
}

/** Stops the background mock, if one runs. */
export async function stopMock(configDir: string): Promise<boolean> {
  const info = await readState(configDir);
  await unlink(stateFile(configDir)).catch(() => undefined);
  if (!info || !(await answers(info))) return false;
  await stopProcess(info.pid);
  return true;
}

async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  for (let waited = 0; waited < 5_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

/** Starts src/mock-server.ts (dist/mock-server.js) detached and reads the URLs it prints. */
function startMock(redirectUris: readonly string[]): Promise<Omit<MockServerInfo, "redirectUris">> {
  const script = fileURLToPath(new URL("./mock-server.js", import.meta.url));
  const child = spawn(process.execPath, [script, ...redirectUris.flatMap((uri) => ["--redirect-uri", uri])], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const failed = (why: string) => {
      lines.close();
      reject(new Error(`The mock Pinterest did not start (${why}).`));
    };
    child.once("error", (error) => failed(error.message));
    child.once("exit", (code) => failed(`it exited with code ${code}`));
    lines.once("line", (line) => {
      child.removeAllListeners("exit");
      lines.close();
      child.stdout.destroy();
      child.unref();
      try {
        resolve(JSON.parse(line) as Omit<MockServerInfo, "redirectUris">);
      } catch {
        reject(new Error(`The mock Pinterest printed something unexpected: ${line.slice(0, 200)}`));
      }
    });
  });
}
