/** `pintoken`'s command line: the options of each command, the dispatch, and errors turned into exit codes. */
import { readFileSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { ReauthorizationRequiredError } from "@pintoken/core";
import { type Context, createContext, type Io, loginCommand } from "./context.ts";
import { exitCodeOf, InterruptedError, UsageError } from "./exit-codes.ts";
import { commandHelp } from "./help.ts";
import { styles, useColor } from "./terminal.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Each command's module is loaded when it runs: `pintoken token`, the one scripts call most, loads the least. */
const session = () => import("./commands/session.ts");

const global: Options = {
  profile: { type: "string" },
  mock: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const commands: Record<
  string,
  {
    options: Options;
    positionals?: boolean;
    run(context: Context, values: Record<string, unknown>, positionals: string[]): Promise<number>;
  }
> = {
  login: {
    options: {
      scopes: { type: "string" },
      port: { type: "string" },
      "redirect-uri": { type: "string" },
      "no-browser": { type: "boolean" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
    },
    run: async (context, values) => (await import("./commands/login.ts")).login(context, values),
  },
  token: { options: {}, run: async (context) => (await session()).token(context) },
  status: {
    options: { offline: { type: "boolean" }, json: { type: "boolean" } },
    run: async (context, values) => (await session()).status(context, values),
  },
  logout: { options: {}, run: async (context) => (await session()).logout(context) },
  profiles: {
    options: { json: { type: "boolean" } },
    run: async (context, values) => (await session()).profiles(context, values),
  },
  api: {
    options: {
      "raw-field": { type: "string", short: "f", multiple: true },
      field: { type: "string", short: "F", multiple: true },
      input: { type: "string" },
      paginate: { type: "boolean" },
      json: { type: "boolean" },
    },
    positionals: true,
    run: async (context, values, positionals) => (await import("./commands/api.ts")).api(context, positionals, values),
  },
};

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

/** Runs `pintoken` with `args` and resolves with its exit code; errors are printed on stderr, never with a token. */
export async function main(args: readonly string[], io: Io): Promise<number> {
  const color = styles(useColor(io.stderr, io.env));
  let context: Context | undefined;
  try {
    const name = args.find((arg) => !arg.startsWith("-") && !isValueOfGlobal(args, arg));
    const command = name === undefined ? undefined : commands[name === "help" ? "" : name];
    if (name === "help") {
      const topic = args[args.indexOf("help") + 1];
      io.stdout.write(`${commandHelp[topic && commandHelp[topic] ? topic : "pintoken"]}\n`);
      return 0;
    }
    if (!command) {
      if (args.includes("--version")) {
        io.stdout.write(`${version()}\n`);
        return 0;
      }
      if (name === undefined || args.includes("--help") || args.includes("-h")) {
        io.stdout.write(`${commandHelp.pintoken}\n`);
        return name === undefined && !args.includes("--help") && !args.includes("-h") ? 1 : 0;
      }
      throw new UsageError(
        `Unknown command ${JSON.stringify(name)}. Commands: ${Object.keys(commands).join(", ")} (pintoken --help).`,
      );
    }
    const rest = args.filter((_, index) => index !== args.indexOf(name as string));
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...global, ...command.options },
        allowPositionals: command.positionals === true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(
        `${(error as Error).message.replace(/\. To specify.*$/s, ".")} See pintoken ${name} --help.`,
      );
    }
    const values = parsed.values as Record<string, unknown>;
    if (values.help) {
      io.stdout.write(`${commandHelp[name as string]}\n`);
      return 0;
    }
    context = createContext(io, {
      profile: values.profile as string | undefined,
      mock: values.mock === true,
      verbose: values.verbose === true,
    });
    return await command.run(context, values, parsed.positionals);
  } catch (thrown) {
    const error =
      io.signal.aborted && !(thrown instanceof InterruptedError) ? new InterruptedError("Cancelled.") : thrown;
    io.stderr.write(`${color.red("pintoken:")} ${messageOf(error)}\n`);
    const hint = context && hintFor(context, error);
    if (hint) io.stderr.write(`  ${hint}\n`);
    if (io.env.PINTOKEN_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCodeOf(error);
  }
}

/** `--profile x`: `x` is the option's value, not the command. */
function isValueOfGlobal(args: readonly string[], arg: string): boolean {
  const index = args.indexOf(arg);
  return index > 0 && args[index - 1] === "--profile";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What to do next, for the errors that have one obvious next step. */
function hintFor(context: Context, error: unknown): string | undefined {
  if (error instanceof ReauthorizationRequiredError) return `Sign in again: ${loginCommand(context)}`;
  return undefined;
}
