/**
 * The signed form made from a version's stored text (ledger/stored-signed-form.ts) is byte for
 * byte the canonical form of the license (RFC 8785, the `canonicalize` package as reference), for
 * every text payloadColumn writes and the context split leaves; any other text (written before,
 * edited, holding its own identifier) is refused, to be read the long way.
 */
import { describe, expect, it } from 'vitest';
import { canonicalBytes, contentHash, jcsReference } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { mulberry32 } from '../../core/seeded-random.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { signedFormOfText, topLevelMembers } from '../../ledger/stored-signed-form.js';
import { joinPayload, splitVersion } from '../../ledger/version-context.js';
import { ODD } from './odd-payloads.js';

const ID = '1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.K4Y975IER49RU69WLYRI.001.O';
const LINEAGE = '{"s":"market-food","k":"4","C":"abc","M":"def"}';

/** The text a version of `license` reads from: payloadColumn, split from its context and joined. */
function storedText(license: License): string {
  const split = splitVersion(payloadColumn(license), license, LINEAGE);
  return joinPayload(split.payload, split.context?.payload);
}

/** Canonical where the identifier is the license's first field; else refused (its text holds it). */
function expectCanonical(license: License): boolean {
  const form = signedFormOfText(storedText(license), license.identifier, contentHash(license));
  // An integer-like name goes before every other in a JS object, as JSON.parse makes them too.
  if (Object.keys(license)[0] !== 'identifier') {
    expect(form).toBeUndefined();
    return false;
  }
  expect(form, JSON.stringify(license)).toBeDefined();
  const bytes = Buffer.from(form?.bytes ?? new Uint8Array());
  expect(bytes.equals(Buffer.from(canonicalBytes(license)))).toBe(true);
  expect(bytes.toString('utf8')).toBe(jcsReference(license));
  expect(form?.issuerText).toBe(license.issuer === undefined ? undefined : jcsReference(license.issuer));
  return true;
}

// What trips a scan of JSON text: quotes, backslashes, brackets, commas and colons in strings,
// escapes, two-byte and astral characters, names sorting next to `identifier`.
const PIECES = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\\"',
  '"}',
  '\u0000',
  '\u2028',
  '😀',
  '证',
  'a',
  ' ',
  '@',
  '"@":0',
];
const NAMES = [
  'identifier',
  'identifie',
  'identifiers',
  'Identifier',
  'idéntifier',
  'i',
  'z',
  '',
  '__proto__',
  'a"b',
  'a\\b',
  '证照',
  '10',
  '2',
];

/** An own member, as JSON.parse makes one: `__proto__` too. */
function own(record: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 2 || pick < 0.35)
    return Array.from(
      { length: Math.floor(next() * 5) },
      () => PIECES[Math.floor(next() * PIECES.length)],
    ).join('');
  if (pick < 0.45) return [null, true, false, 0, -1.5, 1e21, 123456789012][Math.floor(next() * 7)];
  if (pick < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) {
    own(out, NAMES[Math.floor(next() * NAMES.length)] as string, randomValue(next, depth + 1));
  }
  return out;
}

function randomLicense(next: () => number): License {
  const license: Record<string, unknown> = { identifier: ID };
  for (const name of ['number', 'type', 'issuer', 'issueDate', 'validTo', 'holder', 'status', 'surface']) {
    if (next() < 0.85) own(license, name, randomValue(next, name === 'number' ? 3 : 0));
  }
  for (let i = Math.floor(next() * 3); i > 0; i--) {
    const name = NAMES[Math.floor(next() * NAMES.length)] as string;
    if (name !== 'identifier') own(license, name, randomValue(next, 0));
  }
  return license as unknown as License;
}

describe('the signed form made from the stored text', () => {
  it('is the canonical form of each odd license and of its fields in another order', () => {
    for (const [name, content] of Object.entries(ODD)) {
      const license = { identifier: ID, ...content(7) } as License;
      expectCanonical(license);
      const { identifier, ...rest } = license;
      expectCanonical({ identifier, ...Object.fromEntries(Object.entries(rest).reverse()) } as License);
      // Its identifier not first, a license keeps it in its text (payload-column.ts): read the long way.
      const last = { ...rest, identifier } as License;
      expect(payloadColumn(last), name).toContain(ID);
      expect(signedFormOfText(payloadColumn(last), ID, contentHash(last))).toBeUndefined();
    }
  });

  it('is the canonical form of 1,000 generated licenses, whatever their names and values hold', () => {
    const next = mulberry32(17);
    let made = 0;
    for (let i = 0; i < 1000; i++) if (expectCanonical(randomLicense(next))) made++;
    // Those with an integer-like name (~1 in 8) are refused; the rest made from their text.
    expect(made).toBeGreaterThan(800);
  });

  it('is refused for a text written before (JSON.stringify), so it is read the long way', () => {
    const license = {
      identifier: ID,
      ...(ODD.markerInValue as (n: number) => Omit<License, 'identifier'>)(3),
    } as License;
    const { identifier: _identifier, ...rest } = license;
    expect(JSON.stringify(rest)).not.toBe(jcsReference(rest));
    expect(signedFormOfText(JSON.stringify(rest), ID, contentHash(license))).toBeUndefined();
  });

  it('is refused for a text edited since it was written, or one holding its own identifier', () => {
    const license = {
      identifier: ID,
      ...(ODD.issuerFirst as (n: number) => Omit<License, 'identifier'>)(3),
    } as License;
    const text = storedText(license);
    expect(signedFormOfText(text, ID, contentHash(license))).toBeDefined();
    expect(
      signedFormOfText(text.replace('2019-03-04', '2019-03-05'), ID, contentHash(license)),
    ).toBeUndefined();
    const withOwn = `{"identifier":${JSON.stringify(ID)},${text.slice(1)}`;
    expect(signedFormOfText(withOwn, ID, contentHash(license))).toBeUndefined();
    expect(signedFormOfText(text, ID, '0'.repeat(64))).toBeUndefined();
  });

  it('splits a canonical text at its top-level commas only', () => {
    const next = mulberry32(5);
    for (let i = 0; i < 500; i++) {
      const value = randomValue(next, 0);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const record = value as Record<string, unknown>;
      const members = topLevelMembers(jcsReference(record) as string);
      expect(members?.map((m) => m.name)).toEqual(Object.keys(record).sort());
      expect(members?.map((m) => m.text)).toEqual(
        Object.keys(record)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${jcsReference(record[k])}`),
      );
    }
  });

  it('gives nothing for a text that is not one JSON object', () => {
    for (const text of [
      '',
      '{',
      '}',
      '[]',
      '{"a":1',
      '{"a":1}}',
      '{"a"}',
      '{"a":}',
      '{"a":"1}',
      '{"a":1,}',
      '{,"a":1}',
    ])
      expect(topLevelMembers(text), text).toBeUndefined();
    expect(topLevelMembers('{}')).toEqual([]);
  });
});
