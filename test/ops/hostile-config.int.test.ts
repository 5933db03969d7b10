// biome-ignore-all lint/suspicious/noTemplateCurlyInString: YAML text with `${env:…}` and `${file:…}` config references.
/**
 * A hostile config author, through the real CLI: values taken from `${file:}` / `${env:}`
 * references put where they get echoed (table and column names, a query, paths, the Redis URL),
 * queries that try to lock, sleep, read files or change session state, and regular expressions
 * that backtrack for ever. Each case asserts the exit code, then scans stderr, stdout, every row
 * of the ledger and every Redis key and value under the case's prefix for the secrets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markSqliteLedger, unmarkSqliteLedger } from '../ledger/sqlite-ledger-template.js';
import { type CliResult, licbridge, loadCommand } from '../support/cli.js';
import {
  createDemoWorkspace,
  type DemoWorkspace,
  demoConfigYaml,
  obliterate,
} from '../support/demo-workspace.js';

const ROWS = 40;
const KEY_REF = '${file:./data/keys/seal.key.pem}';

let ws: DemoWorkspace;
let keyPem: string;
// Generated per run: a value that can only appear in output by leaking.
const marker = `lbsecret${randomBytes(8).toString('hex')}`;
const env = {
  LB_HOSTILE_MARKER: marker,
  LB_HOSTILE_REDIS: `redis://lbuser:${marker}@127.0.0.1:1/0`,
  // Nothing listens on port 1: every delivery fails, and its reason is recorded.
  LB_HOSTILE_TARGET: `http://127.0.0.1:1/${marker}/licenses`,
};
const prefixes: string[] = [];
const ledgers: string[] = [];

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: ROWS });
  keyPem = await readFile(join(ws.dir, 'data', 'keys', 'seal.key.pem'), 'utf8');
});
// Loaded before the first case's clock starts: under load, loading `run` inside the first case's
// command (35.7 s of transforms) ran it past its limit.
beforeAll(() => loadCommand('run'), 180_000);
afterAll(async () => {
  for (const file of ledgers) unmarkSqliteLedger(file);
  for (const p of prefixes) await obliterate(p);
  await ws?.cleanup();
});

/** Pieces of the secrets a leak would show: the marker and 16-character runs of the key's lines. */
function leaks(output: string): string[] {
  // Case-folded: a message that upper-cases a value still shows it.
  const text = output.toLowerCase();
  const found: string[] = [];
  if (text.includes(marker.toLowerCase())) found.push('env marker');
  const lines = keyPem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
  for (const line of lines.map((l) => l.toLowerCase())) {
    for (let i = 0; i + 16 <= line.length; i += 8) {
      if (text.includes(line.slice(i, i + 16))) {
        found.push('key material');
        return found;
      }
    }
  }
  return found;
}

/** Every text in every table of the ledger file. */
function ledgerText(file: string): string {
  if (!existsSync(file)) return '';
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

/** Every key and value under a queue prefix. */
async function redisText(prefix: string): Promise<string> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  try {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        out.push(key);
        const type = await redis.type(key);
        if (type === 'string') out.push((await redis.get(key)) ?? '');
        else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
    return out.join('\n');
  } finally {
    redis.disconnect();
  }
}

interface Outcome extends CliResult {
  ledger: string;
  redis: string;
}

/** Writes the demo config changed by `edit` under a fresh prefix and ledger, and runs it. */
async function runVariant(
  name: string,
  edit: (yaml: string) => string,
  args = ['run', '--all'],
): Promise<Outcome> {
  const prefix = `test-${randomUUID()}`;
  prefixes.push(prefix);
  const base = demoConfigYaml({ prefix, simulatorUrl: ws.simulator.url }).replace(
    'sqlite://./data/ledger.db',
    `sqlite://./data/ledger-${name}.db`,
  );
  const yaml = edit(base);
  expect(yaml, `${name}: the edit applies`).not.toBe(base);
  const file = join(ws.dir, `hostile-${name}.yaml`);
  await writeFile(file, yaml);
  // Each case's fresh ledger is filled from the script of what the migrations leave, the same
  // tables and rows (test/ledger/ledger-template.int.test.ts), instead of running the 59 of them,
  // each synced to disk, in each of the 21 cases whose command opens its ledger (~0.7 s of the
  // file's ~11 s of CPU).
  const ledger = join(ws.dir, 'data', `ledger-${name}.db`);
  await markSqliteLedger(ledger);
  ledgers.push(ledger);
  // The default limit: the case's less the wait for a command past it to stop, so a run that
  // hangs is reported by its own message, not by the case's (90 s here outlasted the case's 60).
  const r = await licbridge([...args, '--config', file], { env });
  return {
    ...r,
    ledger: ledgerText(ledger),
    redis: await redisText(prefix),
  };
}

function expectNoLeak(o: Outcome): void {
  expect(leaks(o.stderr), 'stderr').toEqual([]);
  expect(leaks(o.stdout), 'stdout').toEqual([]);
  expect(leaks(o.ledger), 'ledger').toEqual([]);
  expect(leaks(o.redis), 'redis').toEqual([]);
}

const TABLE = 'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }';

describe('hostile config: values from references are never echoed', () => {
  it.each([
    ['table-from-key-file', (y: string) => y.replace('table: T_SPXK_XKZ', `table: "${KEY_REF}"`)],
    ['table-from-env', (y: string) => y.replace('table: T_SPXK_XKZ', 'table: "${env:LB_HOSTILE_MARKER}"')],
    ['key-from-env', (y: string) => y.replace('key: ID', 'key: "${env:LB_HOSTILE_MARKER}"')],
    ['cursor-from-key-file', (y: string) => y.replace('cursor: GXSJ', `cursor: "${KEY_REF}"`)],
    [
      'query-from-key-file',
      (y: string) => y.replace(TABLE, `stream: { table: q, key: ID, query: "${KEY_REF}" }`),
    ],
    [
      'query-with-env-table',
      (y: string) =>
        y.replace(TABLE, 'stream: { table: q, key: ID, query: "SELECT * FROM T_${env:LB_HOSTILE_MARKER}" }'),
    ],
    ['catalog-from-key-file', (y: string) => y.replace('catalog: ./catalog', `catalog: "${KEY_REF}"`)],
    [
      'mapping-from-env',
      (y: string) =>
        y.replace(
          'mapping: ./mappings/food-business-license.yaml',
          'mapping: "./${env:LB_HOSTILE_MARKER}.yaml"',
        ),
    ],
    [
      'source-path-from-env',
      (y: string) => y.replace('path: ./data/legacy.db', 'path: "${env:LB_HOSTILE_MARKER}"'),
    ],
    [
      'redis-url-from-env',
      (y: string) => y.replace('redis: "redis://127.0.0.1:6379"', 'redis: "${env:LB_HOSTILE_REDIS}"'),
    ],
    [
      'redis-url-from-key-file',
      (y: string) => y.replace('redis: "redis://127.0.0.1:6379"', `redis: "${KEY_REF}"`),
    ],
  ] as const)(
    '%s: the command fails, and no output, ledger row or Redis value holds the value',
    async (name, edit) => {
      const o = await runVariant(name, edit);
      expect([1, 2], `${name} exit code; stderr: ${o.stderr.slice(0, 300)}`).toContain(o.status);
      expect(o.stderr).toContain('licbridge');
      expectNoLeak(o);
    },
  );
});

describe('hostile config: a platform URL from a reference', () => {
  it('deliveries to it fail and are dead-lettered; no reason, log line or job holds the URL', async () => {
    const o = await runVariant('target-url-from-env', (y) =>
      y
        .replace(/url: "http[^"]*"/, 'url: "${env:LB_HOSTILE_TARGET}"')
        .replace('kind: rest-json\n', 'kind: rest-json\n    attempts: 1\n'),
    );
    // Dead letters are an outcome of the run, not a failure of the command: done, and a person
    // is needed (3), as status says.
    expect(o.status, o.stderr.slice(0, 300)).toBe(3);
    expect(o.stdout).toMatch(/dead-lettered: [1-9]/);
    expectNoLeak(o);
  });
});

describe('hostile config: query streams are one read-only SELECT', () => {
  const query = (q: string) => (y: string) =>
    y.replace(TABLE, `stream: { table: q, key: ID, cursor: GXSJ, query: ${JSON.stringify(q)} }`);
  const mysqlSource = (y: string) =>
    y.replace(
      'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
      'market-food: { kind: mysql, connection: { host: 127.0.0.1, port: 3306, user: root, database: test } }',
    );
  const pgSource = (y: string) =>
    y.replace(
      'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
      'market-food: { kind: postgres, connection: { host: 127.0.0.1, port: 5432, user: postgres, database: test } }',
    );

  it.each([
    ['sqlite-load-extension', "SELECT *, load_extension('x') FROM T_SPXK_XKZ", (y: string) => y],
    ['mysql-dash-dash', 'SELECT * FROM T_SPXK_XKZ WHERE ID = 1--1 FOR UPDATE', mysqlSource],
    ['mysql-hash-comment', "SELECT * FROM T_SPXK_XKZ # '\nLOCK IN SHARE MODE -- '", mysqlSource],
    ['mysql-version-comment', 'SELECT * FROM T_SPXK_XKZ /*!50000 FOR UPDATE */', mysqlSource],
    ['mysql-backslash', "SELECT * FROM T_SPXK_XKZ WHERE JYZMC = 'x\\'' LOCK IN SHARE MODE -- '", mysqlSource],
    ['mysql-get-lock', "SELECT *, GET_LOCK('lb', 5) FROM T_SPXK_XKZ", mysqlSource],
    ['pg-set-config', "SELECT *, set_config('default_transaction_read_only', 'off', false) FROM t", pgSource],
    ['pg-read-file', "SELECT *, pg_read_file('/etc/hostname') FROM t", pgSource],
  ] as const)('%s is rejected before it reaches the database', async (name, sql, source) => {
    const o = await runVariant(name, (y) => query(sql)(source(y)));
    expect([1, 2]).toContain(o.status);
    expect(`${o.stderr}${o.stdout}`).toContain('query rejected');
    expectNoLeak(o);
  });

  it('a query ending in a -- comment runs to the end', async () => {
    const o = await runVariant('trailing-comment', query('SELECT * FROM T_SPXK_XKZ -- the whole table'), [
      'run',
      '--all',
      '--json',
    ]);
    expect(o.status, o.stderr.slice(0, 500)).toBe(0);
    const [run] = (JSON.parse(o.stdout) as { runs: { read: number }[] }).runs;
    expect(run?.read).toBe(ROWS);
    expectNoLeak(o);
  });
});

describe('hostile config: regular expressions cannot hang a worker', () => {
  // Exponential on a backtracking engine: 28 characters took 27 s.
  const HOSTILE = '^(\\\\w+\\\\s?)*$';

  it('a catastrophic pattern on long hostile values finishes the run with every row mapped', async () => {
    const legacy = new Database(ws.legacyDb);
    legacy.prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID % 4 = 0').run(`${'a'.repeat(60)}!`);
    legacy.close();
    const mapping = await readFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), 'utf8');
    const hostile = mapping
      .replace(
        'surface.premises: { from: JYCS, transform: [trim], required: true }',
        `surface.premises: { from: JYCS, transform: [trim, { replace: ["${HOSTILE}", "X"] }], required: true }`,
      )
      .replace(
        'areaCode: { from: XZQH, transform: [trim] }',
        `areaCode:\n    - { when: { column: JYCS, matches: "${HOSTILE}" }, const: "370211" }\n    - { from: XZQH, transform: [trim] }`,
      );
    expect(hostile).not.toBe(mapping);
    await writeFile(join(ws.dir, 'mappings', 'hostile-regex.yaml'), hostile);
    const o = await runVariant(
      'regex-run',
      (y) => y.replace('./mappings/food-business-license.yaml', './mappings/hostile-regex.yaml'),
      ['run', '--all', '--json', '--full'],
    );
    expect(o.status, o.stderr.slice(0, 500)).toBe(0);
    const [run] = (JSON.parse(o.stdout) as { runs: { read: number; quarantined: number }[] }).runs;
    expect(run?.read).toBe(ROWS);
    expectNoLeak(o);
  });

  it('a back-reference is refused when the mapping compiles, naming file and line', async () => {
    const mapping = await readFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), 'utf8');
    const broken = mapping.replace(
      'surface.premises: { from: JYCS, transform: [trim], required: true }',
      'surface.premises: { from: JYCS, transform: [trim, { replace: ["(a)\\\\1+$", ""] }], required: true }',
    );
    const line = broken.split('\n').findIndex((l) => l.includes('(a)')) + 1;
    await writeFile(join(ws.dir, 'mappings', 'hostile-backref.yaml'), broken);
    const o = await runVariant('regex-backref', (y) =>
      y.replace('./mappings/food-business-license.yaml', './mappings/hostile-backref.yaml'),
    );
    expect(o.status).toBe(2);
    expect(o.stderr).toContain(`hostile-backref.yaml:${line}:`);
    expect(o.stderr).toMatch(/back-references and look-ahead\/look-behind are not supported/);
    expectNoLeak(o);
  });
});
