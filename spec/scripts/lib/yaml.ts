import * as jsYaml from "js-yaml";

/**
 * Writes a JSON-compatible value as YAML, byte for byte as js-yaml's `dump(value, { lineWidth: -1, noRefs: true })`
 * writes it, in a fraction of the time: what `pnpm spec:update` and `pnpm generate` write spec/upstream/openapi.yaml
 * and spec/openapi.yaml with (2 MB each with `--all`). The rules are js-yaml's (lib/dumper.js, for block style, an
 * indent of 2, no line folding, single quotes):
 *
 * - a mapping or sequence is written in block style, `{}` and `[]` when empty; nested blocks are indented by two
 *   spaces, sequences under a key too; a key longer than 1024 characters makes an explicit `? key` pair;
 * - a string without line breaks is plain when it can be (nothing YAML would read as another type — `'200'`,
 *   `'true'`, `'2024-01-01'` — and no indicator characters where they mean something), else single-quoted; one with
 *   line breaks is a literal block (`|`, `|-`, `|+`, with an indentation indicator when it starts with a space); one
 *   with characters YAML cannot print, and a key with line breaks, is double-quoted with escapes;
 * - `null`, booleans and numbers as YAML's core schema writes them; an `undefined` member is left out, an
 *   `undefined` array item is `null`.
 *
 * `yaml.test.ts` compares it with js-yaml on Pinterest's whole release and on generated values.
 */
export function writeYaml(value: unknown): string {
  let out = "";
  const singleLine = new Map<string, string>();
  const newlines: string[] = [];
  const newline = (level: number) => {
    newlines[level] ??= `\n${"  ".repeat(level)}`;
    return newlines[level];
  };

  /** A string as a key, or as a value without line breaks: the same in both places, at any level. */
  const scalar = (text: string): string => {
    let written = singleLine.get(text);
    if (written === undefined) {
      written = writeString(text, 0, true);
      singleLine.set(text, written);
    }
    return written;
  };

  /** Writes a node; `compact`: a block mapping or sequence starts on the current line (in a sequence item). */
  const node = (item: unknown, level: number, compact: boolean): void => {
    if (item === null) out += "null";
    else if (typeof item === "string") out += item.includes("\n") ? writeString(item, level, false) : scalar(item);
    else if (typeof item === "boolean") out += item ? "true" : "false";
    else if (typeof item === "number") out += writeNumber(item);
    else if (Array.isArray(item)) sequence(item, level, compact);
    else if (isPlainObject(item)) mapping(item, level, compact);
    else throw new TypeError(`Cannot write ${Object.prototype.toString.call(item)} as YAML: only JSON values.`);
  };

  const mapping = (object: Record<string, unknown>, level: number, compact: boolean): void => {
    let written = false;
    for (const key of Object.keys(object)) {
      const member = object[key];
      if (member === undefined) continue;
      if (!compact || written) out += newline(level);
      written = true;
      const name = scalar(key);
      const explicit = name.length > 1024;
      out += explicit ? `? ${name}${newline(level)}` : name;
      // A non-empty block under a key starts on the next line (`key:` then the block); after `? key`, on this one.
      out += !explicit && isBlock(member) ? ":" : ": ";
      node(member, level + 1, explicit);
    }
    if (!written) out += "{}";
  };

  const sequence = (array: unknown[], level: number, compact: boolean): void => {
    if (array.length === 0) {
      out += "[]";
      return;
    }
    for (let index = 0; index < array.length; index++) {
      out += !compact || index > 0 ? `${newline(level)}- ` : "- ";
      node(array[index] ?? null, level + 1, true);
    }
  };

  node(value, 0, true);
  return `${out}\n`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.prototype.toString.call(value) === "[object Object]";

/** A mapping with a member to write, or a non-empty sequence: written as a block, not as `{}` or `[]`. */
function isBlock(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (!isPlainObject(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key) && value[key] !== undefined) return true;
  return false;
}

/** A number as YAML's core schema writes it (js-yaml's int and float representers). */
function writeNumber(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Number.POSITIVE_INFINITY) return ".inf";
  if (value === Number.NEGATIVE_INFINITY) return "-.inf";
  if (Object.is(value, -0)) return "-0.0";
  const text = value.toString(10);
  // An integer is written as is; a float in exponent form needs a dot before the `e` (`5.e-100`).
  return value % 1 !== 0 && /^[-+]?[0-9]+e/.test(text) ? text.replace("e", ".e") : text;
}

/** Strings that YAML 1.1 reads as booleans or sexagesimal numbers: quoted as they are. */
const yaml11Booleans = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
for (const word of ["n", "N", "no", "No", "NO", "off", "Off", "OFF"]) yaml11Booleans.add(word);
const yaml11Base60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;

/** js-yaml's types, which it exports at run time (not declared by @types/js-yaml). */
type ImplicitType = "null" | "bool" | "int" | "float" | "timestamp" | "merge";
const { types } = jsYaml as unknown as { types: Record<ImplicitType, { resolve(data: string): boolean }> };
/** The types a plain scalar could be read as (js-yaml's default schema), other than a string. */
const implicitTypes = [types.null, types.bool, types.int, types.float, types.timestamp, types.merge];
const readsAsAnotherType = (text: string) => implicitTypes.some((type) => type.resolve(text));

/**
 * One string, as a key (`key`: on one line) or as a value at `level` (a literal block is indented to it).
 * js-yaml's writeScalar and chooseScalarStyle with lineWidth -1, block context and single quotes.
 */
function writeString(text: string, level: number, key: boolean): string {
  if (text.length === 0) return "''";
  if (yaml11Booleans.has(text) || yaml11Base60.test(text)) return `'${text}'`;
  let plain = isPlainSafeFirst(codePointAt(text, 0)) && isPlainSafeLast(codePointAt(text, text.length - 1));
  let lineBreak = false;
  let previous = -1;
  for (let i = 0; i < text.length; ) {
    const char = codePointAt(text, i);
    if (char === 0x0a && !key) lineBreak = true;
    else if (!isPrintable(char)) return `"${escapeDoubleQuoted(text)}"`;
    plain &&= isPlainSafe(char, previous);
    previous = char;
    i += char >= 0x10000 ? 2 : 1;
  }
  if (!lineBreak) return plain && !readsAsAnotherType(text) ? text : `'${text.replaceAll("'", "''")}'`;
  return `|${blockHeader(text)}${dropEndingNewline(indentLines(text, 2 * Math.max(1, level)))}`;
}

/** The header of a literal block: indentation indicator (text starts with a space) and chomping, then a newline. */
function blockHeader(text: string): string {
  const indicator = /^\n* /.test(text) ? "2" : "";
  const clip = text.endsWith("\n");
  const keep = clip && (text.endsWith("\n\n") || text === "\n");
  return `${indicator}${keep ? "+" : clip ? "" : "-"}\n`;
}

/** Indents every line but empty ones. */
function indentLines(text: string, spaces: number): string {
  const indent = " ".repeat(spaces);
  return text.replace(/^(?!$)/gm, indent);
}

const dropEndingNewline = (text: string) => (text.endsWith("\n") ? text.slice(0, -1) : text);

function codePointAt(text: string, index: number): number {
  const first = text.charCodeAt(index);
  if (first >= 0xd800 && first <= 0xdbff && index + 1 < text.length) {
    const second = text.charCodeAt(index + 1);
    if (second >= 0xdc00 && second <= 0xdfff) return (first - 0xd800) * 0x400 + second - 0xdc00 + 0x10000;
  }
  return first;
}

/** YAML's printable characters, without tab and the line breaks other than LF (js-yaml's isPrintable). */
const isPrintable = (c: number) =>
  (c >= 0x20 && c <= 0x7e) ||
  (c >= 0xa1 && c <= 0xd7ff && c !== 0x2028 && c !== 0x2029) ||
  (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
  (c >= 0x10000 && c <= 0x10ffff);

const isWhitespace = (c: number) => c === 0x20 || c === 0x09;

const isNsCharOrWhitespace = (c: number) => isPrintable(c) && c !== 0xfeff && c !== 0x0d && c !== 0x0a;

/** Whether `c` may follow `previous` in a plain scalar in block context (js-yaml's isPlainSafe, inblock). */
function isPlainSafe(c: number, previous: number): boolean {
  const nsCharOrWhitespace = isNsCharOrWhitespace(c);
  const nsChar = nsCharOrWhitespace && !isWhitespace(c);
  return (
    (nsCharOrWhitespace && c !== 0x23 /* # */ && !(previous === 0x3a /* : */ && !nsChar)) ||
    (isNsCharOrWhitespace(previous) && !isWhitespace(previous) && c === 0x23) ||
    (previous === 0x3a && nsChar)
  );
}

/** Characters that cannot start a plain scalar: whitespace and YAML's indicators. */
const indicators = new Set([..."-?:,[]{}#&*!|=>'\"%@`"].map((c) => c.charCodeAt(0)));
const isPlainSafeFirst = (c: number) => isPrintable(c) && c !== 0xfeff && !isWhitespace(c) && !indicators.has(c);

const isPlainSafeLast = (c: number) => !isWhitespace(c) && c !== 0x3a;

const escapes = new Map<number, string>([
  [0x00, "\\0"],
  [0x07, "\\a"],
  [0x08, "\\b"],
  [0x09, "\\t"],
  [0x0a, "\\n"],
  [0x0b, "\\v"],
  [0x0c, "\\f"],
  [0x0d, "\\r"],
  [0x1b, "\\e"],
  [0x22, '\\"'],
  [0x5c, "\\\\"],
  [0x85, "\\N"],
  [0xa0, "\\_"],
  [0x2028, "\\L"],
  [0x2029, "\\P"],
]);

/** The inside of a double-quoted scalar (js-yaml's escapeString). */
function escapeDoubleQuoted(text: string): string {
  let result = "";
  for (let i = 0; i < text.length; ) {
    const char = codePointAt(text, i);
    const width = char >= 0x10000 ? 2 : 1;
    const sequence = escapes.get(char);
    if (!sequence && isPrintable(char)) result += text.slice(i, i + width);
    else result += sequence ?? hex(char);
    i += width;
  }
  return result;
}

function hex(char: number): string {
  const digits = char.toString(16).toUpperCase();
  if (char <= 0xff) return `\\x${digits.padStart(2, "0")}`;
  if (char <= 0xffff) return `\\u${digits.padStart(4, "0")}`;
  return `\\U${digits.padStart(8, "0")}`;
}
