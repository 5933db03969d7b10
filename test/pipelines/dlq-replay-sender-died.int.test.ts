/**
 * A dead letter of a send whose sender died after the platform stored it: the sender was killed
 * before it wrote the answer (no attempt counted, its lease left to run out), and the job that took
 * the delivery over could not ask the platform about it (its status request failed through its last
 * attempt), so it dead-lettered the delivery. The dead letter counted one attempt, its own, and
 * nothing on it said the platform might hold it: `licbridge dlq replay` put it back as never sent,
 * and its job sent it again unasked, the platform receiving the license twice. The dead letter now
 * counts the dead sender's send too, and the replay has it asked about first.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { recordHeldBeforeGivingUp } from '../../pipelines/stages/deliver-lost-answers.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { DEMO_SECRET } from '../support/demo-workspace.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';
import { dyingAfterTheAnswer } from './dying-sender.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

describe.each(BACKENDS)('dlq replay of a dead letter whose sender died ($name ledger)', (backend) => {
  let database: TestDatabase | undefined;
  let fx: DeliveriesWaiting | undefined;
  let sims: ProvinceSimulator[] = [];
  let rts: Runtime[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const rt of rts) await rt.close();
    for (const sim of sims) await sim.close();
    await fx?.close();
    await database?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
    rts = [];
    sims = [];
    fx = undefined;
    database = undefined;
    dir = undefined;
  });

  it('asks the platform first, records it accepted, and sends nothing twice', async () => {
    database = await backend.create();
    fx = await deliveriesWaiting({ rows: 3, runId: 'replay-sender-died', ledgerUrl: database.url });
    const queued = await fx.deliver.getWaiting();
    const versionIds = queued.flatMap((j) => j.data.versionIds as number[]);
    for (const j of queued) await j.remove();
    expect(versionIds.length).toBeGreaterThan(1);
    dir = await mkdtemp(join(tmpdir(), 'lb-sender-died-'));
    const stateFile = join(dir, 'province.db');
    const ws = fx.ws;
    const yaml = await readFile(ws.configFile, 'utf8');
    // The platform, with the config pointing at it; started again on its state, at another address.
    // It runs in this process: its answers wait whenever the process is paused, so a request has 4 s
    // (1 s failed the send and the replay's status requests under a full suite); a platform gone
    // refuses at once, so the wait is never spent.
    const platform = async (): Promise<{ sim: ProvinceSimulator; config: Readonly<Config> }> => {
      const sim = await startProvinceSimulator({
        auth: { appKey: 'test-app', secret: DEMO_SECRET },
        stateFile,
      });
      sims.push(sim);
      await writeFile(
        ws.configFile,
        `${yaml.replace(ws.simulator.url, sim.url).trimEnd()}\n    timeoutMs: 4000\n`,
      );
      return { sim, config: await loadConfig({ file: ws.configFile, env: {} }) };
    };

    const first = await platform();
    const rt = new Runtime(first.config, logger);
    rts.push(rt);
    const ledger = await rt.ledger();
    const province = await rt.target('province');
    const sealId = sealIdOf(first.config, rt.pipelineConfig(PIPELINE));

    // The platform stores the send; its sender dies before writing the answer, its lease left to run out.
    await expect(
      deliverVersions(province, sealId, dyingAfterTheAnswer(ledger), versionIds, { leaseMs: 200 }),
    ).rejects.toThrow('sender died');
    expect(first.sim.stats()).toMatchObject({ received: versionIds.length, duplicates: 0 });
    const keys = (await ledger.ensureDeliveries(versionIds, 'province')).map((r) => r.key);
    await until(async () => (await ledger.getDeliveries(keys)).every((r) => r.leaseLapsed === true));

    // The platform goes out of reach. The job taking the deliveries over cannot ask about them, and
    // on its last attempt dead-letters them, as deliver-worker.ts does then.
    await first.sim.close();
    sims = sims.filter((s) => s !== first.sim);
    const failed = await deliverVersions(province, sealId, ledger, versionIds).catch((e: unknown) => e);
    expect(failed).toMatchObject({ retryable: true });
    const held = await recordHeldBeforeGivingUp(province, sealId, ledger, versionIds).catch(() => ({
      accepted: 0,
      submitted: 0,
    }));
    expect(held).toEqual({ accepted: 0, submitted: 0 });
    expect(await deadLetterOpen(ledger, versionIds, 'province', failed)).toBe(versionIds.length);

    const second = await platform();
    const result = await replayDeadLetters(second.config, { target: 'province', timeoutMs: 60_000, logger });
    expect(result.replayed).toHaveLength(versionIds.length);
    expect(result.settled).toBe(true);
    expect(result.outcomes.map((o) => o.state)).toEqual(versionIds.map(() => 'accepted'));
    expect(result.outcomes.every((o) => typeof o.platformId === 'string')).toBe(true);
    // Each license received once, in both lives of the platform: asked about, not sent again.
    expect(second.sim.stats()).toMatchObject({ received: versionIds.length, duplicates: 0 });
    expect((await ledger.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
    // Recorded with its entry, and the chain whole.
    const entries = await ledger.readAudit({ limit: 100_000 });
    const replay = Math.max(...entries.filter((e) => e.action === 'replay').map((e) => e.seq));
    const states = entries
      .filter((e) => e.seq > replay && e.action === 'deliver' && e.actor === 'target:province')
      .map((e) => (JSON.parse(e.detail) as { state: string }).state);
    expect([...new Set(states)]).toEqual(['accepted']);
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  }, 120_000);
});
