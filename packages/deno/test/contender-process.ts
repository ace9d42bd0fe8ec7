/**
 * A contender as its own process: `deno run … contender-process.ts '<job JSON>'`. Prints `ready` once prepared,
 * starts when a line arrives on stdin (so every process starts at once), then prints the access tokens as JSON.
 */
import { type ContenderJob, prepareContender } from "./contender.ts";

const contender = await prepareContender(JSON.parse(Deno.args[0] ?? "") as ContenderJob);
console.log("ready");
await Deno.stdin.readable.getReader().read();
console.log(JSON.stringify(await contender.run()));
