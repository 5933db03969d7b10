/**
 * The workspace, secrets and checks of the hostile-config files (./hostile-config*.int.test.ts): a
 * demo workspace of the file's own, a marker that can only appear in output by leaking, and a run
 * of the real CLI on the demo config changed by a case, after which stderr, stdout, every row of
 * the ledger and every Redis key and value under the case's prefix are scanned for the secrets.
 * Split in two files, each a sequence of in-process commands, so that the two run side by side.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { markSqliteLedger, unmarkSqliteLedger } from '../ledger/sqlite-ledger-template.js';
import { type CliResult, licbridge, loadCommand } from '../support/cli.js';
import {
  createDemoWorkspace,
  type DemoWorkspace,
  demoConfigYaml,
  obliterate,
} from '../support/demo-workspace.js';

export const ROWS = 40;
// biome-ignore lint/suspicious/noTemplateCurlyInString: a `${file:…}` config reference, as YAML holds it.
export const KEY_REF = '${file:./data/keys/seal.key.pem}';

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

/** Registers the file's workspace: made before its cases, removed with their prefixes after. */
export function useHostileWorkspace(): void {
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    keyPem = await readFile(join(ws.dir, 'data', 'keys', 'seal.key.pem'), 'utf8');
  });
  // Loaded before the first case's clock starts: under load, loading `run` inside the first case's
  // command (35.7 s of transforms) ran it past its limit.
  beforeAll(() => loadCommand('run'), 180_000);
  afterAll(async () => {
    for (const file of ledgers.splice(0)) unmarkSqliteLedger(file);
    for (const p of prefixes.splice(0)) await obliterate(p);
    await ws?.cleanup();
  });
}

/** The file's demo workspace (after its `beforeAll`). */
export function hostileWorkspace(): DemoWorkspace {
  return ws;
}

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
export async function runVariant(
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

export function expectNoLeak(o: Outcome): void {
  expect(leaks(o.stderr), 'stderr').toEqual([]);
  expect(leaks(o.stdout), 'stdout').toEqual([]);
  expect(leaks(o.ledger), 'ledger').toEqual([]);
  expect(leaks(o.redis), 'redis').toEqual([]);
}

/** The demo stream, as the config names it. */
export const TABLE = 'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }';
