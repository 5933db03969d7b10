import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { checkHolderId, holderIdTypeOfShape } from '../../catalog/holder-id.js';
import type { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { licbridge } from '../support/cli.js';
import { DEMO_TYPE, demoEntryText, demoLicense } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function catalogWith(setting: string) {
  const text = (await demoEntryText()).replace('holderCategory: legal-person', setting);
  return buildCatalog([{ file: '/cat/food.yaml', text }]);
}

const person = { name: '王小二', idType: '111', id: '370211198005123414' };

describe('holder categories of a catalog entry', () => {
  it('accepts companies and individual businesses when the entry allows both', async () => {
    for (const setting of ['holderCategory: both', 'holderCategory: [legal-person, natural-person]']) {
      const catalog = await catalogWith(setting);
      expect(catalog.validate(demoLicense())).toEqual([]);
      expect(catalog.validate({ ...demoLicense(), holder: person })).toEqual([]);
    }
  });

  it('narrows to the listed holderIdTypes', async () => {
    const catalog = await catalogWith('holderCategory: both\nholderIdTypes: ["001", "111"]');
    expect(catalog.validate({ ...demoLicense(), holder: person })).toEqual([]);
    const other = catalog.validate({ ...demoLicense(), holder: { ...demoLicense().holder, idType: '099' } });
    expect(other.map((r) => r.code)).toEqual(['LB_SCHEMA_ENUM']);
  });

  it('rejects a holderIdTypes entry outside the categories, at its line', async () => {
    const text = (await demoEntryText()).replace(
      'holderCategory: legal-person',
      'holderCategory: legal-person\nholderIdTypes: ["001", "111"]',
    );
    let error: ConfigError | undefined;
    try {
      buildCatalog([{ file: '/cat/food.yaml', text }]);
    } catch (e) {
      error = e as ConfigError;
    }
    const line = text.split('\n').findIndex((l) => l.startsWith('holderIdTypes')) + 1;
    expect(error?.problems[0]).toMatchObject({ line });
    expect(error?.problems[0]?.message).toContain('111 is not held by holderCategory legal-person');
  });

  it('names holderCategory and the fix when an id type is outside the entry', async () => {
    const catalog = await catalogWith('holderCategory: legal-person');
    const [reason] = catalog.validate({ ...demoLicense(), holder: person });
    expect(reason?.code).toBe('LB_SCHEMA_ENUM');
    expect(reason?.message).toContain(
      `catalog entry ${DEMO_TYPE} (holderCategory: legal-person; id types 001, 099)`,
    );
    expect(reason?.message).toContain('add its category to holderCategory');
  });

  it('keeps a natural person holder masked in reasons, a company in clear', async () => {
    const catalog = await catalogWith('holderCategory: both');
    const bad = catalog.validate({ ...demoLicense(), holder: { ...person, id: '370211198005123410' } });
    expect(bad[0]).toMatchObject({ code: 'LB_HOLDER_ID_CHECK', value: '3702**********3410' });
    expect(JSON.stringify(bad)).not.toContain('370211198005123410');
    const company = catalog.validate({ ...demoLicense(), holder: { ...demoLicense().holder, name: '' } });
    expect(company.find((r) => r.path === 'holder.name')).toBeDefined();
  });
});

describe('holder id failures name the check that failed', () => {
  it('a wrong check char names the expected one, masked', () => {
    const problem = checkHolderId('111', '370211198005123410');
    expect(problem?.message).toContain('check-char check: expected 3702**********3414 (check char 4');
    expect(problem?.message).not.toContain('370211198005123414');
    expect(checkHolderId('001', '91370211MA3C7XY81K')?.message).toContain('(check char Y, GB 32100)');
  });

  it('a birth date and a format failure say so', () => {
    expect(checkHolderId('111', '370211198002303414')?.message).toContain('fails the date check');
    expect(checkHolderId('111', '37021119800230341')?.message).toContain('fails the format check');
  });
});

describe('holderIdType: the id type by the value shape', () => {
  it('credit code → 001, resident ID (18 or 15) → 111, neither → null', () => {
    expect(holderIdTypeOfShape('91370211MA3C7XY81Y')).toBe('001');
    expect(holderIdTypeOfShape('370211198005123414')).toBe('111');
    expect(holderIdTypeOfShape('370211650101123')).toBe('111');
    expect(holderIdTypeOfShape('370211198005123410')).toBe('111');
    expect(holderIdTypeOfShape('A12345')).toBeNull();
  });

  it('rejects a bad argument at its line and column', () => {
    const text = [
      'fields:',
      '  number: { from: A }',
      '  holder.idType: { from: B, transform: [{ holderIdType: [1] }] }',
      '',
    ].join('\n');
    let message = '';
    try {
      compileMappingText(text, 'm.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/m\.yaml:3:\d+/);
    expect(message).toContain('holderIdType');
  });
});

describe('the road-transport demo: both holder kinds', () => {
  it('its mapping tests pass: 001 companies, 111 individual businesses, 15-digit upgraded', async () => {
    const file = join(ROOT, 'examples/west-coast/road-transport/mappings/road-transport-license.test.yaml');
    const r = await licbridge(['test', file]);
    expect(`${r.stdout}${r.stderr}`).toContain('8 passed, 0 failed');
    expect(r.status).toBe(0);
  });
});

describe('a face field with holderIdType names the check that failed', () => {
  it('says check char and shows the expected id masked', async () => {
    const text = (await demoEntryText()).replace(
      '      description: 法定代表人（负责人）',
      '      description: 法定代表人（负责人）\n    legalRepresentativeId: { type: string, holderIdType: "111" }',
    );
    const catalog = buildCatalog([{ file: '/cat/food.yaml', text }]);
    const license = demoLicense();
    const surface = { ...license.surface, legalRepresentativeId: '370211198005123410' };
    const [reason] = catalog.validate({ ...license, surface });
    expect(reason?.code).toBe('LB_SCHEMA_HOLDER_ID');
    expect(reason?.message).toContain(
      'fails holderIdType 111: resident id 3702**********3410 fails the check-char check',
    );
    expect(reason?.message).toContain('expected 3702**********3414');
    expect(JSON.stringify(reason)).not.toContain('370211198005123410');
  });
});
