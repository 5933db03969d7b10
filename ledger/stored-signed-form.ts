/**
 * A version's signed form (RFC 8785 text of the whole license, UTF-8: catalog/canonical.ts
 * canonicalBytes) made from its stored text, without parsing the text into a license and
 * serialising that again (~10 µs a version of the sign stage, with the garbage of the parsed license).
 *
 * payloadColumn writes each field's value in canonical form and the fields in the license's own
 * order, without the identifier. Sorting the fields by name then gives the canonical text of the
 * license without its identifier: the very text whose SM3 is the version's content hash. That hash
 * is checked on the text made, so the shortcut signs only a text proven byte for byte the canonical
 * one (SM3 is collision resistant); anything else — rows written before, whose values hold names in
 * the order written; a text edited since; one holding its own `identifier` — gives undefined, and
 * the caller reads the license the long way (pipelines/stages/sign.ts signable), as before.
 *
 * The identifier goes in among the fields by name, as JSON.stringify quotes it (RFC 8785 §3.2.2.2).
 * Where it goes is found in the checked text itself: its fields are split by the scan below, which
 * for any valid JSON text (the checked one is the canonicaliser's own output) splits it at its
 * top-level commas only, as the scan of a member depends only on that member's characters.
 */
import { sm3Hex } from '../catalog/sm3.js';
import type { StoredVersion } from './ledger.js';
import { payloadTextOf } from './rows.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** A top-level member of a JSON object's text: its name, and its text `"name":value`. */
interface Member {
  name: string;
  text: string;
}

/** What the shortcut gives: the signed bytes, and the text of the license's `issuer` value, if any. */
export interface StoredSignedForm {
  bytes: Uint8Array;
  /** The `issuer` member's value text (canonical), for the sign stage's unit check without a parse. */
  issuerText: string | undefined;
}

/** `v`'s signed form from its stored text, or undefined: read the license the long way. */
export function storedSignedForm(v: StoredVersion): StoredSignedForm | undefined {
  const stored = payloadTextOf(v);
  if (stored === undefined) return undefined;
  return signedFormOfText(stored.text, stored.identifier, v.contentHash);
}

/**
 * The signed form of the license stored as `text` (its context's members put back) with
 * `identifier`, when the text's fields sorted by name hash to `contentHash`; else undefined.
 */
export function signedFormOfText(
  text: string,
  identifier: string,
  contentHash: string,
): StoredSignedForm | undefined {
  const members = topLevelMembers(text);
  if (members === undefined) return undefined;
  if (!inNameOrder(members)) members.sort(byName);
  const identifierMember = `"identifier":${JSON.stringify(identifier)}`;
  let content = '{';
  let whole = '{';
  let placed = false;
  let issuerText: string | undefined;
  for (const m of members) {
    // A text holding its own identifier reads with it (payload-column.ts readPayload): the long way.
    if (m.name === 'identifier') return undefined;
    if (m.name === 'issuer') issuerText = m.text.slice('"issuer":'.length);
    if (!placed && m.name > 'identifier') {
      whole += whole.length === 1 ? identifierMember : `,${identifierMember}`;
      placed = true;
    }
    content += content.length === 1 ? m.text : `,${m.text}`;
    whole += whole.length === 1 ? m.text : `,${m.text}`;
  }
  if (!placed) whole += whole.length === 1 ? identifierMember : `,${identifierMember}`;
  // Its bytes, not the text: hashing a text built of pieces walked the pieces for each character
  // (7 µs against 1.5 for a demo license's text, encoded once, and hashed).
  if (sm3Hex(Buffer.from(`${content}}`, 'utf8')) !== contentHash) return undefined;
  return { bytes: Buffer.from(`${whole}}`, 'utf8'), issuerText };
}

/**
 * Whether `v`'s stored text is proven, without parsing it, the canonical text of a license whose
 * content hash its version records: its fields sorted by name, as {@link signedFormOfText} checks
 * them, hash to `v.contentHash`. Then the license the text reads as hashes to it too (the text is
 * byte for byte the canonical form the hash was made of, and reads back to that license), and a
 * check of the text need not serialise the parsed license again. False where it is not shown (a
 * version not read from its row, rows written before, a text edited since, one holding its own
 * identifier): the caller hashes the parsed license the long way, as before.
 */
export function storedTextHashes(v: Pick<StoredVersion, 'contentHash'>): boolean {
  const stored = payloadTextOf(v as StoredVersion);
  if (stored === undefined) return false;
  const members = topLevelMembers(stored.text);
  if (members === undefined) return false;
  if (!inNameOrder(members)) members.sort(byName);
  let content = '{';
  for (const m of members) {
    if (m.name === 'identifier') return false;
    content += content.length === 1 ? m.text : `,${m.text}`;
  }
  return sm3Hex(Buffer.from(`${content}}`, 'utf8')) === v.contentHash;
}

function byName(a: Member, b: Member): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function inNameOrder(members: readonly Member[]): boolean {
  for (let i = 1; i < members.length; i++) {
    if ((members[i - 1] as Member).name >= (members[i] as Member).name) return false;
  }
  return true;
}

/**
 * The top-level members of a JSON object's text without whitespace (as JSON.stringify and RFC 8785
 * write it), or undefined where the text is not one. Names are unescaped (JSON.parse) where they
 * hold a backslash, to be sorted by their UTF-16 code units as RFC 8785 §3.2.3 sorts them.
 */
export function topLevelMembers(text: string): Member[] | undefined {
  const end = text.length - 1;
  if (end < 1 || text.charCodeAt(0) !== OPEN_BRACE || text.charCodeAt(end) !== CLOSE_BRACE) return undefined;
  const members: Member[] = [];
  if (end === 1) return members;
  let at = 1;
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) return undefined;
    const nameEnd = stringEnd(text, at);
    if (nameEnd < 0 || text.charCodeAt(nameEnd) !== COLON) return undefined;
    const valueEnd = valueEndAt(text, nameEnd + 1, end);
    if (valueEnd < 0) return undefined;
    const name = memberName(text.slice(at + 1, nameEnd - 1));
    if (name === undefined) return undefined;
    members.push({ name, text: text.slice(at, valueEnd) });
    if (valueEnd === end) return members;
    if (text.charCodeAt(valueEnd) !== COMMA) return undefined;
    at = valueEnd + 1;
  }
}

function memberName(raw: string): string | undefined {
  if (!raw.includes('\\')) return raw;
  try {
    const name: unknown = JSON.parse(`"${raw}"`);
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The index after the string starting at `at` (a quote), or -1: a quote is its end unless escaped. */
function stringEnd(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The index after the value starting at `at`, before `end` (the object's closing brace), or -1.
 * A string to its closing quote; an object or array to the bracket that closes it, strings
 * skipped whole; a number, `true`, `false` or `null` to the next comma or closing bracket.
 */
function valueEndAt(text: string, at: number, end: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) {
    const after = stringEnd(text, at);
    return after > end ? -1 : after;
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let i = at; i < end; ) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = stringEnd(text, i);
        if (i < 0) return -1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  let i = at;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === QUOTE) break;
    i++;
  }
  return i === at ? -1 : i;
}
