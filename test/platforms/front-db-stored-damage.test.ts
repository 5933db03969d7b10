/**
 * A delivery's row an earlier send left is told apart (adapters/platforms/front-db/stored-damage.ts):
 * stored cut or with characters replaced, it may hold less than the license, and its delivery is
 * rejected; written otherwise (another code list, another seal's signature, another payload
 * layout), it is that send's complete row. Where the two cannot be told apart, damage.
 */
import { describe, expect, it } from 'vitest';
import { mayBeDamaged } from '../../adapters/platforms/front-db/stored-damage.js';

const payload = (holder: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    zzbs: '1137020000000001',
    czzt: holder,
    czlx: '07',
    zmxx: { dz: '青岛市崂山区' },
    ...extra,
  });
const signature = (value: string, sealId: string) =>
  JSON.stringify({ algorithm: 'sm2sign-with-sm3', value, digest: 'ab'.repeat(32), sealId });

describe('front-db: an earlier row damaged, or written otherwise', () => {
  it('is damaged when cut to its column, with or without trailing blanks (CHAR)', () => {
    expect(mayBeDamaged('lic-22-longe', 'lic-22-longer-than-the-column', false)).toBe(true);
    expect(mayBeDamaged('lic-22-longe      ', 'lic-22-longer-than-the-column', false)).toBe(true);
    expect(mayBeDamaged(payload('欧阳秀英').slice(0, 40), payload('欧阳秀英'), true)).toBe(true);
  });

  it("is damaged with characters the column's character set lacks replaced, cut or not", () => {
    const written = payload('王䶮');
    // MySQL, MariaDB, SQL Server varchar: `?`; Oracle WE8ISO8859P1: `¿`; SQL Server's best fit.
    for (const replaced of ['王?', '??', '王¿', '王\ufffd', '王y']) {
      expect([replaced, mayBeDamaged(written.replace('王䶮', replaced), written, true)]).toEqual([
        replaced,
        true,
      ]);
    }
    expect(mayBeDamaged(written.replace('王䶮', '??').slice(0, 30), written, true)).toBe(true);
    expect(mayBeDamaged('?????', '青岛市崂山区', false)).toBe(true);
  });

  it('is damaged with a character outside the BMP replaced by one `?` (utf8mb3) or two (SQL Server)', () => {
    const written = payload('张𠮷明');
    expect(mayBeDamaged(written.replace('𠮷', '?'), written, true)).toBe(true);
    expect(mayBeDamaged(written.replace('𠮷', '??'), written, true)).toBe(true);
  });

  it('is damaged when a payload of another layout was stored cut or with `?`', () => {
    const old = payload('王䶮');
    const now = payload('王䶮', { yzzbs: '1137020000000000' }).replace('"zzbs"', '"zzbs" ');
    expect(mayBeDamaged(old.slice(0, old.length - 5), now, true)).toBe(true);
    expect(mayBeDamaged(old.replace('王䶮', '王?'), now, true)).toBe(true);
  });

  it('is written otherwise for a code of another list, another signature, another payload layout', () => {
    expect(mayBeDamaged('07', '05', false)).toBe(false);
    expect(mayBeDamaged('07  ', '05', false)).toBe(false);
    // A numeric column's `7` for the code `07`, now `05`.
    expect(mayBeDamaged('7', '05', false)).toBe(false);
    expect(
      mayBeDamaged(signature('MEUCIQ==', '3702110000001'), signature('MEQCIA==', '3702110000002'), true),
    ).toBe(false);
    expect(
      mayBeDamaged(signature('MEUCIQDx', 'seal-2025'), signature('MEYCIQCy', 'seal-2026-new'), true),
    ).toBe(false);
    expect(mayBeDamaged(payload('欧阳秀英'), payload('欧阳秀英', { yzzbs: '1137020000000000' }), true)).toBe(
      false,
    );
    expect(mayBeDamaged(payload('欧阳秀英', { yzzbs: '1137020000000000' }), payload('欧阳秀英'), true)).toBe(
      false,
    );
    // The same license's payload, members in another order.
    const reordered = JSON.stringify({
      czlx: '07',
      zzbs: '1137020000000001',
      czzt: '欧阳秀英',
      zmxx: { dz: '青岛市崂山区' },
    });
    expect(mayBeDamaged(reordered, payload('欧阳秀英'), true)).toBe(false);
  });

  it('is taken for damage where it cannot be told apart: a code that was a prefix of the new one', () => {
    expect(mayBeDamaged('0', '01', false)).toBe(true);
  });
});
