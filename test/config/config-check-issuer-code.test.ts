/**
 * A pipeline's `issuer.code` with a wrong GB 32100 check character (`11370211MB12345673` for the
 * demo issuer's `…672`) passed `config check`: the config's schema checks the alphabet only. The
 * first `run` or `preview` then failed on it, at the config's first line (`licbridge.yaml:1:1`).
 * config check now refuses it at the pipeline's `issuer.code`, naming the check character the first
 * 17 call for, as the catalog refuses a type code whose defining body's code is wrong.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  dir = await mkdtemp(join(tmpdir(), 'config-check-issuer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The demo's pipeline, its issuer code `code`, in a config of its own. */
async function problemsWith(code: string) {
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
    `    mapping: ${join(DEMO, 'mappings', 'food-business-license.yaml')}`,
    '    licenseType: 11370200MB12345674001',
    `    issuer: { name: 青岛西海岸新区市场监督管理局, code: ${code} }`,
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

describe('config check: the issuing unit’s credit code', () => {
  it('refuses a wrong check character at issuer.code, naming the right one', async () => {
    const problems = await problemsWith('11370211MB12345673');
    expect(problems.filter((p) => p.path.includes('issuer'))).toEqual([
      {
        file: join(dir, 'licbridge.yaml'),
        line: 11,
        column: 43,
        path: 'pipelines.food-business-licenses.issuer.code',
        message:
          'issuer.code 11370211MB12345673 fails the GB 32100 check: the first 17 characters call for the check character 2 (11370211MB12345672)',
      },
    ]);
  });

  it('passes the demo issuer’s code', async () => {
    const problems = await problemsWith('11370211MB12345672');
    expect(problems.filter((p) => p.path.includes('issuer'))).toEqual([]);
  });
});
