/**
 * `licbridge status` exits 3 for every state that needs a person, with one line saying what and
 * what to do, and 0 once the state is cleared — one test per state. (Dead letters and an
 * unreachable source with Redis down together are in status.int.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import { createQueues } from '../../pipelines/queues.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { licbridge, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('status: each state that needs a person', { timeout: 180_000 }, () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;
  const base = () => demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url });
  const variant = async (name: string, yaml: string) => {
    const file = join(ws.dir, name);
    await writeFile(file, yaml);
    return file;
  };
  const status = (file: string, ...args: string[]) => licbridge(['status', ...args, '--config', file]);
  const run = async () => {
    const r = await licbridge(['run', '--all', '--json', '--config', ws.configFile]);
    expect(r.status, r.stderr).toBe(0);
  };
  const sql = (statement: string, ...params: unknown[]) => {
    const db = new Database(ledgerFile);
    try {
      db.prepare(statement).run(...params);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60 });
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('all well after a complete run: exit 0, and the run shown done', async () => {
    const r = await status(ws.configFile);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('last run: done incremental');
    expect(r.stdout).toContain('all well');
  });

  it('jobs no worker will take, in any queue (reconcile included)', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
    try {
      const check = await queues.reconcile.add('reconcile', { pipeline: PIPELINE });
      const sign = await queues.sign.add(
        'sign',
        { pipeline: PIPELINE, runId: 'x', versionIds: [1] },
        { delay: 600_000 },
      );
      const bad = await status(ws.configFile, '--no-sources');
      expect(bad.status).toBe(3);
      expect(bad.stdout).toContain(
        'queue reconcile: 1 waiting job(s) and no live worker; start `licbridge worker`',
      );
      expect(bad.stdout).toContain('queue sign: 1 delayed job(s) and no live worker');
      expect(bad.stdout).toMatch(/queue reconcile: waiting 1, prioritized 0, active 0, delayed 0/);
      await check.remove();
      await sign.remove();
      const good = await status(ws.configFile, '--no-sources');
      expect(good.status, good.stdout).toBe(0);
    } finally {
      await queues.close();
    }
  });

  it('deliveries open longer than the target allows', async () => {
    const file = await variant(
      'overdue.yaml',
      base().replace('    kind: rest-json\n', '    kind: rest-json\n    pendingAlertMs: 60000\n'),
    );
    // A delivery whose answer never came, an hour ago.
    sql(
      "UPDATE deliveries SET state = 'pending', created_at = ? WHERE rowid = (SELECT min(rowid) FROM deliveries)",
      new Date(Date.now() - 3_600_000).toISOString(),
    );
    const bad = await status(file, '--no-sources');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(
      /pipeline food-business-licenses: 1 delivery\(ies\) to province still open after 1 min/,
    );
    expect(bad.stdout).toContain('awaiting delivery: province 1');
    // A plain run takes it up (the platform answers with its first receipt) and closes it.
    await run();
    const good = await status(file, '--no-sources');
    expect(good.status, good.stdout).toBe(0);
  });

  it('a run whose process died is abandoned, and the next run finishes its work', async () => {
    const at = new Date().toISOString();
    sql(
      "INSERT INTO runs (run_id, pipeline, mode, state, started_at, owner, heartbeat_at) VALUES ('dead-run', ?, 'incremental', 'running', ?, ?, ?)",
      PIPELINE,
      at,
      `${hostname()} 4194303`,
      at,
    );
    const bad = await status(ws.configFile, '--no-sources');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toContain('last run: abandoned incremental');
    expect(bad.stdout).toContain(
      'pipeline food-business-licenses: run dead-run was abandoned: its process stopped before the work was done; `licbridge run food-business-licenses` finishes it',
    );
    await run();
    const good = await status(ws.configFile, '--no-sources');
    expect(good.status, good.stdout).toBe(0);
    const db = new Database(ledgerFile, { readonly: true });
    const row = db.prepare("SELECT state FROM runs WHERE run_id = 'dead-run'").get() as { state: string };
    db.close();
    expect(row.state).toBe('abandoned');
  });

  it('a failed last run', async () => {
    sql(
      "INSERT INTO runs (run_id, pipeline, mode, state, started_at, finished_at, error) VALUES ('failed-run', ?, 'incremental', 'failed', ?, ?, 'source: query failed: timeout')",
      PIPELINE,
      new Date().toISOString(),
      new Date().toISOString(),
    );
    const bad = await status(ws.configFile, '--no-sources');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toContain(
      'pipeline food-business-licenses: last run failed-run failed: source: query failed: timeout; fix the cause, then `licbridge run food-business-licenses`',
    );
    await run();
    expect((await status(ws.configFile, '--no-sources')).status).toBe(0);
  });

  it("the last check's gap: keys deleted at the source", async () => {
    const saved = join(ws.dir, 'data', 'legacy-saved.db');
    await copyFile(ws.legacyDb, saved);
    const legacy = new Database(ws.legacyDb);
    legacy
      .prepare('DELETE FROM T_SPXK_XKZ WHERE ID IN (SELECT ID FROM T_SPXK_XKZ ORDER BY ID LIMIT 2)')
      .run();
    legacy.close();
    await licbridge(['reconcile', PIPELINE, '--light', '--json', '--config', ws.configFile]);
    const bad = await status(ws.configFile, '--no-sources');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(
      /pipeline food-business-licenses: the last check \(report \S+\) found 0 missed and \d deleted-at-source key\(s\) \(deleted at the source: key [^;]+\); `licbridge reconcile food-business-licenses` names them/,
    );
    await copyFile(saved, ws.legacyDb);
    const again = await licbridge(['reconcile', PIPELINE, '--light', '--json', '--config', ws.configFile]);
    expect(again.status, again.stdout).toBe(0);
    expect((await status(ws.configFile, '--no-sources')).status).toBe(0);
  });

  it('an unreachable source', async () => {
    const file = await variant(
      'no-source.yaml',
      base().replace('path: ./data/legacy.db', 'path: ./data/missing.db'),
    );
    const bad = await status(file, '--timeout', '2000');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(
      /source market-food: not reachable: .*; check the database and the `sources.market-food` connection/,
    );
    expect((await status(ws.configFile)).status).toBe(0);
  });

  it('an unreachable ledger', async () => {
    const file = await variant(
      'no-ledger.yaml',
      base().replace('sqlite://./data/ledger.db', 'postgres://licbridge@127.0.0.1:1/test'),
    );
    const bad = await status(file, '--no-sources', '--timeout', '3000');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(/ledger: not reachable: .*check the database behind `ledger.url`/);
    expect((await status(ws.configFile, '--no-sources')).status).toBe(0);
  });

  it('an unreachable Redis', async () => {
    const file = await variant(
      'no-redis.yaml',
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url, redis: 'redis://127.0.0.1:1' }),
    );
    const bad = await status(file, '--no-sources', '--timeout', '1000');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toContain('queues: Redis not reachable');
    expect((await status(ws.configFile, '--no-sources')).status).toBe(0);
  });

  it('a seal certificate that expires within 30 days', async () => {
    const keys = join(ws.dir, 'data', 'keys');
    const cert = (days: number, out: string) => {
      const r = spawnSync(
        'openssl',
        [
          'req',
          '-new',
          '-x509',
          '-key',
          'seal.key.pem',
          '-sm3',
          '-days',
          String(days),
          '-subj',
          '/CN=seal',
          '-out',
          out,
        ],
        { cwd: keys, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
    };
    cert(10, 'soon.cert.pem');
    cert(400, 'later.cert.pem');
    const withCert = (name: string) =>
      base().replace(
        'sealId: "3702110000001" }',
        `sealId: "3702110000001", certificate: ./data/keys/${name} }`,
      );
    const bad = await status(await variant('cert-soon.yaml', withCert('soon.cert.pem')), '--no-sources');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(
      /signer district-seal: the seal certificate expires on \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \+08:00 \(in (9|10) day\(s\)\); the seal rules ask for renewal 30 days ahead: request the new certificate now/,
    );
    const good = await status(await variant('cert-later.yaml', withCert('later.cert.pem')), '--no-sources');
    expect(good.status, good.stdout).toBe(0);
  });

  it('a checkpoint left behind by its schedule', async () => {
    const file = await variant(
      'scheduled.yaml',
      base().replace('    pageSize: 100\n', '    pageSize: 100\n    schedule: "*/5 * * * *"\n'),
    );
    await applyLegacyChanges(ws.legacyDb, { add: 5, seed: 3 });
    // The last run started long before the last tick: the schedule is not being worked.
    sql('UPDATE runs SET started_at = ?', new Date(Date.now() - 3_600_000).toISOString());
    const bad = await status(file);
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(
      /pipeline food-business-licenses: \d+ row\(s\) wait after the checkpoint and no run started since the scheduled time \d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2}; check that `licbridge schedule` installed the schedule and a `licbridge worker` runs/,
    );
    await run();
    const good = await status(file);
    expect(good.status, good.stdout).toBe(0);
  });
});
