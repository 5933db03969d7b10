/**
 * `lagMs` written for a SQLite source — on the source, or on the stream of a pipeline reading it —
 * was accepted and applied nowhere: SQLite has no lag bound. `config check` now names the line,
 * as a run refuses the stream (connectors/sql/resolve-stream.ts); `lagMs: 0` and a server
 * database's lagMs pass.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import type { Problem } from '../../core/errors.js';
import { checkConfigFiles } from '../../pipelines/config-check.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-check-sqlite-lag-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The demo's food pipeline reading `source` (a YAML flow map) with `stream` extras. */
async function check(source: string, streamExtra = ''): Promise<Problem[]> {
  const mapping = join(dir, 'mapping.yaml');
  await writeFile(mapping, await readFile(join(DEMO, 'mappings', 'food-business-license.yaml'), 'utf8'));
  const file = join(dir, 'licbridge.yaml');
  const text = [
    'ledger: { url: "sqlite://./ledger.db" }',
    `catalog: ${join(DEMO, 'catalog')}`,
    'sources:',
    `  market-food: ${source}`,
    'pipelines:',
    '  food-business-licenses:',
    '    source: market-food',
    `    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ${streamExtra} }`,
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

const SQLITE = 'kind: sqlite, path: ./legacy.db';
const POSTGRES = 'kind: postgres, connection: { host: 127.0.0.1, database: spxk }';

describe('config check: lagMs on a SQLite source', () => {
  it("names the source's lagMs at its line", async () => {
    expect(await check(`{ ${SQLITE}, lagMs: 5000 }`)).toEqual([
      expect.objectContaining({
        line: 4,
        path: 'sources.market-food.lagMs',
        message:
          'lagMs is not applied on SQLite: a SQLite source has no database clock to hold recent rows back by (its dates are text as the application wrote them), and a run refuses each stream with a cursor under it; remove it or set lagMs: 0',
      }),
    ]);
  });

  it("names a stream's lagMs at its line", async () => {
    expect(await check(`{ ${SQLITE} }`, ', lagMs: 5000')).toEqual([
      expect.objectContaining({
        line: 8,
        path: 'pipelines.food-business-licenses.stream.lagMs',
        message: expect.stringMatching(
          /^lagMs is not applied on SQLite: source market-food is a SQLite source, which has no database clock/,
        ),
      }),
    ]);
  });

  it('passes lagMs: 0', async () => {
    expect(await check(`{ ${SQLITE}, lagMs: 0 }`, ', lagMs: 0')).toEqual([]);
  });

  it("passes a server database's lagMs", async () => {
    expect(await check(`{ ${POSTGRES}, lagMs: 5000 }`, ', lagMs: 10000')).toEqual([]);
  });
});
