/**
 * A mapping test file stands for its pipeline: `timeZone:` is the zone the pipeline's today is
 * taken in (lifecycle.timeZone), in which conditions take an instant's day too, and
 * `expiry: false` tests a pipeline without derived expiry, whose licenses stay valid past their
 * date on a pinned today. Conditions compare days of one zone wherever the row is mapped.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { runMappingTestFiles } from '../../pipelines/mapping-tests.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

const NOTE = [
  'fields:',
  '  surface.note:',
  '    - { when: { column: YXQZ, before: today }, const: past }',
  '    - { when: { column: YXQZ, after: today }, const: ahead }',
  '    - { const: due }',
  '',
].join('\n');

// 2024-03-01T03:00Z is 22:00 on 29 February in New York, 11:00 on 1 March in Shanghai.
const LATE_EVENING_NEW_YORK = '2024-03-01T03:00:00Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-test-zone-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function run(name: string, text: string) {
  await writeFile(join(dir, name), text);
  const { results } = await runMappingTestFiles([join(dir, name)]);
  const [r] = results;
  return [...(r?.problems ?? []), ...(r?.cases ?? []).flatMap((c) => (c.passed ? ['pass'] : c.messages))];
}

describe('conditions take an instant day in the configured zone', () => {
  it('the mapping alone: today and the instant are days of one zone', () => {
    const m = compileMappingText(NOTE, '/maps/m.yaml');
    const note = (timeZone: string | undefined, today: string) => {
      const r = m.map({ YXQZ: LATE_EVENING_NEW_YORK }, { today, ...(timeZone ? { timeZone } : {}) });
      return r.ok ? (r.fields.surface as { note?: unknown }).note : r.reasons;
    };
    expect(note('America/New_York', '2024-02-29')).toBe('due');
    expect(note('America/New_York', '2024-03-01')).toBe('past');
    expect(note(undefined, '2024-03-01')).toBe('due');
    expect(note(undefined, '2024-02-29')).toBe('ahead');
  });

  it('a mapping test file names the zone with timeZone:', async () => {
    await writeFile(join(dir, 'm.yaml'), NOTE);
    const file = (zone: string) =>
      [
        'mapping: ./m.yaml',
        'today: "2024-02-29"',
        zone,
        `row: { YXQZ: "${LATE_EVENING_NEW_YORK}" }`,
        'cases:',
        '  - name: due on its own day',
        '    expect: { fields: { surface.note: due } }',
        '',
      ].join('\n');
    expect(await run('ny.test.yaml', file('timeZone: America/New_York'))).toEqual(['pass']);
    expect(await run('sh.test.yaml', file(''))).toEqual(['surface.note: expected "due", got "ahead"']);
    const bad = await run('bad.test.yaml', file('timeZone: Mars/Olympus'));
    expect(bad.join('\n')).toMatch(/bad\.test\.yaml:3:.*IANA time zone.*Mars\/Olympus/);
  });
});

describe('the license mapper of a pipeline', () => {
  it('takes an instant day in the zone it is given', async () => {
    const demo = await readFile(DEMO_MAPPING_FILE, 'utf8');
    const rule = '  surface.businessForm: { from: ZTYT, transform: [trim], required: true }';
    expect(demo).toContain(rule);
    const text = demo.replace(
      rule,
      [
        '  surface.businessForm:',
        '    - { when: { column: GXSJ, before: "2024-03-01" }, const: 早 }',
        '    - { const: 晚 }',
      ].join('\n'),
    );
    const mapping = compileMappingText(text, DEMO_MAPPING_FILE);
    const catalog = await loadCatalog(DEMO_CATALOG_DIR);
    const form = (timeZone?: string) => {
      const mapper = createLicenseMapper({
        ...{ pipeline: 'demo', sourceName: 'market-food', mapping, catalog },
        ...{ licenseType: DEMO_TYPE, issuer: DEMO_ISSUER, areaCode: '370211' },
        ...(timeZone ? { timeZone } : {}),
      });
      const r = mapper({ key: '1', values: demoValues({ GXSJ: LATE_EVENING_NEW_YORK }) }, 'run');
      return r.ok ? (r.candidate.build(1).surface as { businessForm?: unknown }).businessForm : r.reasons;
    };
    expect(form('America/New_York')).toBe('早');
    expect(form()).toBe('晚');
  });
});

describe('a mapping test of a pipeline with expiry: false', () => {
  async function demoTest(extra: string) {
    // The demo's own test file, its paths made absolute, with one case past the license's date.
    const demo = await readFile(DEMO_MAPPING_FILE.replace(/\.yaml$/, '.test.yaml'), 'utf8');
    const head = demo
      .slice(0, demo.indexOf('\ncases:'))
      .replace('mapping: ./food-business-license.yaml', `mapping: ${DEMO_MAPPING_FILE}`)
      .replace('catalog: ../catalog', `catalog: ${DEMO_CATALOG_DIR}`);
    const status = extra.includes('expiry: false') ? 'valid' : 'expired';
    const cases = ['cases:', '  - name: past its date', `    expect: { fields: { status: ${status} } }`, ''];
    return run('food.test.yaml', [head, 'today: "2027-01-01"', extra, ...cases].join('\n'));
  }

  it('keeps a license valid past its date on the pinned today', async () => {
    expect(await demoTest('expiry: false')).toEqual(['pass']);
  });

  it('derives expiry when the pipeline has it (the default)', async () => {
    expect(await demoTest('')).toEqual(['pass']);
    expect(await demoTest('expiry: true')).toEqual(['pass']);
  });

  it('refuses an expiry that is not true or false', async () => {
    expect((await demoTest('expiry: "no"')).join('\n')).toMatch(/expected `expiry` to be true or false/);
  });
});
