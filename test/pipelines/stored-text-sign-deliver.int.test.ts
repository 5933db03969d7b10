/**
 * A version whose stored license text is damaged in the ledger (cut short, so it does not read; or
 * edited, so it reads but no longer hashes to the content hash its version, and its signature,
 * record) in a sign or deliver job's batch. Reading it threw out of the whole batch: the sign job
 * failed for good and none of its versions was signed, the run failed; the deliver job likewise.
 * An edited text signed before the edit was read as it stands, so it would go out with a text its
 * signature does not cover. Now that version alone is left (unsigned, or dead-lettered at the
 * target, never sent), quarantined LB_STORED_TEXT naming license id and version only, and audited;
 * the rest of the batch is signed and delivered.
 */

import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { statusText } from '../../cli/commands/status.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger, StoredVersion } from '../../ledger/ledger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { restConfig } from '../platforms/license-fixture.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';
const logger = createLogger({ level: 'silent' });

interface Fixture {
  config: Readonly<Config>;
  ws: DemoWorkspace;
  rt: Runtime;
  ledger: Ledger;
  queues: QueueSet;
  start(stages: ('extract' | 'sign' | 'deliver')[]): WorkerSet;
}

let open: { fx: Fixture; workers: WorkerSet[] } | undefined;

afterEach(async () => {
  if (!open) return;
  for (const w of open.workers) await w.close();
  await open.fx.queues.close();
  await open.fx.rt.close();
  await open.fx.ws.cleanup();
  open = undefined;
});

async function fixture(rows: number): Promise<Fixture> {
  const ws = await createDemoWorkspace({ rows, seed: 41 });
  const config = await loadConfig({ file: ws.configFile });
  const rt = new Runtime(config, logger);
  const ledger = await rt.ledger();
  const queues = createQueues(
    queueConnection(config.queue.redis),
    config.queue.prefix,
    ['province'],
    rt.logger,
  );
  const start = (stages: ('extract' | 'sign' | 'deliver')[]) => {
    const w = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages,
    });
    open?.workers.push(w);
    return w;
  };
  const fx = { config, ws, rt, ledger, queues, start };
  open = { fx, workers: [] };
  return fx;
}

/** The run's versions, extracted by `stages` workers (closed when the queues say so). */
async function extracted(
  fx: Fixture,
  runId: string,
  stages: ('extract' | 'sign')[],
): Promise<StoredVersion[]> {
  const workers = fx.start(stages);
  await enqueueExtract(fx.queues, { pipeline: PIPELINE, runId, full: true });
  await until(async () => Boolean((await fx.ledger.getRun(runId))?.extractedAt), 50_000);
  if (stages.includes('sign')) {
    const deliver = fx.queues.deliver.get('province');
    await until(
      async () =>
        (await deliver?.getWaitingCount()) !== 0 &&
        (await fx.queues.sign.getWaitingCount()) === 0 &&
        (await fx.queues.sign.getActiveCount()) === 0,
    );
  }
  await workers.close();
  return fx.ledger.getVersions(await fx.ledger.runVersionIds(runId));
}

/** One text cut short, one edited so it reads as another license than its content hash records. */
function damage(fx: Fixture, broken: StoredVersion, altered: StoredVersion): void {
  const db = new Database(`${fx.ws.dir}/data/ledger.db`);
  try {
    db.prepare('UPDATE license_versions SET payload = ? WHERE version_id = ?').run(
      '{"number":"X',
      broken.versionId,
    );
    const row = db
      .prepare('SELECT payload FROM license_versions WHERE version_id = ?')
      .get(altered.versionId) as { payload: string };
    const edited = row.payload.replace(`"number":"${altered.payload.number}"`, '"number":"EDITED-1"');
    expect(edited).not.toBe(row.payload);
    db.prepare('UPDATE license_versions SET payload = ? WHERE version_id = ?').run(edited, altered.versionId);
  } finally {
    db.close();
  }
}

async function storedTextRecords(fx: Fixture) {
  return (await fx.ledger.openQuarantine({ pipeline: PIPELINE })).filter((q) =>
    q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
  );
}

/** What `licbridge status` prints. */
async function status(fx: Fixture): Promise<string> {
  return statusText(await collectStatus(fx.config, fx.ledger, fx.queues, { probeSources: false }));
}

async function failedJobs(fx: Fixture): Promise<string[]> {
  const queues = [fx.queues.sign, ...fx.queues.deliver.values()];
  const failed = (await Promise.all(queues.map((q) => q.getFailed()))).flat() as Job[];
  return failed.map((j) => `${j.queueName}: ${j.failedReason}`);
}

describe('a damaged stored license text in a sign or deliver batch', () => {
  it('sign: the damaged versions are left unsigned and quarantined, the rest signed and delivered', async () => {
    const fx = await fixture(5);
    const runId = 'stored-text-sign';
    const versions = await extracted(fx, runId, ['extract']);
    expect(versions).toHaveLength(5);
    const [broken, altered, ...fine] = versions as [StoredVersion, StoredVersion, ...StoredVersion[]];
    const holder = altered.payload.holder;
    damage(fx, broken, altered);
    fx.start(['sign', 'deliver']);

    // The run ends (it cannot be done: two of its versions will not be signed until restored).
    await until(async () => (await fx.ledger.getRun(runId))?.state !== 'running', 50_000, {
      what: 'the run ended',
    });
    await until(async () => fx.ws.simulator.licenses().length >= fine.length, 30_000, {
      what: 'the undamaged versions delivered',
    });
    expect(await failedJobs(fx)).toEqual([]);
    const signed = (await fx.ledger.getSignatures(versions.map((v) => v.versionId)))
      .filter((s) => s.sealId === SEAL)
      .map((s) => s.versionId)
      .sort((a, b) => a - b);
    expect(signed).toEqual(fine.map((v) => v.versionId));
    expect(
      fx.ws.simulator
        .licenses()
        .map((l) => l.licenseId)
        .sort(),
    ).toEqual(fine.map((v) => v.licenseId).sort());

    const run = await fx.ledger.getRun(runId);
    expect(run?.state).toBe('failed');
    expect(run?.error).toContain('LB_STORED_TEXT');
    // Its summary still adds up: read = created + unchanged + quarantined counts rows read.
    expect(run).toMatchObject({ read: 5, created: 5, quarantined: 0 });
    const records = await storedTextRecords(fx);
    const said = JSON.stringify(records);
    expect(records).toHaveLength(2);
    expect(said).toContain(`license ${broken.licenseId} version ${broken.version}`);
    expect(said).toContain('does not read');
    expect(said).toContain(`license ${altered.licenseId} version ${altered.version}`);
    expect(said).toContain('content hash');
    expect(said + (run?.error ?? '')).not.toContain(holder.name);
    expect(said + (run?.error ?? '')).not.toContain(holder.id);
    expect(said).not.toContain('EDITED-1');
    const shown = await status(fx);
    expect(shown).toContain('error: sign: 2 version(s) of this run not signed');
    expect(shown).toContain('[LB_STORED_TEXT]');
    expect(shown).toContain('read 5 = created 5 + unchanged 0 + quarantined 0');
    const audited = async () =>
      ((await fx.ledger.licenseAudit(broken.licenseId)) ?? []).filter(
        (e) => e.action === 'quarantine' && e.versions.includes(broken.version),
      );
    expect(await audited()).toHaveLength(1);

    // A later run's sweep queues the unsigned versions again: still unsigned, recorded once.
    const again = await fx.queues.sign.add('sign', {
      pipeline: PIPELINE,
      runId: 'stored-text-sweep',
      versionIds: [broken.versionId, altered.versionId],
    });
    await until(async () => (await again.getState()) === 'completed', 30_000, { what: 'the sweep signed' });
    expect(await storedTextRecords(fx)).toHaveLength(2);
    expect(await audited()).toHaveLength(1);
    expect(await fx.ledger.getSignatures([broken.versionId, altered.versionId])).toEqual([]);
  }, 120_000);

  it('deliver: a version damaged after signing is dead-lettered, never sent, the rest delivered', async () => {
    const fx = await fixture(5);
    const runId = 'stored-text-deliver';
    const versions = await extracted(fx, runId, ['extract', 'sign']);
    expect(versions).toHaveLength(5);
    const [broken, altered, ...fine] = versions as [StoredVersion, StoredVersion, ...StoredVersion[]];
    const holder = altered.payload.holder;
    damage(fx, broken, altered);
    fx.start(['deliver']);

    await until(async () => (await fx.ledger.getRun(runId))?.state !== 'running', 50_000, {
      what: 'the run ended',
    });
    expect(await failedJobs(fx)).toEqual([]);
    expect((await fx.ledger.getRun(runId))?.state).toBe('done');
    // Only what its signature covers went out: not the edited text, not the broken one.
    expect(
      fx.ws.simulator
        .licenses()
        .map((l) => l.licenseId)
        .sort(),
    ).toEqual(fine.map((v) => v.licenseId).sort());
    expect(JSON.stringify(fx.ws.simulator.licenses())).not.toContain('EDITED-1');
    const dead = await fx.ledger.listDeadLetters({ target: 'province' });
    expect(dead.map((d) => d.licenseId).sort()).toEqual([broken.licenseId, altered.licenseId].sort());
    expect(JSON.stringify(dead)).toContain('LB_STORED_TEXT');
    const records = await storedTextRecords(fx);
    const said = JSON.stringify(records) + JSON.stringify(dead);
    expect(records).toHaveLength(2);
    expect(said).toContain(`license ${altered.licenseId} version ${altered.version}`);
    expect(said).not.toContain(holder.name);
    expect(said).not.toContain(holder.id);
    expect(said).not.toContain('EDITED-1');
    expect(await status(fx)).toContain('target province: delivered 3, pending 0, dead letters 2');
  }, 120_000);

  it('deliver: quarantined even when the send of the rest then fails (the platform away)', async () => {
    const fx = await fixture(3);
    const runId = 'stored-text-away';
    const [broken, altered] = (await extracted(fx, runId, ['extract', 'sign'])) as [
      StoredVersion,
      StoredVersion,
    ];
    damage(fx, broken, altered);
    // A port nothing listens on: every send fails retryably, after the wave's refusals are written.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const away = new RestJsonTarget('province', restConfig(`http://127.0.0.1:${port}`, { timeoutMs: 2000 }));
    (fx.rt as unknown as { target: () => Promise<TargetAdapter> }).target = async () => away;
    try {
      fx.start(['deliver']);
      await until(async () => (await storedTextRecords(fx)).length === 2, 30_000, { what: 'quarantined' });
      const dead = await fx.ledger.listDeadLetters({ target: 'province' });
      expect(dead.map((d) => d.licenseId).sort()).toEqual([broken.licenseId, altered.licenseId].sort());
    } finally {
      for (const w of open?.workers.splice(0) ?? []) await w.close();
      await away.close();
    }
  }, 120_000);
});
