/**
 * A mapping test file naming a license type its catalog lacks, an issuer whose credit code fails
 * its check character, or an area code of five digits was refused at `x.test.yaml:1:1` under a
 * path the file does not have (`pipelines.food-business-licenses.issuer.code`): the license
 * mapper's words for a pipeline in the config. Each is now located at its own key in the test file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMappingTestFiles } from '../../pipelines/mapping-tests.js';

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mapping-test-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A one-case test file of the demo mapping with these header lines. */
async function problemsOf(name: string, header: string[]): Promise<string[] | undefined> {
  const file = join(dir, `${name}.test.yaml`);
  await writeFile(
    file,
    [
      `mapping: ${join(DEMO, 'mappings', 'food-business-license.yaml')}`,
      `catalog: ${join(DEMO, 'catalog')}`,
      'pipeline: food-business-licenses',
      ...header,
      'row: { ID: 1 }',
      'cases:',
      '  - name: one',
      '    expect: { failures: [LB_MAP_COLUMN] }',
      '',
    ].join('\n'),
  );
  const { results } = await runMappingTestFiles([file]);
  return results[0]?.problems;
}

describe('a mapping test file’s license type, issuer and area code', () => {
  it('a credit code with a wrong check character is located at issuer.code, naming the right one', async () => {
    const file = join(dir, 'issuer.test.yaml');
    expect(
      await problemsOf('issuer', [
        'licenseType: 11370200MB12345674001',
        'issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345673 }',
      ]),
    ).toEqual([
      `${file}:5:39: issuer.code: 11370211MB12345673 fails the GB 32100 check: the first 17 characters call for the check character 2 (11370211MB12345672)`,
    ]);
  });

  it('a type the catalog lacks and a five-digit area code, each at its key', async () => {
    const file = join(dir, 'type.test.yaml');
    expect(
      await problemsOf('type', [
        'licenseType: 11370200MB12345674009',
        'issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }',
        'areaCode: "37021"',
      ]),
    ).toEqual([
      `${file}:4:14: licenseType: license type 11370200MB12345674009 is not in the catalog`,
      `${file}:6:11: areaCode: 37021 is not a 6-digit division code`,
    ]);
  });
});
