/**
 * A holder id with white space at an end, of an id type without a check of its own (a passport
 * `414`, another personal document `999`, another organisation document `099`): a CHAR(n) column
 * read under `trim: none` or a `trim` list without it gave `E12345678   `, which passed the catalog
 * and was published so, to platforms that match holders by their id. A resident ID (`111`) or a
 * credit code (`001`) so padded fails its own format check already. The row is now quarantined,
 * as for the license number and the holder's name, the id never shown in full.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import {
  goodRow,
  HOSTILE_ENTRY,
  HOSTILE_ISSUER,
  HOSTILE_MAPPING,
  HOSTILE_TYPE,
} from '../mappings/hostile-corpus.js';

const catalog = buildCatalog([{ file: 'health-entry.yaml', text: HOSTILE_ENTRY }]);

/** The corpus's mapping with the holder id of type `idType`, read untransformed (or with `transform`). */
const mapperOf = (idType: string, transform = '') =>
  createLicenseMapper({
    pipeline: 'health',
    sourceName: 'legacy',
    mapping: compileMappingText(
      HOSTILE_MAPPING.replace(
        'holder.idType: { const: "111" }',
        `holder.idType: { const: "${idType}" }`,
      ).replace('from: SFZH, transform: [idNumber]', `from: SFZH${transform}`),
      'health.yaml',
    ),
    catalog,
    licenseType: HOSTILE_TYPE,
    issuer: HOSTILE_ISSUER,
    areaCode: '370211',
  });

describe('white space at an end of the holder id', () => {
  it.each([
    ['414', 'E12345678   ', 'ends with U+0020'],
    ['414', ' E12345678', 'begins with U+0020'],
    ['999', 'HK20240105\u3000', 'ends with U+3000'],
    ['511', 'T1234567\t', 'ends with U+0009'],
  ])('type %s, id %j: the row is quarantined, telling to add trim', (idType, id, end) => {
    const result = mapperOf(idType)({ key: '1', values: { ...goodRow(1), SFZH: id } }, 'run');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatchObject({ code: 'LB_SCHEMA_PATTERN', path: 'holder.id', column: 'SFZH' });
    expect(result.reasons[0]?.message).toBe(
      `license: holder.id ${end}, white space: add trim to its rule's transforms (CHAR padding, a stray space)`,
    );
    // A personal document's number: never in a reason in full.
    expect(JSON.stringify(result.reasons)).not.toContain(id.trim());
  });

  it('with trim the same id maps, and white space inside stays data', () => {
    const clean = mapperOf('414')({ key: '1', values: { ...goodRow(1), SFZH: 'E12345678' } }, 'run');
    if (!clean.ok) throw new Error(JSON.stringify(clean.reasons));
    const padded = mapperOf('414', ', transform: [trim]')(
      { key: '1', values: { ...goodRow(1), SFZH: 'E12345678   ' } },
      'run',
    );
    expect(padded.ok && padded.candidate.contentHash).toBe(clean.candidate.contentHash);
    const inside = mapperOf('999')({ key: '1', values: { ...goodRow(1), SFZH: 'HK 2024 0105' } }, 'run');
    expect(inside.ok).toBe(true);
  });

  it('a padded resident ID is told by its own format check once', () => {
    const result = mapperOf('111')(
      { key: '1', values: { ...goodRow(1), SFZH: `${goodRow(1).SFZH}  ` } },
      'run',
    );
    expect(!result.ok && result.reasons.map((r) => [r.code, r.path])).toEqual([
      ['LB_HOLDER_ID_FORMAT', 'holder.id'],
    ]);
  });
});
