import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';
import { licbridge } from './ops-fixtures.js';

const WRONG_SECRET = 'wrong-province-secret-7Qx2';
const REDIS_PASSWORD = 'redis-pass-Zk81';

/**
 * Runs the demo through the command line at the most verbose log level, with errors injected —
 * platform 503s and throttling, a wrong platform secret, a missing source table, a Redis URL with
 * a password that Redis refuses — and scans every line written for secrets and personal data.
 */
describe('no secret or personal data in any log line', () => {
  let ws: DemoWorkspace;
  let faulty: ProvinceSimulator;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 150, seed: 11 });
    faulty = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      faults: { errorRate: 0.3, seed: 5 },
    });
  });
  afterAll(async () => {
    await faulty?.close();
    await ws?.cleanup();
  });

  it('holds for a demo run with errors injected', async () => {
    const base = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: faulty.url });
    const files = {
      // Small batches: many requests, so the seeded faults surely hit some of them. Retried after
      // 100 ms rather than the default 1 s: the same attempts and log lines, without waiting them out.
      faults: base.replace(
        '    kind: rest-json\n',
        '    kind: rest-json\n    batchSize: 25\n    backoffMs: 100\n',
      ),
      // A ledger of its own, so this run creates versions again and really sends them with the wrong secret.
      wrongSecret: base
        .replace('sqlite://./data/ledger.db', 'sqlite://./data/ledger-wrong-secret.db')
        .replace('    kind: rest-json\n', '    kind: rest-json\n    attempts: 2\n    backoffMs: 100\n'),
      missingTable: base.replace('table: T_SPXK_XKZ', 'table: T_NO_SUCH_TABLE'),
      redisPassword: base.replace('redis://127.0.0.1:6379', `redis://:${REDIS_PASSWORD}@127.0.0.1:6379`),
    };
    const paths: Record<string, string> = {};
    for (const [name, text] of Object.entries(files)) {
      paths[name] = join(ws.dir, `${name}.yaml`);
      await writeFile(paths[name], text);
    }
    const env = { LICBRIDGE_LOG_LEVEL: 'trace' };
    const outputs = [
      await licbridge(['run', '--all', '--config', paths.faults ?? ''], env),
      await licbridge(['run', '--all', '--config', paths.wrongSecret ?? ''], {
        ...env,
        LB_TEST_PROVINCE_SECRET: WRONG_SECRET,
      }),
      await licbridge(['run', '--all', '--config', paths.missingTable ?? ''], env),
      await licbridge(['run', '--all', '--config', paths.redisPassword ?? ''], env),
      await licbridge(['status', '--config', paths.redisPassword ?? ''], env),
    ];
    // The errors were really injected: faults were served, and the broken runs failed.
    const stats = (await (await fetch(`${faulty.url}/_sim/stats`)).json()) as { faultsInjected: number };
    expect(stats.faultsInjected).toBeGreaterThan(0);
    expect(outputs[0]?.status).toBe(0);
    expect(outputs[1]?.stdout).toMatch(/dead-lettered: [1-9]/);
    expect(outputs[2]?.status).not.toBe(0);
    const text = outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n');

    // Structured lines carrying the run, the pipeline and the job.
    const lines = outputs.flatMap((o) => o.stderr.split('\n')).filter((l) => l.startsWith('{'));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((l) => l.runId && l.pipeline && l.jobId)).toBe(true);
    expect(parsed.some((l) => l.level === 40 || l.level === 50)).toBe(true);

    const forbidden = new Set<string>([DEMO_SECRET, WRONG_SECRET, REDIS_PASSWORD]);
    const pem = await readFile(join(ws.dir, 'data', 'keys', 'seal.key.pem'), 'utf8');
    for (const line of pem.split('\n'))
      if (line.length >= 16 && !line.startsWith('-----')) forbidden.add(line);
    const db = new Database(ws.legacyDb, { readonly: true });
    const rows = db.prepare('SELECT JYZMC, FDDBR, FDDBRSFZ FROM T_SPXK_XKZ').all() as Record<
      string,
      string | null
    >[];
    db.close();
    for (const r of rows) {
      for (const v of [r.JYZMC, r.FDDBR, r.FDDBRSFZ]) {
        const t = (v ?? '').trim();
        if (t.length >= 2) forbidden.add(t);
      }
    }
    expect(forbidden.size).toBeGreaterThan(100);
    const leaks = [...forbidden].filter((f) => text.includes(f));
    expect(leaks).toEqual([]);
    // Nor any 18-character ID number shape, whoever's it is. Not inside a SHA-256 in hex (the
    // config's digest, from a random prefix): 18 of its digits in a row between two of its
    // letters read as one, and failed a run now and then.
    const unhashed = text.replace(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g, '<sha-256>');
    expect(unhashed).not.toMatch(/(?<![0-9A-Z])\d{17}[\dXx](?![0-9A-Z])/);
  });
});
