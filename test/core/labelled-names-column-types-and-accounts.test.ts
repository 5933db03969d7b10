/**
 * What a pinyin column's label is followed by in a schema's or a job's own words: the column's SQL
 * type (`source column LXR: TEXT`, `LXR: TEXT NOT NULL`, `CZRXM: VARCHAR`), another column's name
 * (`column LXR=LXRDH`) or a system account that handled a record (`JBR: SYSTEM`, `jbr=api`,
 * `FZR: Ops Team`). fa7060f9 read the pinyin labels as a name's, and each went out as `***`, which
 * left an integration engineer nothing to go on. A name there stays hidden. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe('a column type, a column name or a system account after a pinyin label', () => {
  it.each([
    'source column LXR: TEXT',
    'LXR: TEXT NOT NULL',
    'CZRXM: VARCHAR',
    'column LXR=LXRDH',
    'JBR: SYSTEM',
    'JBR: ADMIN',
    'BLR: AUTO',
    'SJR: PLATFORM',
    'jbr=api',
    'FZR: Ops Team',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['LXR: ZHANG SAN', 'LXR: ***'],
    ['JBR: Wang Wu', 'JBR: ***'],
    ['CZRXM: 张三', 'CZRXM: ***'],
    ['jbr=li si', 'jbr=***'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
  });
});
