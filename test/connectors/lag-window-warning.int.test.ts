/**
 * A stream read by a date/time cursor on a server database with `lagMs` 0 (the default) skips for
 * good a row that commits while a page is read with a cursor at or below the page's last
 * (STANDARDS §6, boundary races). Nothing fails, so `config check --connect` says so, naming the
 * source, the stream and the cursor, with the fix. A stream with a lag window, or read by a counter
 * (where lagMs is refused), is not named. On PostgreSQL, in a schema of this file's own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { licbridge } from '../support/cli.js';
import { PG } from './servers.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
const dir = mkdtempSync(join(tmpdir(), 'licbridge-lag-warning-'));
const schema = `lagw_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const ID_NUMBER = '37021119800512341X';
const FIX = 'set lagMs a little above your longest write transaction, 5000–30000';

let client: pg.Client;
/** Stands in for the province platform: `config check --connect` only opens a TCP connection. */
let platform: Server;
let platformPort = 0;

beforeAll(async () => {
  client = new pg.Client(PG);
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(
    `CREATE TABLE ${schema}."T_TIME" ("ID" int PRIMARY KEY, "ZT" char(1), "GXSJ" timestamp(6), "FDDBRSFZ" char(18))`,
  );
  await client.query(`CREATE INDEX ON ${schema}."T_TIME" ("GXSJ", "ID")`);
  await client.query(
    `CREATE TABLE ${schema}."T_COUNT" ("ID" int PRIMARY KEY, "ZT" char(1), "BBH" bigint, "FDDBRSFZ" char(18))`,
  );
  await client.query(`CREATE INDEX ON ${schema}."T_COUNT" ("BBH", "ID")`);
  for (const t of ['T_TIME', 'T_COUNT'])
    await client.query(`INSERT INTO ${schema}."${t}" ("ID", "ZT", "FDDBRSFZ") VALUES (1, '1', $1)`, [
      ID_NUMBER,
    ]);
  writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  writeFileSync(
    join(dir, 'thin.yaml'),
    'fields:\n  number: { const: N1 }\n  status: { from: ZT, transform: [trim], lookup: { "1": valid, "0": revoked } }\n',
  );
  platform = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  platformPort = (platform.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => platform?.close(resolve));
  await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client?.end();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, streams: Record<string, string>): string {
  const pipelines = Object.entries(streams)
    .map(
      ([pipeline, stream]) => `  ${pipeline}:
    source: legacy
    stream: ${stream}
    mapping: ${join(dir, 'thin.yaml')}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]`,
    )
    .join('\n');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: lag-warning }
catalog: ${join(EXAMPLE, 'catalog')}
sources:
  legacy: { kind: postgres, connection: { host: ${PG.host}, port: ${PG.port}, user: ${PG.user}, database: ${PG.database} } }
pipelines:
${pipelines}
signers:
  district-seal: { kind: local-sm2, keyFile: ${join(dir, 'key.pem')}, sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:${platformPort}"
    auth: { scheme: hmac, appKey: test-app, secret: test-secret }
`,
  );
  return file;
}

const STREAMS = {
  timed: `{ table: ${schema}.T_TIME, key: ID, cursor: GXSJ }`,
  lagged: `{ table: ${schema}.T_TIME, key: ID, cursor: GXSJ, lagMs: 5000 }`,
  counted: `{ table: ${schema}.T_COUNT, key: ID, cursor: BBH }`,
  queried: `{ table: licences, key: ID, cursor: GXSJ, query: 'SELECT "ID", "ZT", "GXSJ" FROM ${schema}."T_TIME"' }`,
};

async function checked(file: string): Promise<{ problems: unknown[]; lines: Record<string, unknown>[] }> {
  let logged = '';
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      logged += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ destination, level: 'info' });
  const problems = await checkConnections(await loadConfig({ file, cwd: dir }), 10_000, logger);
  expect(logged).not.toContain(ID_NUMBER);
  const lines = logged
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { problems, lines };
}

const lagWarnings = (lines: Record<string, unknown>[]) =>
  lines.filter((l) => String(l.msg).includes('lagMs'));

describe('config check --connect: a date/time cursor read without a lag window', () => {
  it('warns about a timestamp cursor with lagMs 0, naming the source, the stream and the cursor', async () => {
    const { problems, lines } = await checked(writeConfig('timed', { timed: STREAMS.timed }));
    expect(problems).toEqual([]);
    expect(lagWarnings(lines)).toEqual([
      expect.objectContaining({
        level: 40,
        source: 'legacy',
        pipeline: 'timed',
        table: `${schema}.T_TIME`,
        cursor: 'GXSJ',
        msg: `source legacy: stream \`${schema}.T_TIME\` is read by its date/time cursor \`GXSJ\` (timestamp(6) without time zone) with lagMs 0: a row that commits while a page is read, with a cursor at or below that page's last, is skipped for good once the checkpoint passes it; ${FIX} (ms), on the source or the stream`,
      }),
    ]);
  });

  it('says nothing of a stream with lagMs 5000, nor of a counter cursor', async () => {
    const { problems, lines } = await checked(
      writeConfig('quiet', { lagged: STREAMS.lagged, counted: STREAMS.counted }),
    );
    expect(problems).toEqual([]);
    expect(lagWarnings(lines)).toEqual([]);
  });

  it('warns about a query stream with lagMs 0, naming the type PostgreSQL gives its cursor', async () => {
    const { problems, lines } = await checked(writeConfig('queried', { queried: STREAMS.queried }));
    expect(problems).toEqual([]);
    expect(lagWarnings(lines)).toEqual([
      expect.objectContaining({
        level: 40,
        source: 'legacy',
        pipeline: 'queried',
        table: 'licences',
        cursor: 'GXSJ',
        msg: expect.stringMatching(
          /^source legacy: query stream `licences` is read by its date\/time cursor `GXSJ` \(timestamp\(6\) without time zone\) with lagMs 0: a row that commits while a page is read/,
        ),
      }),
    ]);
  });
});

describe('the command', () => {
  it('prints the warning and still exits 0', async () => {
    const file = writeConfig('command', { timed: STREAMS.timed, lagged: STREAMS.lagged });
    const r = await licbridge(['config', 'check', '--connect', file], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`stream \`${schema}.T_TIME\` is read by its date/time cursor \`GXSJ\``);
    expect(r.stderr).toContain(FIX);
    expect(r.stderr.split('\n').filter((l) => l.includes(FIX))).toHaveLength(1);
  });
});
