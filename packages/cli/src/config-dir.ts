import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * Where pintoken keeps its profiles: `PINTOKEN_CONFIG_DIR` if set; else `$XDG_CONFIG_HOME/pintoken` or
 * `~/.config/pintoken` on Linux and other Unix systems, `~/Library/Application Support/pintoken` on macOS and
 * `%APPDATA%\pintoken` on Windows.
 *
 * @example
 * ```ts
 * import { defaultConfigDir } from "@pintoken/cli";
 * console.log(defaultConfigDir()); // e.g. /home/ada/.config/pintoken
 * ```
 */
export function defaultConfigDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.PINTOKEN_CONFIG_DIR) return env.PINTOKEN_CONFIG_DIR;
  if (platform === "win32") return join(env.APPDATA || join(homedir(), "AppData", "Roaming"), "pintoken");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "pintoken");
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return join(xdg ?? join(homedir(), ".config"), "pintoken");
}
