import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const REASON = 'zzbh: failed the platform review';
/** The review's rule: a license number ending in 7 fails. */
const failsReview = (license: Record<string, unknown>) => String(license.zzbh ?? '').endsWith('7');

/**
 * A platform that accepts first and judges later: every upload is answered `submitted`, and the
 * verdict comes only from later status requests. Each delivery must end accepted, or dead-lettered
 * with the platform's reason — never left hanging, never sent twice.
 */
describe('delivery to a platform that reviews asynchronously', () => {
  let ws: DemoWorkspace;
  let reviewing: ProvinceSimulator;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 200 });
    reviewing = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      review: { polls: 1, reject: (l) => (failsReview(l) ? [REASON] : null) },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: reviewing.url }));
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await reviewing?.close();
    await ws?.cleanup();
  });

  it('ends every delivery accepted or dead-lettered with the review’s reason', async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const held = reviewing.licenses();
    const stats = reviewing.stats();
    const ledger = await openLedger(config.ledger.url);
    try {
      const dead = await ledger.listDeadLetters({ target: 'province' });
      // A renewal of a license the review failed is not sent: it waits for that license, which
      // is dead-lettered (docs/sync.md), and is dead-lettered itself, naming it.
      const behind = dead.filter((d) =>
        d.reasons.some((r) => /^licbridge: waits for .*, which is dead-lettered/.test(r)),
      );
      expect(stats.accepted + stats.rejected + behind.length).toBe(s?.created);
      expect(stats.rejected).toBeGreaterThan(0);
      expect(s?.delivered.province).toBe(stats.accepted);
      expect(s?.deadLettered.province).toBe(stats.rejected + behind.length);
      expect(held.every((e) => !failsReview(e.license))).toBe(true);
      expect(stats.duplicates).toBe(0);
      expect(dead.length).toBe(stats.rejected + behind.length);
      expect(dead.filter((d) => d.reasons.includes(REASON)).length).toBe(stats.rejected);
    } finally {
      await ledger.close();
    }
  });
});
