/**
 * The SQL types of MySQL, PostgreSQL, SQL Server, Oracle, KingbaseES and DM and the database and
 * service accounts a record is handled by, after a pinyin column's label (`LXR: TINYTEXT`, `LXR:
 * RAW(16)`, `CZR: LICBRIDGE`, `JBR: DBA`): 74fbfdbf's list knew a few types and accounts only, and
 * 06020239 and 7269e58b read more labels, so the rest went out as `***`. A name stays hidden.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe('more SQL types and accounts after a pinyin label', () => {
  it.each([
    'LXR: TINYTEXT',
    'LXR: MEDIUMTEXT',
    'LXR: LONGTEXT',
    'LXR: NTEXT',
    'LXR: UNIQUEIDENTIFIER',
    'LXR: BIT',
    'LXR: MONEY',
    'LXR: ROWID',
    'LXR: SET',
    'LXR: YEAR',
    'LXR: OTHER',
    'LXR: RAW(16)',
    'LXR: LONG RAW',
    "LXR: ENUM('a','b')",
    'LXR: CHARACTER VARYING(50)',
    'LXR: DEFAULT NULL',
    'CzrXm: MEDIUMTEXT',
    'T_LXR: TINYTEXT',
    'CZR: LICBRIDGE',
    'CZR: IMPORT',
    'SQR: ANONYMOUS',
    'JBR: CRON',
    'JBR: ETL',
    'JBR: ROBOT',
    'JBR: SA',
    'JBR: DBA',
    'JBR: DBO',
    'JBR: POSTGRES',
    'JBR: ORACLE',
    'JBR: GUEST',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['LXR: ZHANG SAN', 'LXR: ***'],
    ['JBR: Wang Wu', 'JBR: ***'],
    ['CZR: LI SI', 'CZR: ***'],
    ['jbr=zhao liu', 'jbr=***'],
    ['JBR: Sa Bei', 'JBR: ***'],
    ['LXR: Long Wei', 'LXR: ***'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(safeErrorText(text)).toBe(hidden);
  });
});
