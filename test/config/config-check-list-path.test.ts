/**
 * `config check` looks each mapped face field up in its catalog entry. A list path
 * (`surface.businessItems[]`, `surface.items[].name`, docs/mapping-language.md) was looked up with
 * its `[]`, as a field named `businessItems[]`, and refused: the check failed a mapping that
 * `preview` and `run` map cleanly. The list's own name is looked up, and a path into its items in
 * the entry's `items` schema.
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
  dir = await mkdtemp(join(tmpdir(), 'config-check-list-path-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsWith(edit: (demo: string) => string) {
  const mapping = join(dir, 'mapping.yaml');
  const demo = await readFile(join(DEMO, 'mappings', 'food-business-license.yaml'), 'utf8');
  const edited = edit(demo);
  expect(edited).not.toBe(demo);
  await writeFile(mapping, edited);
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

describe('config check: list paths', () => {
  it('accepts a list field written with []', async () => {
    const problems = await problemsWith((demo) =>
      demo.replace('  surface.businessItems:\n', '  surface.businessItems[]:\n'),
    );
    expect(problems).toEqual([]);
  });

  it('still names a list field the entry does not have', async () => {
    const problems = await problemsWith((demo) =>
      demo.replace('  surface.premises:', '  surface.businessItem[]: { from: JYXM }\n  surface.premises:'),
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        '`surface.businessItem[]` is not a field of license type 11370200MB12345674001',
      ),
    ]);
    expect(problems[0]?.message).toContain('`businessItem` is not among its fields');
  });

  it('names a field written with [] that the entry does not hold as a list', async () => {
    // premises is text: a list of it fails the catalog on every row.
    const problems = await problemsWith((demo) =>
      demo.replace('  surface.premises: { from: JYCS,', '  surface.premises[]: { from: JYCS,'),
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('`surface.premises[]` is not a field of license type 11370200MB12345674001'),
    ]);
    expect(problems[0]?.message).toContain('`premises` is not a list');
  });
});
