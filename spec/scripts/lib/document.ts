import { readFile } from "node:fs/promises";
import { parse, stringify } from "yaml";

/** A parsed OpenAPI (or Overlay) document. */
export type Doc = Record<string, unknown>;

/**
 * Reads a JSON or YAML document from a file path or an http(s) URL.
 * Throws an error that names the source when it cannot be read or is not an object.
 */
export async function loadDocument(source: string): Promise<Doc> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(120_000) });
    } catch (error) {
      const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new Error(
        `Could not download ${source}: ${reason}. Check the URL and your network, or download the file and pass its path.`,
      );
    }
    if (!response.ok) {
      throw new Error(
        `Could not download ${source}: HTTP ${response.status}. Check the URL, or download the file and pass its path.`,
      );
    }
    text = await response.text();
  } else {
    try {
      text = await readFile(source, "utf8");
    } catch (error) {
      throw new Error(
        `Could not read ${source}: ${(error as Error).message}. Pass the path of a Pinterest OpenAPI description (JSON or YAML).`,
      );
    }
  }
  return parseDocument(text, source);
}

/** Parses JSON or YAML text (JSON is tried first: it is much faster on Pinterest's 2 MB file). */
export function parseDocument(text: string, source = "document"): Doc {
  let value: unknown;
  const trimmed = text.trimStart();
  try {
    value = trimmed.startsWith("{") ? JSON.parse(text) : parse(text, { maxAliasCount: -1 });
  } catch (error) {
    throw new Error(`${source} is neither valid JSON nor valid YAML: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${source} does not hold an object: expected an OpenAPI description.`);
  }
  return value as Doc;
}

/**
 * Serializes a document as YAML with a leading comment block; stable for identical input. `singleQuote` quotes
 * strings the way Pinterest's published openapi.yaml does (`'200':`, `$ref: '#/...'`).
 */
export function toYaml(doc: Doc, header: string[] = [], { singleQuote = false } = {}): string {
  const body = stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0, singleQuote });
  return header.map((line) => `# ${line}`.trimEnd()).join("\n") + (header.length ? "\n" : "") + body;
}

/**
 * Follows a local `$ref` (`#/components/<section>/<name>`, chains included) to the object it names; an object
 * without `$ref` is returned as is, and a `$ref` that points nowhere gives `undefined`.
 */
export function resolveRef(doc: Doc, node: Doc | undefined): Doc | undefined {
  const ref = node?.$ref;
  if (typeof ref !== "string") return node;
  const [, , section, name] = ref.split("/");
  const components = doc.components as Record<string, Record<string, Doc> | undefined> | undefined;
  return resolveRef(doc, components?.[section as string]?.[name as string]);
}

/** Deep copy of a JSON-compatible value. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
