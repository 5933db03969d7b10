/**
 * `config check --connect` on an export-file source: the `when` conditions of each pipeline's
 * mapping are checked against the fields the export files carry, and a condition naming a field
 * none of them has is located in the mapping file at its `column:`, with the rule's path.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { RECORD_PATH, writeExport } from './xml-fixtures.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

let dir: string;
let configFile: string;
let mappingFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-check-when-'));
  await mkdir(join(dir, 'exports'));
  await writeExport(join(dir, 'exports'), 'SPXK_1.xml', [
    { ID: '1', GXSJ: '2026-11-01 08:00:00', XKZBH: 'JY1', ZT: '1', LX: '1' },
  ]);
  const mapping = await readFile(join(EXAMPLE, 'mappings', 'food-business-license.yaml'), 'utf8');
  mappingFile = join(dir, 'food.yaml');
  // ZTBZ is no element of the export: the status rule would never apply as meant.
  await writeFile(
    mappingFile,
    mapping.replace(
      '  status:\n    from: ZT\n',
      '  status:\n    from: ZT\n    when: { any: [{ column: LX, equals: "1" }, { column: ZTBZ, equals: "1" }] }\n',
    ),
  );
  await writeFile(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  configFile = join(dir, 'licbridge.yaml');
  await writeFile(
    configFile,
    `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: check-when }
catalog: ${join(EXAMPLE, 'catalog')}
sources:
  exports: { kind: xml-files, path: ./exports, recordPath: ${RECORD_PATH} }
pipelines:
  food:
    source: exports
    stream: { table: ${RECORD_PATH}, key: ID, cursor: GXSJ }
    mapping: ${mappingFile}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]
signers:
  district-seal: { kind: local-sm2, keyFile: ${join(dir, 'key.pem')}, sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:9"
    auth: { scheme: hmac, appKey: test-app, secret: test-secret }
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('config check --connect: when columns against an export source', () => {
  it('locates a condition column no export file carries in the mapping file', async () => {
    const config = await loadConfig({ file: configFile, cwd: dir });
    const problems = await checkConnections(config, 5000, createLogger({ level: 'silent' }));
    const line = (await readFile(mappingFile, 'utf8')).split('\n').findIndex((l) => l.includes('ZTBZ')) + 1;
    expect(problems.filter((p) => !p.path.startsWith('targets.'))).toEqual([
      expect.objectContaining({
        file: mappingFile,
        line,
        path: 'fields.status.when.any.1.column',
        message: expect.stringMatching(/^when: column `ZTBZ` is not a field of the source; its fields: `ID`/),
      }),
    ]);
  });
});
