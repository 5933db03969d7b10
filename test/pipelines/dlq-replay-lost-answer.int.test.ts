/**
 * A dead letter of a send the platform stored whose answer was lost: the job's last attempt could
 * not ask the platform (its status request failed, or it asked every caller to wait), so the
 * delivery was dead-lettered though the platform holds it. `licbridge dlq replay` put it back to
 * `pending` with no attempt counted, and the deliver stage, which asks the platform only about a
 * delivery tried before, sent it again unasked: the platform received the license twice (a
 * duplicate in its review). Replayed, such a dead letter is now asked about first: what the
 * platform holds is recorded as it holds it, with its audit entries, and nothing is sent twice.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { DEMO_SECRET } from '../support/demo-workspace.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

describe.each(BACKENDS)('dlq replay of a dead letter the platform holds ($name ledger)', (backend) => {
  let database: TestDatabase | undefined;
  let fx: DeliveriesWaiting | undefined;
  let sim: ProvinceSimulator | undefined;
  let rt: Runtime | undefined;
  afterEach(async () => {
    await rt?.close();
    await sim?.close();
    await fx?.close();
    await database?.dispose();
    rt = undefined;
    sim = undefined;
    fx = undefined;
    database = undefined;
  });

  for (const held of ['accepted', 'submitted'] as const) {
    it(`asks the platform first, records what it holds (${held}), and sends nothing twice`, async () => {
      database = await backend.create();
      fx = await deliveriesWaiting({ rows: 3, runId: `replay-lost-${held}`, ledgerUrl: database.url });
      const queued = await fx.deliver.getWaiting();
      const versionIds = queued.flatMap((j) => j.data.versionIds as number[]);
      for (const j of queued) await j.remove();
      expect(versionIds.length).toBeGreaterThan(1);

      // A platform that stores every batch and loses its answer, and answers its status requests;
      // `submitted`: it reviews first, and answers one status request `submitted` before accepting.
      // It runs in this process, its answers late whenever the process is paused: a request has 4 s
      // (1 s could fail the replay's status requests under a full suite), which the lost batch waits out.
      sim = await startProvinceSimulator({
        auth: { appKey: 'test-app', secret: DEMO_SECRET },
        faults: { lostAnswerRate: 1, seed: 7 },
        ...(held === 'submitted' ? { review: { polls: 1 } } : {}),
      });
      const yaml = await readFile(fx.ws.configFile, 'utf8');
      await writeFile(
        fx.ws.configFile,
        `${yaml.replace(fx.ws.simulator.url, sim.url).trimEnd()}\n    timeoutMs: 4000\n`,
      );
      const config = await loadConfig({ file: fx.ws.configFile, env: {} });
      rt = new Runtime(config, logger);
      const ledger = await rt.ledger();
      const province = await rt.target('province');
      const sealId = sealIdOf(config, rt.pipelineConfig(PIPELINE));

      // The send is stored and its answer lost; the job gives up on it without the platform's
      // word (its status request failed on the last attempt), as deliver-worker.ts does then.
      const lost = await deliverVersions(province, sealId, ledger, versionIds).catch((e: unknown) => e);
      expect(lost).toMatchObject({ retryable: true });
      expect(sim.stats()).toMatchObject({ received: versionIds.length, duplicates: 0 });
      expect(await deadLetterOpen(ledger, versionIds, 'province', lost)).toBe(versionIds.length);

      const result = await replayDeadLetters(config, { target: 'province', timeoutMs: 60_000, logger });
      expect(result.replayed).toHaveLength(versionIds.length);
      expect(result.settled).toBe(true);
      expect(result.outcomes.map((o) => o.state)).toEqual(versionIds.map(() => 'accepted'));
      // Held by the platform: recorded with its id, and each license received once.
      expect(result.outcomes.every((o) => typeof o.platformId === 'string')).toBe(true);
      expect(sim.stats()).toMatchObject({ received: versionIds.length, duplicates: 0 });
      // Recorded as the platform answered, each state with its entry: under review first, then
      // accepted once its review ends. Every such delivery has an entry of its state.
      const entries = await ledger.readAudit({ limit: 100_000 });
      const replay = Math.max(...entries.filter((e) => e.action === 'replay').map((e) => e.seq));
      const states = entries
        .filter((e) => e.seq > replay && e.action === 'deliver' && e.actor === 'target:province')
        .map((e) => (JSON.parse(e.detail) as { state: string }).state);
      expect([...new Set(states)]).toEqual(held === 'submitted' ? ['submitted', 'accepted'] : ['accepted']);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    }, 120_000);
  }
});
