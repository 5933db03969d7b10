/**
 * `config check --connect` checks each pipeline's stream against its source once the source
 * answers: a table that is not there is a problem located at the pipeline's stream, and a cursor
 * no index leads is told through the logger, once, as a run would tell it. No row is read.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { checkConnections } from '../../pipelines/config-check.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

let dir: string;
let configFile: string;

const pipeline = (table: string) => `    source: market-food
    stream: { table: ${table}, key: ID, cursor: GXSJ }
    mapping: ./thin.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-check-streams-'));
  await mkdir(join(dir, 'data'));
  const db = new Database(join(dir, 'data', 'legacy.db'));
  for (const t of ['T_BARE', 'T_FAST']) {
    db.exec(`CREATE TABLE ${t} (ID INTEGER PRIMARY KEY, GXSJ TEXT, FDDBRSFZ CHAR(18))`);
    db.exec(`INSERT INTO ${t} VALUES (1, '2024-03-01 08:00:00', '370211198005123410')`);
  }
  db.exec('CREATE INDEX IX_T_FAST_GXSJ_ID ON T_FAST (GXSJ, ID)');
  db.close();
  await writeFile(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  // Reads only the columns the tables have: a `from` column a table lacks is a problem of its own.
  await writeFile(
    join(dir, 'thin.yaml'),
    'fields:\n  number: { from: ID }\n  holder.id: { from: FDDBRSFZ }\n',
  );
  configFile = join(dir, 'licbridge.yaml');
  await writeFile(
    configFile,
    `ledger: { url: "sqlite://./data/ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: check-streams }
catalog: ${join(EXAMPLE, 'catalog')}
sources:
  market-food: { kind: sqlite, path: ./data/legacy.db }
pipelines:
  bare:
${pipeline('T_BARE')}
  bare-again:
${pipeline('T_BARE')}
  fast:
${pipeline('T_FAST')}
  misspelt:
${pipeline('T_FAS')}
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

describe('config check --connect on the streams', () => {
  it('locates a missing table at its stream and warns once about a cursor no index leads', async () => {
    let logged = '';
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        logged += chunk.toString('utf8');
        done();
      },
    });
    const config = await loadConfig({ file: configFile, cwd: dir });
    const problems = await checkConnections(config, 5000, createLogger({ destination, level: 'info' }));
    const text = await readFile(configFile, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('table: T_FAS,')) + 1;
    // Nothing listens on port 9; everything else is about the streams.
    expect(problems.filter((p) => !p.path.startsWith('targets.'))).toEqual([
      expect.objectContaining({
        file: configFile,
        line,
        path: 'pipelines.misspelt.stream',
        message: expect.stringMatching(/^source market-food: table `T_FAS` not found: .*T_FAST/),
      }),
    ]);
    const warnings = logged
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Two pipelines read T_BARE by the same cursor and key: one stream, one warning.
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        source: 'market-food',
        table: 'T_BARE',
        cursor: 'GXSJ',
        keyColumn: 'ID',
        msg: expect.stringContaining('ask the department for an index on (GXSJ, ID)'),
      }),
    ]);
    expect(logged).not.toContain('370211198005123410');
  });
});
