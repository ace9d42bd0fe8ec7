import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import yaml from "js-yaml";

/** A parsed OpenAPI (or Overlay) document. */
export type Doc = Record<string, unknown>;

/** The text of a description as read, and the SHA-256 of its bytes (what the upstream header records). */
export interface SourceText {
  text: string;
  sha256: string;
}

/**
 * Reads the text of a JSON or YAML document from a file path or an http(s) URL.
 * Throws an error that names the source when it cannot be read.
 */
export async function readSource(source: string): Promise<SourceText> {
  let bytes: Buffer;
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
    bytes = Buffer.from(await response.arrayBuffer());
  } else {
    try {
      bytes = await readFile(source);
    } catch (error) {
      throw new Error(
        `Could not read ${source}: ${(error as Error).message}. Pass the path of a Pinterest OpenAPI description (JSON or YAML).`,
      );
    }
  }
  return { text: bytes.toString("utf8"), sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Reads and parses a JSON or YAML document from a file path or an http(s) URL. */
export async function loadDocument(source: string): Promise<Doc> {
  return parseDocument((await readSource(source)).text, source);
}

/**
 * Parses JSON or YAML text. YAML is read with the YAML 1.2 core schema, so that a date-like or binary-like plain
 * scalar stays the string JSON would have made it.
 */
export function parseDocument(text: string, source = "document"): Doc {
  let value: unknown;
  try {
    value = text.trimStart().startsWith("{") ? JSON.parse(text) : yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    throw new Error(`${source} is neither valid JSON nor valid YAML: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${source} does not hold an object: expected an OpenAPI description.`);
  }
  return value as Doc;
}

/**
 * Serializes a document as YAML (js-yaml) with a leading comment block: keys in document order, no anchors, no folded
 * lines, single quotes where a string needs quoting (`'200':`, `$ref: '#/…'`), like Pinterest's published
 * openapi.yaml. Stable for identical input, and read back by {@link parseDocument} as the same document.
 */
export function toYaml(doc: Doc, header: string[] = []): string {
  const body = yaml.dump(doc, { lineWidth: -1, noRefs: true });
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
