import ts from "typescript";

/**
 * A member of the generated types as a user's code sees it: its type (as TypeScript prints it, `object` for an
 * object literal whose members are listed on their own), whether it is required and whether it is `readonly`.
 */
export interface PropertyShape {
  type: string;
  required: boolean;
  readOnly: boolean;
}

/** How one component that exists before and after changed. Members of inline objects are paths: `a.b`, `a[].b`. */
export interface SchemaChange {
  /** The schema's name; other components as `<section>/<name>`, e.g. `parameters/query_ad_account_id`. */
  schema: string;
  /** Set when the component's own type changed (e.g. `object` → `A | B`, or an enum's values). */
  shape?: { before: string; after: string };
  added: ({ name: string } & PropertyShape)[];
  removed: ({ name: string } & PropertyShape)[];
  changed: { name: string; before: PropertyShape; after: PropertyShape }[];
}

/** An operation, named the way the generated `paths` type names it. */
export interface OperationName {
  method: string;
  path: string;
  operationId?: string;
}

/**
 * What changed between two generated types files, in the terms a user's code sees.
 *
 * @example
 * ```ts
 * const changes: TypeChanges = compareTypes(before, after);
 * if (changes.operationsRemoved.length) console.warn("Pinterest removed operations:", changes.operationsRemoved);
 * ```
 */
export interface TypeChanges {
  operationsAdded: OperationName[];
  operationsRemoved: OperationName[];
  /** Parameters, request bodies and responses of operations that exist before and after, one line each. */
  operationsChanged: { operation: OperationName; details: string[] }[];
  schemasAdded: string[];
  schemasRemoved: string[];
  schemasChanged: SchemaChange[];
}

type Members = Map<string, PropertyShape>;

interface TypesModel {
  /** `METHOD /path` → the operation and the members of its type, flattened. */
  operations: Map<string, { name: OperationName; members: Members }>;
  /** Component name → its own type and its members, flattened. */
  components: Map<string, { shape: string; members: Members }>;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** A type as TypeScript prints it, without comments, on one line. */
const printType = (node: ts.Node, file: ts.SourceFile) =>
  printer.printNode(ts.EmitHint.Unspecified, node, file).replace(/\s+/g, " ");

function nameOf(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}

/** A member list of an object literal type, or of the literal members of an intersection (an `allOf`). */
function literalMembers(node: ts.TypeNode): ts.NodeArray<ts.TypeElement>[] {
  if (ts.isTypeLiteralNode(node)) return [node.members];
  if (ts.isIntersectionTypeNode(node)) return node.types.flatMap(literalMembers);
  if (ts.isParenthesizedTypeNode(node)) return literalMembers(node.type);
  return [];
}

/**
 * Lists every member of an object type under its path, inline objects member by member: `object` for a literal,
 * `object[]` for an array of them, `| null` kept; every other type as TypeScript prints it, on one line.
 */
function flatten(node: ts.TypeNode, file: ts.SourceFile, prefix = "", out: Members = new Map()): Members {
  const print = (type: ts.Node) => printType(type, file);
  for (const members of literalMembers(node)) {
    for (const member of members) {
      if (ts.isIndexSignatureDeclaration(member)) {
        out.set(`${prefix}[key]`, { type: print(member.type), required: false, readOnly: false });
        continue;
      }
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const path = `${prefix}${nameOf(member.name)}`;
      const required = member.questionToken === undefined;
      const readOnly = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) === true;
      let type = member.type;
      let nullable = "";
      if (ts.isUnionTypeNode(type)) {
        const rest = type.types.filter(
          (t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
        );
        if (rest.length === 1 && type.types.length === 2) {
          type = rest[0] as ts.TypeNode;
          nullable = " | null";
        }
      }
      const element = ts.isArrayTypeNode(type) ? type.elementType : undefined;
      if (literalMembers(type).length > 0 && !ts.isIntersectionTypeNode(type)) {
        out.set(path, { type: `object${nullable}`, required, readOnly });
        flatten(type, file, `${path}.`, out);
      } else if (element && ts.isTypeLiteralNode(element)) {
        out.set(path, { type: `object[]${nullable}`, required, readOnly });
        flatten(element, file, `${path}[].`, out);
      } else {
        out.set(path, { type: print(member.type), required, readOnly });
      }
    }
  }
  return out;
}

/** The members of a top-level interface (`paths`, `components`, `operations`) by name. */
function interfaceMembers(file: ts.SourceFile, name: string): Map<string, ts.TypeNode> {
  const found = new Map<string, ts.TypeNode>();
  for (const statement of file.statements) {
    if (!ts.isInterfaceDeclaration(statement) || statement.name.text !== name) continue;
    for (const member of statement.members) {
      if (ts.isPropertySignature(member) && member.type) found.set(nameOf(member.name), member.type);
    }
  }
  return found;
}

/** Reads the model of a generated types file: its operations (through `paths`) and its components. */
function readTypes(text: string | undefined): TypesModel {
  const model: TypesModel = { operations: new Map(), components: new Map() };
  if (text === undefined) return model;
  const file = ts.createSourceFile("types.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const operations = interfaceMembers(file, "operations");
  for (const [path, item] of interfaceMembers(file, "paths")) {
    for (const members of literalMembers(item)) {
      for (const member of members) {
        if (!ts.isPropertySignature(member) || !member.type || nameOf(member.name) === "parameters") continue;
        if (member.type.kind === ts.SyntaxKind.NeverKeyword) continue;
        const method = nameOf(member.name).toUpperCase();
        let type: ts.TypeNode | undefined = member.type;
        let operationId: string | undefined;
        // openapi-typescript refers to a named operation as operations["id"], and inlines one without an id.
        if (ts.isIndexedAccessTypeNode(type) && ts.isLiteralTypeNode(type.indexType)) {
          operationId = (type.indexType.literal as ts.StringLiteral).text;
          type = operations.get(operationId);
        }
        const name: OperationName = { method, path, ...(operationId ? { operationId } : {}) };
        model.operations.set(`${method} ${path}`, { name, members: type ? flatten(type, file) : new Map() });
      }
    }
  }
  for (const [section, sectionType] of interfaceMembers(file, "components")) {
    for (const members of literalMembers(sectionType)) {
      for (const member of members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const name = section === "schemas" ? nameOf(member.name) : `${section}/${nameOf(member.name)}`;
        const print = (node: ts.Node) => printType(node, file);
        const isObject = literalMembers(member.type).length > 0;
        // An allOf: the types it extends, then its own members (listed one by one).
        const parts = ts.isIntersectionTypeNode(member.type)
          ? member.type.types.filter((part) => !ts.isTypeLiteralNode(part)).map(print)
          : [];
        const shape = isObject ? [...parts, "object"].join(" & ") : print(member.type);
        model.components.set(name, { shape, members: isObject ? flatten(member.type, file) : new Map() });
      }
    }
  }
  return model;
}

const sameShape = (a: PropertyShape, b: PropertyShape) =>
  a.type === b.type && a.required === b.required && a.readOnly === b.readOnly;

/** Added, removed and changed members between two member maps. */
function diffMembers(a: Members, b: Members) {
  const added: SchemaChange["added"] = [];
  const removed: SchemaChange["removed"] = [];
  const changed: SchemaChange["changed"] = [];
  for (const [name, shape] of b) {
    const old = a.get(name);
    if (!old) added.push({ name, ...shape });
    else if (!sameShape(old, shape)) changed.push({ name, before: old, after: shape });
  }
  for (const [name, shape] of a) if (!b.has(name)) removed.push({ name, ...shape });
  return { added, removed, changed };
}

/** A member's shape as one line, e.g. `items[].id?: string` or `readonly count?: number | null`. */
const memberLabel = (name: string, p: PropertyShape) =>
  `${p.readOnly ? "readonly " : ""}${name}${p.required ? "" : "?"}: ${p.type}`;

/**
 * Compares two generated types files (openapi-typescript's output, as `@pintoken/codegen` writes it; `undefined`:
 * there was none) in the terms a user's code sees: operations added or removed; the parameters, request bodies and
 * responses of the others; components added or removed; and per component every member added, removed, retyped
 * (enum values and `| null` included), made required or optional, or made `readonly` or writable. Documentation
 * alone is no change.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * const changes = compareTypes(await readFile("old.d.ts", "utf8"), await readFile("new.d.ts", "utf8"));
 * console.log(formatTypeChanges(changes).join("\n"));
 * ```
 */
export function compareTypes(before: string | undefined, after: string | undefined): TypeChanges {
  const a = readTypes(before);
  const b = readTypes(after);
  const operationsChanged: TypeChanges["operationsChanged"] = [];
  for (const [key, op] of b.operations) {
    const old = a.operations.get(key);
    if (!old) continue;
    const { added, removed, changed } = diffMembers(old.members, op.members);
    const details = [
      ...added.map((m) => `+ ${memberLabel(m.name, m)}`),
      ...removed.map((m) => `- ${memberLabel(m.name, m)}`),
      ...changed.map((m) => `~ ${memberLabel(m.name, m.before)} → ${memberLabel(m.name, m.after)}`),
    ];
    if (old.name.operationId !== op.name.operationId) {
      details.push(`~ operationId: ${old.name.operationId ?? "(none)"} → ${op.name.operationId ?? "(none)"}`);
    }
    if (details.length) operationsChanged.push({ operation: op.name, details });
  }
  const schemasChanged: SchemaChange[] = [];
  for (const [name, component] of b.components) {
    const old = a.components.get(name);
    if (!old) continue;
    const change: SchemaChange = { schema: name, ...diffMembers(old.members, component.members) };
    if (old.shape !== component.shape) change.shape = { before: old.shape, after: component.shape };
    if (change.shape || change.added.length || change.removed.length || change.changed.length) {
      schemasChanged.push(change);
    }
  }
  return {
    operationsAdded: [...b.operations].filter(([k]) => !a.operations.has(k)).map(([, o]) => o.name),
    operationsRemoved: [...a.operations].filter(([k]) => !b.operations.has(k)).map(([, o]) => o.name),
    operationsChanged,
    schemasAdded: [...b.components.keys()].filter((n) => !a.components.has(n)),
    schemasRemoved: [...a.components.keys()].filter((n) => !b.components.has(n)),
    schemasChanged,
  };
}

/**
 * Whether anything at all changed.
 *
 * @example
 * ```ts
 * if (!hasTypeChanges(compareTypes(before, after))) console.log("Only documentation changed.");
 * ```
 */
export const hasTypeChanges = (c: TypeChanges): boolean =>
  c.operationsAdded.length +
    c.operationsRemoved.length +
    c.operationsChanged.length +
    c.schemasAdded.length +
    c.schemasRemoved.length +
    c.schemasChanged.length >
  0;

const operationLabel = (o: OperationName) => `${o.method} ${o.path}${o.operationId ? ` (${o.operationId})` : ""}`;

/** The lines saying how one member changed: its type, whether it is required, whether it is readonly. */
function memberChange({ name, before, after }: SchemaChange["changed"][number]): string[] {
  const lines: string[] = [];
  if (before.type !== after.type) lines.push(`~ ${name}: ${before.type} → ${after.type}`);
  if (before.required !== after.required) {
    lines.push(`~ ${name}: ${before.required ? "required" : "optional"} → ${after.required ? "required" : "optional"}`);
  }
  if (before.readOnly !== after.readOnly) {
    lines.push(`~ ${name}: ${before.readOnly ? "readonly" : "writable"} → ${after.readOnly ? "readonly" : "writable"}`);
  }
  return lines;
}

/**
 * A readable summary, one section per kind of change; long lists are cut at `limit` entries with a count.
 *
 * @example
 * ```ts
 * console.log(formatTypeChanges(compareTypes(before, after), { limit: 10 }).join("\n"));
 * ```
 */
export function formatTypeChanges(c: TypeChanges, { limit = 40 } = {}): string[] {
  const lines: string[] = [];
  const list = <T>(title: string, items: T[], render: (item: T) => string[]) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}):`);
    for (const item of items.slice(0, limit)) lines.push(...render(item).map((line) => `  ${line}`));
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  };
  list("Operations added", c.operationsAdded, (o) => [`+ ${operationLabel(o)}`]);
  list("Operations removed", c.operationsRemoved, (o) => [`- ${operationLabel(o)}`]);
  list("Operations changed", c.operationsChanged, ({ operation, details }) => [
    `~ ${operationLabel(operation)}`,
    ...details.map((d) => `    ${d}`),
  ]);
  list("Schemas added", c.schemasAdded, (n) => [`+ ${n}`]);
  list("Schemas removed", c.schemasRemoved, (n) => [`- ${n}`]);
  list("Schemas changed", c.schemasChanged, (s) => [
    s.schema,
    ...(s.shape ? [`  ~ (type): ${s.shape.before} → ${s.shape.after}`] : []),
    ...s.added.map((p) => `  + ${memberLabel(p.name, p)}`),
    ...s.removed.map((p) => `  - ${memberLabel(p.name, p)}`),
    ...s.changed.flatMap((change) => memberChange(change).map((line) => `  ${line}`)),
  ]);
  return lines;
}
