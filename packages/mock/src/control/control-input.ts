/** A control request the API refuses: the status and a message that says what to fix. */
export class ControlRefusal extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A JSON body's fields, checked one by one: every read says what was expected, and unknown fields are refused. */
export interface ControlBody {
  string(name: string): string;
  optionalString(name: string): string | undefined;
  number(name: string): number;
  stringList(name: string): string[];
  /** The raw value, for checks that have their own messages (faults, targets). */
  raw(name: string): unknown;
  /** Throws for any field no read asked for, so a typo never silently widens what a call does. */
  done(): void;
}

/** Parses a control request's body: empty, or a JSON object. */
export async function readControlBody(request: Request, where: string): Promise<ControlBody> {
  const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ControlRefusal(400, `The body of ${where} is not JSON: send a JSON object.`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlRefusal(400, `The body of ${where} must be a JSON object.`);
  }
  const fields = value as Record<string, unknown>;
  const read = new Set<string>();
  const get = (name: string) => {
    read.add(name);
    return fields[name];
  };
  const wrong = (name: string, expected: string) =>
    new ControlRefusal(
      400,
      `${where}: "${name}" must be ${expected}, got ${JSON.stringify(fields[name]) ?? "nothing"}.`,
    );
  return {
    string(name) {
      const field = get(name);
      if (typeof field !== "string") throw wrong(name, "a string");
      return field;
    },
    optionalString(name) {
      const field = get(name);
      if (field !== undefined && typeof field !== "string") throw wrong(name, "a string");
      return field;
    },
    stringList(name) {
      const field = get(name);
      if (!Array.isArray(field) || !field.every((item) => typeof item === "string")) {
        throw wrong(name, "an array of strings");
      }
      return field;
    },
    number(name) {
      const field = get(name);
      if (typeof field !== "number" || !Number.isFinite(field)) throw wrong(name, "a finite number");
      return field;
    },
    raw: get,
    done() {
      const unknown = Object.keys(fields).filter((name) => !read.has(name));
      if (unknown.length > 0) {
        throw new ControlRefusal(
          400,
          `${where} does not take ${unknown.map((name) => `"${name}"`).join(", ")}: it takes ${[...read].map((name) => `"${name}"`).join(", ") || "no fields"}.`,
        );
      }
    },
  };
}

/** A query parameter that must be one of `allowed` when present. */
export function oneOf<T extends string>(url: URL, name: string, allowed: readonly T[]): T | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  if (!allowed.includes(value as T)) {
    throw new ControlRefusal(400, `Query parameter ${name} must be one of ${allowed.join(", ")}, got "${value}".`);
  }
  return value as T;
}
