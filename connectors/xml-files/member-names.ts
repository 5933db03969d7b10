/**
 * Element names that are names of JavaScript object members (`toString`, `constructor`,
 * `__proto__`, …). Nothing in XML sets them apart, and a legacy schema may use one; fast-xml-parser
 * renames some of them (`<toString>` to `__toString`, a field the mapping does not read, and one a
 * real `<__toString>` would share) and refuses a document holding the others (`<constructor>`),
 * which held back the whole export. Handed to it marked, as no XML name can be (`#` starts none),
 * they are neither; everything that reads a parsed node's keys takes the mark off (flatten.ts,
 * record-path.ts, records.ts). Values are collected in objects without a prototype
 * (`fieldRecord`), so a field `__proto__` is a field, and one a record lacks reads as absent,
 * never as an inherited member.
 */

// Every member of a plain object, and `prototype`, which the parser refuses too.
const MEMBERS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const MARK = '#member:';

/** An element's name as the parser is made to key it (records.ts `transformTagName`). */
export function parsedName(name: string): string {
  return MEMBERS.has(name) ? `${MARK}${name}` : name;
}

/** An element's name from the parser's key. */
export function elementName(key: string): string {
  return key.startsWith(MARK) ? key.slice(MARK.length) : key;
}

/** An empty record of fields, with no inherited member to read by a field's name. */
export function fieldRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
