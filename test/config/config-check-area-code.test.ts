/**
 * A pipeline's `areaCode` of six digits that is no division code (`000000`) passed `config check`,
 * whose schema checks six digits only, and then stopped `preview` and every `run` of the pipeline
 * (the license mapper refuses it, GB/T 2260). It is a problem at its line in `config check` too.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import { checkConfigFiles } from '../../pipelines/config-check.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-check-area-code-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsWith(areaCode: string) {
  const mapping = join(dir, 'mapping.yaml');
  const demo = await readFile(join(DEMO, 'mappings', 'food-business-license.yaml'), 'utf8');
  await writeFile(mapping, demo);
  const file = join(dir, 'licbridge.yaml');
  const text = [
    'ledger: { url: "sqlite://./ledger.db" }',
    `catalog: ${join(DEMO, 'catalog')}`,
    'sources:',
    '  market-food: { kind: sqlite, path: ./legacy.db }',
    'pipelines:',
    '  food-business-licenses:',
    '    source: market-food',
    '    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
    `    mapping: ${mapping}`,
    '    licenseType: 11370200MB12345674001',
    '    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }',
    `    areaCode: "${areaCode}"`,
    '    signer: district-seal',
    '    targets: [province]',
    'signers:',
    '  district-seal: { kind: remote, url: "http://127.0.0.1:9", sealId: "3702110000001", auth: { scheme: none } }',
    'targets:',
    '  province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } }',
    '',
  ].join('\n');
  await writeFile(file, text);
  return checkConfigFiles(parseConfig(text, { file, env: {} }) as never);
}

describe('config check: a pipeline area code', () => {
  it('names one that is no division code at its line', async () => {
    const problems = await problemsWith('000000');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 12,
        path: 'pipelines.food-business-licenses.areaCode',
        message: expect.stringContaining('000000 is not a 6-digit division code'),
      }),
    ]);
  });

  it('passes a division code', async () => {
    expect(await problemsWith('370211')).toEqual([]);
  });
});
