/**
 * A license number or holder name with white space at an end (a CHAR(n) column read under
 * `trim: none`, a leading space typed in, U+3000 padding, which sources keep as data) passed the
 * catalog, and the license was published so: `JK00000001    ` to a platform that matches numbers.
 * The row is now quarantined, the reason naming the field, the rule's line and column, and `trim`.
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
const mapperOf = (mapping: string) =>
  createLicenseMapper({
    pipeline: 'health',
    sourceName: 'legacy',
    mapping: compileMappingText(mapping, 'health.yaml'),
    catalog,
    licenseType: HOSTILE_TYPE,
    issuer: HOSTILE_ISSUER,
    areaCode: '370211',
  });

// The corpus's mapping with neither field trimmed.
const untrimmed = mapperOf(
  HOSTILE_MAPPING.replace('from: ZH, transform: [trim]', 'from: ZH').replace(
    'from: XM, transform: [trim]',
    'from: XM',
  ),
);
const trimmed = mapperOf(HOSTILE_MAPPING);

describe('white space at an end of the license number or holder name', () => {
  it.each([
    ['ZH', 'JK00000001    ', 'number', 'ends with U+0020', 'health.yaml:3'],
    ['ZH', ' JK00000001', 'number', 'begins with U+0020', 'health.yaml:3'],
    ['ZH', 'JK00000001\u3000', 'number', 'ends with U+3000', 'health.yaml:3'],
    ['ZH', 'JK00000001\t', 'number', 'ends with U+0009', 'health.yaml:3'],
    ['XM', '李四\u3000\u3000', 'holder.name', 'ends with U+3000', 'health.yaml:4'],
    ['XM', '\u00a0李四', 'holder.name', 'begins with U+00A0', 'health.yaml:4'],
  ])('%s = %j quarantines the row, telling to add trim', (column, value, path, end, location) => {
    const result = untrimmed({ key: '1', values: { ...goodRow(1), [column]: value } }, 'run');
    if (result.ok)
      throw new Error(
        `published as ${JSON.stringify(path === 'number' ? result.candidate.build(1).number : '(the name)')}`,
      );
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatchObject({ code: 'LB_SCHEMA_PATTERN', path, column, location });
    expect(result.reasons[0]?.message).toBe(
      `license: ${path} ${end}, white space: add trim to its rule's transforms (CHAR padding, a stray space)`,
    );
    // The holder's name is personal: never in a reason in full.
    expect(JSON.stringify(result.reasons)).not.toContain('李四');
  });

  it('with trim the same rows map, to the license a clean row gives', () => {
    const clean = trimmed({ key: '1', values: goodRow(1) }, 'run');
    if (!clean.ok) throw new Error(JSON.stringify(clean.reasons));
    const variants: Record<string, string>[] = [{ ZH: '  JK00000001\u3000 ' }, { XM: '\u3000李四 ' }];
    for (const values of variants) {
      const result = trimmed({ key: '1', values: { ...goodRow(1), ...values } }, 'run');
      expect(result.ok && result.candidate.contentHash).toBe(clean.candidate.contentHash);
    }
  });

  it('white space inside stays data, and a blank number is refused by the schema alone', () => {
    const inside = untrimmed({ key: '1', values: { ...goodRow(1), XM: '李\u3000四', ZH: 'JK 0001' } }, 'run');
    expect(inside.ok).toBe(true);
    const blank = untrimmed({ key: '1', values: { ...goodRow(1), ZH: '   ' } }, 'run');
    expect(!blank.ok && blank.reasons.map((r) => r.code)).toEqual(['LB_SCHEMA_PATTERN']);
    expect(!blank.ok && blank.reasons[0]?.message).toMatch(/must match pattern/);
  });
});
