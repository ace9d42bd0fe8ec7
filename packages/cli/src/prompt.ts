/** Questions on the terminal: a visible answer, or a hidden one (nothing echoed) for secrets. */
import { createInterface } from "node:readline";
import { InterruptedError, UsageError } from "./exit-codes.ts";
import type { OutputStream } from "./terminal.ts";

/** The terminal input the prompts read. */
export interface InputStream extends NodeJS.ReadableStream {
  readonly isTTY?: boolean | undefined;
  setRawMode?(mode: boolean): unknown;
}

/**
 * Asks `question` on `output` and reads one line from `input` (a terminal). With `hidden`, nothing typed is shown:
 * the terminal is put in raw mode and only Enter, Backspace and Ctrl+C are acted on. Ctrl+C rejects with an
 * {@link InterruptedError}. Without a terminal it throws a {@link UsageError} that says `unavailable`.
 */
export async function ask(
  input: InputStream,
  output: OutputStream,
  question: string,
  { hidden = false, unavailable }: { hidden?: boolean; unavailable: string },
): Promise<string> {
  if (input.isTTY !== true) throw new UsageError(unavailable);
  if (!hidden) {
    const lines = createInterface({ input, output: output as NodeJS.WritableStream, terminal: true });
    try {
      return await new Promise<string>((resolve, reject) => {
        lines.once("SIGINT", () => reject(new InterruptedError("Cancelled.")));
        lines.question(question, (answer) => resolve(answer.trim()));
      });
    } finally {
      lines.close();
    }
  }
  output.write(question);
  input.setRawMode?.(true);
  input.resume();
  let answer = "";
  let onData: ((chunk: Buffer | string) => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      onData = (chunk) => {
        for (const char of String(chunk)) {
          if (char === "\u0003") return reject(new InterruptedError("Cancelled."));
          if (char === "\r" || char === "\n" || char === "\u0004") return resolve(answer.trim());
          if (char === "\u007f" || char === "\b") answer = answer.slice(0, -1);
          else if (char >= " ") answer += char;
        }
      };
      input.on("data", onData);
    });
  } finally {
    if (onData) input.off("data", onData);
    input.setRawMode?.(false);
    input.pause();
    output.write("\n");
  }
}
