/**
 * A page's commit splits a version's lineage from its members (lineageFields, splitVersionFields)
 * instead of writing the whole text and parsing it back: the row and context texts it stores are
 * the ones the text path gave, byte for byte, whatever the lineage holds.
 */
import { describe, expect, it } from 'vitest';
import type { License, Lineage } from '../../catalog/license.js';
import { lineageColumn, lineageFields, readLineage } from '../../ledger/lineage-column.js';
import { splitVersion, splitVersionFields } from '../../ledger/version-context.js';

const license = {
  number: 'JY1',
  type: { name: '食品经营许可证', code: '11370200MB1234567X001' },
  issuer: { name: '局', code: '11370211MB1234567X' },
  validTo: null,
} as unknown as License;
const sha = (c: string) => c.repeat(64);
const base: Lineage = {
  pipeline: 'p',
  source: 'market-food',
  sourceKey: '4',
  runId: 'r1',
  catalogVersion: sha('a'),
  mappingVersion: sha('b'),
};

const lineages: [string, Lineage][] = [
  ['the usual: SHA-256 versions, own pipeline and run', base],
  ['versions that are not SHA-256s', { ...base, catalogVersion: 'v1', mappingVersion: '2' }],
  ['no source, no versions', { pipeline: 'p', sourceKey: '4', runId: 'r1' } as Lineage],
  ['another pipeline and run than the row', { ...base, pipeline: 'q', runId: 'r0' }],
  [
    'members of its own, one named as a shared one, one left out of JSON',
    { ...base, note: 'x', s: 'shadow', gone: undefined, '7': 'numeric name' } as unknown as Lineage,
  ],
];

describe('splitVersionFields', () => {
  for (const [name, lineage] of lineages) {
    for (const withContext of [true, false]) {
      it(`gives the texts splitVersion gives: ${name}${withContext ? '' : ', license without type'}`, () => {
        const lic = withContext ? license : ({ number: 'JY1' } as unknown as License);
        const text = JSON.stringify(lic);
        const fields = lineageFields(lineage, 'p', 'r1');
        expect(JSON.stringify(fields)).toBe(lineageColumn(lineage, 'p', 'r1'));
        const split = splitVersionFields(text, lic, fields);
        expect(split).toEqual(splitVersion(text, lic, lineageColumn(lineage, 'p', 'r1')));
        // And reads back as the lineage it was.
        expect(readLineage(split.lineage, 'p', 'r1', split.context?.lineage)).toEqual(
          readLineage(lineageColumn(lineage, 'p', 'r1'), 'p', 'r1'),
        );
      });
    }
  }

  it('packs each SHA-256 version as its own, the catalog and mapping ones alternating', () => {
    for (const [c, m] of [
      ['a', 'b'],
      ['c', 'd'],
      ['a', 'b'],
    ] as const) {
      const fields = lineageFields({ ...base, catalogVersion: sha(c), mappingVersion: sha(m) }, 'p', 'r1');
      expect(fields.C).toBe(Buffer.from(sha(c), 'hex').toString('base64url'));
      expect(fields.M).toBe(Buffer.from(sha(m), 'hex').toString('base64url'));
    }
  });
});
