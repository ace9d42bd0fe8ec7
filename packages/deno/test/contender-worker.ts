/**
 * A contender as a Deno `Worker` (an isolate, as on Deno Deploy): gets the job in its first message, answers
 * `"ready"`, starts on `"go"`, and answers with the access tokens.
 */
import { type ContenderJob, prepareContender } from "./contender.ts";

/** The worker's global scope (typed here, so this file checks with the rest of the tests under `deno.window`). */
const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<ContenderJob | "go">) => void;
  postMessage(message: unknown): void;
};
let contender: Awaited<ReturnType<typeof prepareContender>> | undefined;

scope.onmessage = async (event) => {
  if (event.data !== "go") {
    contender = await prepareContender(event.data);
    scope.postMessage("ready");
  } else if (contender) {
    scope.postMessage(await contender.run());
  }
};
