/**
 * The platform's listing is in license-id byte order (docs/reconciliation.md: `list()`, byte order
 * on both sides), and one out of it fails the check. The order was checked with JavaScript's `<`,
 * which compares UTF-16 code units: a character beyond U+FFFF (a surrogate pair, from U+D800)
 * sorts there before U+E000–U+FFFF (full-width forms among them), where its UTF-8 bytes sort after.
 * A listing in byte order holding two such ids failed the whole check as out of order, every
 * license of it left uncompared; it is read in byte order now, and one out of it is still refused.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { byteOrder } from '../../pipelines/reconcile/byte-order.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
const id = (serial: string) => `${PREFIX}${serial}`;
const HASH = 'a'.repeat(64);
const OWN = 'K4Y975IEPO1UZ9OZS7V1';
// A private-use character (U+E000, UTF-8 EE 80 80) before a character beyond U+FFFF (U+20000,
// F0 A0 80 80). Not a full-width letter: an id holding one is that of the half-width letter written
// in other characters (platform-id-other-form.test.ts), read as such before the merge.
const FULL_WIDTH = 'K\uE000';
const ASTRAL = 'K\u{20000}';

function atLedger(serial: string): LedgerLicenseAtTarget {
  return {
    licenseId: id(serial),
    sourceKey: `row-${serial}`,
    version: 1,
    versionId: 101,
    contentHash: HASH,
    status: 'valid',
    deliveryKey: `${id(serial)}:1:province`,
    deliveryState: 'accepted',
  };
}

function held(serial: string): PlatformRecord {
  return {
    licenseId: id(serial),
    identifier: `${id(serial)}.1`,
    version: 1,
    status: 'valid',
    platformId: `P-${serial}`,
    contentHash: HASH,
  };
}

const ledger = {
  async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
    return [atLedger(OWN)].filter((r) => r.licenseId > after).slice(0, limit);
  },
  async licensesAtTargetByIds() {
    return [];
  },
  async pipelinesOfLicenses() {
    return new Map();
  },
} as unknown as Ledger;

const check = (listing: PlatformRecord[]) =>
  checkPlatform({
    ledger,
    pipeline: 'food',
    adapter: {
      name: 'province',
      async *list() {
        yield listing;
      },
    } as unknown as TargetAdapter,
    licensePrefix: PREFIX,
    pageSize: 10,
  });

describe('a platform listing in license-id byte order', () => {
  it('is compared when it holds ids beyond U+FFFF and in U+E000–U+FFFF', async () => {
    const result = await check([held(OWN), held(FULL_WIDTH), held(ASTRAL)]);
    expect(result.differences.map((d) => [d.kind, d.licenseId])).toEqual([
      ['unknown-at-platform', id(FULL_WIDTH)],
      ['unknown-at-platform', id(ASTRAL)],
    ]);
    expect(result.counts.total).toBe(3);
  });

  it('still fails the check when those ids come in UTF-16 order instead', async () => {
    await expect(check([held(OWN), held(ASTRAL), held(FULL_WIDTH)])).rejects.toThrow(
      /listing not in license-id order/,
    );
  });
});

describe('byteOrder', () => {
  it('orders strings as their UTF-8 bytes do', () => {
    const alphabet = [
      '1',
      '.',
      'K',
      'Z',
      '\u00e9',
      '\u4e2d',
      '\ud7ff',
      '\ue000',
      '\uff21',
      '\uffff',
      '\u{10000}',
      '\u{20000}',
      '\u{10ffff}',
    ];
    const strings: string[] = [];
    for (const a of alphabet) for (const b of ['', ...alphabet]) strings.push(`${PREFIX}${a}${b}`);
    const wrong: string[][] = [];
    for (const a of strings)
      for (const b of strings)
        if (Math.sign(byteOrder(a, b)) !== Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))))
          wrong.push([a, b]);
    expect(wrong).toEqual([]);
  });
});
