/**
 * A list item written as a number no double holds (`1e400`) was read by `list` as Infinity and
 * passed: under a face field whose items the catalog leaves untyped the row mapped, and its page
 * then failed at commit, where the content hash is taken ('Infinity is not allowed', outside the
 * mapper's reasons), instead of the one row being quarantined with its field and column.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { goodRow, HOSTILE_ENTRY, HOSTILE_ISSUER, HOSTILE_MAPPING, HOSTILE_TYPE } from './hostile-corpus.js';

// Face fields whose list items the entry leaves untyped: a list of anything, a list of objects.
const ENTRY = HOSTILE_ENTRY.replace(
  '    employerCode: { type: string, holderIdType: "001" }\n',
  '    employerCode: { type: string, holderIdType: "001" }\n    items: { type: array }\n    rooms: { type: array, items: { type: object } }\n',
);
const MAPPING = `${HOSTILE_MAPPING}  surface.items[]: { from: XS, transform: [list] }
  surface.rooms[].code: { from: FJ, transform: [list] }
`;

const mapper = createLicenseMapper({
  pipeline: 'health',
  sourceName: 'legacy',
  mapping: compileMappingText(MAPPING, 'health.yaml'),
  catalog: buildCatalog([{ file: 'health-entry.yaml', text: ENTRY }]),
  licenseType: HOSTILE_TYPE,
  issuer: HOSTILE_ISSUER,
  areaCode: '370211',
});

const row = (values: Record<string, string | null>) => ({
  key: '1',
  values: { ...goodRow(1), XS: null, FJ: null, ...values },
});

describe('a list item beyond what a number holds', () => {
  it.each([
    ['XS', '[1e400]', 'surface.items[]', 'health.yaml:13'],
    ['XS', '["甲",-1e400]', 'surface.items[]', 'health.yaml:13'],
    ['FJ', '["01",1E999]', 'surface.rooms[].code', 'health.yaml:14'],
  ])('%s = %s quarantines the row, naming file, field and column', (column, text, path, location) => {
    const result = mapper(row({ [column]: text }), 'run');
    if (result.ok) throw new Error(`mapped, hash ${(() => result.candidate.contentHash)()}`);
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatchObject({ code: 'LB_MAP_NUMBER', path, column, location });
    expect(result.reasons[0]?.message).toMatch(/item \d: number is beyond what a number holds/);
  });

  it('numbers a double holds still map, and the license hashes: -0 and an underflow as 0', () => {
    const result = mapper(row({ XS: '[1.5,-0,1e-400,2.5e-300]', FJ: '[3]' }), 'run');
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.candidate.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.candidate.build(1).surface).toMatchObject({
      items: [1.5, -0, 0, 2.5e-300],
      rooms: [{ code: 3 }],
    });
    const zero = mapper(row({ XS: '[1.5,0,0,2.5e-300]', FJ: '[3]' }), 'run');
    expect(zero.ok && zero.candidate.contentHash).toBe(result.candidate.contentHash);
  });

  it('an integer past 2^53 in a list of objects is refused as before', () => {
    const result = mapper(row({ FJ: '[9007199254740993]' }), 'run');
    expect(!result.ok && result.reasons[0]).toMatchObject({ code: 'LB_MAP_NUMBER', column: 'FJ' });
  });
});
