/**
 * The catalog entry docs/catalog.md shows, read from the page: it loads, and a license of its type
 * is checked as the page says (the representative's id by its holderIdType, the required face field).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { buildIdentifier } from '../../catalog/identifier.js';

const page = readFileSync(new URL('../../docs/catalog.md', import.meta.url), 'utf8');
const example = /```yaml\n(code: [\s\S]*?)```/.exec(page)?.[1];

describe('docs/catalog.md example entry', () => {
  it('loads and checks a license of its type', () => {
    expect(example).toBeDefined();
    const catalog = buildCatalog([{ file: '/docs/food.yaml', text: example as string }]);
    expect(catalog.entries().map((e) => [e.code, e.name, e.holderCategory])).toEqual([
      ['11370200MB12345674001', '食品经营许可证', 'legal-person'],
    ]);
    const license = {
      identifier: buildIdentifier({
        typeCode: '11370200MB12345674001',
        issuerCode: '11220000013544541J',
        serial: '2430599',
        version: 1,
      }),
      number: 'JY23702110012345',
      type: { name: '食品经营许可证', code: '11370200MB12345674001' },
      issuer: { name: '青岛市市场监督管理局', code: '11220000013544541J' },
      issueDate: '2021-03-15',
      validFrom: '2021-03-15',
      validTo: '2026-03-14',
      areaCode: '370211',
      holder: { name: '青岛某某食品有限公司', idType: '001', id: '91370406L24894136J' },
      status: 'valid',
      surface: { legalRepresentative: '张三', representativeId: '11010519491231002X' },
    };
    const codes = (l: unknown) => catalog.validate(l as never).map((r) => `${r.code} ${r.path}`);
    expect(codes(license)).toEqual([]);
    expect(codes({ ...license, surface: { representativeId: '11010519491231002Y' } })).toEqual(
      expect.arrayContaining([
        'LB_SCHEMA_REQUIRED surface.legalRepresentative',
        'LB_SCHEMA_HOLDER_ID surface.representativeId',
      ]),
    );
  });
});
