/**
 * Discovery tells the person onboarding a source when a pipeline already reads one of its tables
 * by a key column that allows NULL and carries no primary key or unique constraint: its rows
 * without a key are quarantined, not licensed. A declared key, or another source's pipeline, is
 * not mentioned.
 */
import { expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { TableInfo } from '../../connectors/source.js';
import { withKeyNotes } from '../../pipelines/discover.js';

const table: TableInfo = {
  name: 'T_SPXK_XKZ',
  columns: [
    { name: 'ID', type: 'INTEGER', nullable: false },
    { name: 'BIZ_KEY', type: 'TEXT', nullable: true },
    { name: 'XKZBH', type: 'TEXT', nullable: true },
  ],
  rowCount: 3,
  candidateKeys: ['ID', 'XKZBH'],
  candidateCursors: [],
};

const pipeline = (source: string, key: string) => ({ source, stream: { table: 't_spxk_xkz', key } });

it('notes a pipeline reading the table by a nullable key column no constraint makes unique', () => {
  const config = {
    pipelines: {
      food: pipeline('market-food', 'BIZ_KEY'),
      declared: pipeline('market-food', 'ID'),
      uniqueButNullable: pipeline('market-food', 'XKZBH'),
      elsewhere: pipeline('other', 'BIZ_KEY'),
    },
  } as unknown as Config;
  const [noted] = withKeyNotes(config, 'market-food', [table]);
  expect(noted?.notes).toHaveLength(1);
  expect(noted?.notes?.[0]).toMatch(/^pipeline food reads by key column `BIZ_KEY`, which allows NULL/);
  expect(noted?.notes?.[0]).toContain('LB_SOURCE_KEY_MISSING');
  expect(withKeyNotes({ pipelines: {} } as unknown as Config, 'market-food', [table])).toEqual([table]);
});
