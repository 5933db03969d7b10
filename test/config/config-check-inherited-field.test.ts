/**
 * `config check` names a mapped face field the catalog entry does not have. It looked each path
 * segment up in the schema's properties by plain index, so a name every object inherits
 * (`toString`, `valueOf`, `hasOwnProperty`) found Object.prototype's function, read it as a field,
 * and the check passed; the first run then refused every row at the entry's schema.
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
  dir = await mkdtemp(join(tmpdir(), 'config-check-inherited-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsWith(field: string) {
  const mapping = join(dir, 'mapping.yaml');
  const demo = await readFile(join(DEMO, 'mappings', 'food-business-license.yaml'), 'utf8');
  await writeFile(
    mapping,
    demo.replace('  surface.premises:', `  ${field}: { from: JYCS }\n  surface.premises:`),
  );
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

describe('config check: a mapped field named as an inherited property', () => {
  it('is named as not a field of the license type', async () => {
    for (const field of ['surface.toString', 'surface.valueOf', 'surface.hasOwnProperty']) {
      const messages = (await problemsWith(field)).map((p) => p.message);
      expect(messages.join('; '), field).toContain(`\`${field}\` is not a field of license type`);
    }
  });
});
