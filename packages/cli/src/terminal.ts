/** What the CLI writes to: colour and the spinner only on a terminal, never with `NO_COLOR`. */

/** A stream the CLI writes to (process.stdout / process.stderr, or a test's). */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** Whether to colour what goes to `stream`: a terminal, no `NO_COLOR`, not `TERM=dumb` (`FORCE_COLOR` forces it). */
export function useColor(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** ANSI styles, or plain text when colour is off. */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export function styles(enabled: boolean): Styles {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
  };
}

/** A spinner with a message. */
export interface Spinner {
  /** Stops it and clears its line (then prints `line`, if given). */
  stop(line?: string): void;
}

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Shows `message` with a spinner on `stream` while something is awaited: animated on a terminal, a plain line
 * elsewhere (logs, CI, pipes get no control characters).
 */
export function startSpinner(stream: OutputStream, message: string, color: Styles): Spinner {
  if (stream.isTTY !== true) {
    stream.write(`${message}\n`);
    return { stop: (line) => line !== undefined && stream.write(`${line}\n`) };
  }
  let frame = 0;
  const draw = () => stream.write(`\r\u001b[K${color.cyan(frames[frame++ % frames.length] as string)} ${message}`);
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    stop(line) {
      clearInterval(timer);
      stream.write("\r\u001b[K");
      if (line !== undefined) stream.write(`${line}\n`);
    },
  };
}
