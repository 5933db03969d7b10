/**
 * A hex identifier in text from outside or in a dead letter's reason — a front-db exchange batch
 * number (`BATCH_NO`, newBatchNo: 32 hex characters) that a delivery's reason names so an operator
 * can find the earlier send's row — is no ID or phone number and stays whole: cutting the runs of
 * seven or more digits in it (`4E7A0C******6301B2D9…`) left a batch no one could look up. A credit
 * code, an ID or mobile number, a passport number, or a number glued to hex letters is masked as
 * before.
 */
import { describe, expect, it } from 'vitest';
import { newBatchNo } from '../../adapters/platforms/front-db/exchange-table.js';
import { alteredReason } from '../../adapters/platforms/front-db/verify-stored.js';
import { scrubPlatformReason } from '../../adapters/platforms/shared/platform-text.js';
import { maskPersonalShapes } from '../../catalog/personal.js';
import { scrubPersonal } from '../../core/scrub.js';
import { storedReason } from '../../pipelines/workers/base.js';

// Batch numbers of newBatchNo's shape: runs of 10, 7 and 9 digits among the hex letters.
const BATCHES = [
  '4E7A0C2928556301B2D9F3E6A1C05B8D',
  'F0A1234567B8C9D0E1F2A3B4C5D6E7F8',
  '00000000A1234567B8CDE0F123456789',
];
const scrub = (text: string) => scrubPersonal(text, [], () => '***');
const lastFour = (text: string) => `${'*'.repeat(text.length - 4)}${text.slice(-4)}`;

describe('hex identifiers in text from outside', () => {
  it("keep a front-db batch number whole in the reason that names the earlier send's row", () => {
    expect(newBatchNo()).toMatch(/^[0-9A-F]{32}$/);
    for (const batch of BATCHES) {
      expect(batch).toMatch(/^[0-9A-F]{32}$/);
      const reason = alteredReason('UP_LIC_DATA', { column: 'PAYLOAD', earlierBatch: batch });
      expect(scrubPlatformReason(reason, [])).toContain(`(BATCH_NO ${batch})`);
      expect(storedReason(new Error(reason))).toContain(`(BATCH_NO ${batch})`);
      expect(maskPersonalShapes(reason)).toContain(`(BATCH_NO ${batch})`);
    }
  });

  it('keep other hex ids whole: hashes, lower case, an 18-character one failing the credit-code check', () => {
    for (const id of [
      'sha1 3f2a9c0b1234567d8e9f0a1b2c3d4e5f60718293',
      'trace 0123456789abcdef',
      'id AB123456CDEF012345',
      '批次4E7A0C2928556301B2D9F3E6A1C05B8D已写入',
    ])
      expect(scrub(id)).toBe(id);
  });

  it("still mask an individual business's credit code of hex characters, and numbers in or beside hex letters", () => {
    // GB 32100 check char 8: a real credit code (92, an individual business: it names a person),
    // though every character of it is a hex digit. A legal entity's (its organisation code's GB 11714
    // check char 5 right too) is kept whole, as any is.
    expect(scrub('holder 9237021100AB123488 refused')).toBe(
      `holder ${lastFour('9237021100AB123488')} refused`,
    );
    expect(scrub('holder 9137021100AB00105C refused')).toBe('holder 9137021100AB00105C refused');
    // A mobile or ID number glued to hex letters is no hex id.
    expect(scrub('ref DEADBEEF13800138000CAFE')).toBe('ref DEADBEEF*******8000CAFE');
    expect(scrub('ref ABCDEF110105194912310021')).toBe('ref ABCDEF**************0021');
    // Percent-escapes are no part of a hex id (`%3D` is `=`).
    expect(scrub('q?sfzh%3D110105194912310021')).toBe('q?sfzh%3D**************0021');
    expect(scrub('tel%3D%2B8613800138000')).toBe('tel%3D%2B*********8000');
    // Shorter than a hex id: a passport number (masked by its shape too), a letter and digits.
    expect(scrub('passport E12345678')).toBe('passport E*******8');
    expect(scrub('no a1234567')).toBe('no a***4567');
  });

  it('leave again what they left', () => {
    for (const text of [...BATCHES, 'holder 9237021100AB123488 refused', 'ref DEADBEEF13800138000CAFE']) {
      const once = scrub(text);
      expect(scrub(once)).toBe(once);
    }
  });
});
