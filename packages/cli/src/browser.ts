/** Opens a URL in the user's browser, where there is one. */
import { spawn } from "node:child_process";

/**
 * Opens `url` with `$BROWSER`, or the platform's opener (`open` on macOS, `rundll32` on Windows, `xdg-open` on Linux
 * with a display). Resolves whether a browser was started: false without a display, when the opener is missing or
 * fails at once; the caller then prints the URL.
 */
export function openBrowser(url: string, env: Readonly<Record<string, string | undefined>>): Promise<boolean> {
  const [command, ...args] = opener(url, env) ?? [];
  if (!command) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore", detached: process.platform !== "win32", env });
    const timer = setTimeout(() => {
      child.unref();
      resolve(true); // still running after 1.5 s: a browser started by it, or the browser itself
    }, 1_500);
    child.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

function opener(url: string, env: Readonly<Record<string, string | undefined>>): string[] | undefined {
  if (env.BROWSER) return env.BROWSER === "none" ? undefined : [env.BROWSER, url];
  if (process.platform === "darwin") return ["open", url];
  if (process.platform === "win32") return ["rundll32", "url.dll,FileProtocolHandler", url];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return ["xdg-open", url];
}
