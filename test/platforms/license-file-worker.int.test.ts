// License files go out through the deliver workers as through the stage itself: a worker reads
// `licenseFiles.store` from the config, so a target with `licenseFiles.send` receives each
// version's sealed file (SM3 the ledger's), and a version without a file goes without one.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { parseConfig } from '../../config/loader.js';
import { enqueueDeliver } from '../../pipelines/jobs.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { obliterate } from '../support/demo-workspace.js';
import { type FileWorkspace, fileWorkspace, PIPELINE, quiet } from './license-file-workspace.js';

const COUNT = 3;
const WITH_FILES = 2;

describe('license files through the deliver workers', () => {
  let ws: FileWorkspace;
  let sim: ProvinceSimulator;

  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, WITH_FILES);
    sim = await startProvinceSimulator({});
  });
  afterAll(async () => {
    await sim?.close();
    await ws?.close();
  });

  it('send each version its own file, read from licenseFiles.store', async () => {
    const file = join(ws.dir, 'licbridge.yaml');
    const original = readFileSync(file, 'utf8');
    const target = 'targets: { province: { kind: rest-json, url: "http://127.0.0.1:9" } }';
    expect(original).toContain(target);
    const prefix = `test-${randomUUID()}`;
    const text = `${original.replace(
      target,
      `targets: { province: { kind: rest-json, url: "${sim.url}", licenseFiles: { send: base64 } } }`,
    )}queue: { prefix: "${prefix}" }\n`;
    const config = parseConfig(text, { file });
    const rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    const queues = createQueues(connection, config.queue.prefix, ['province'], quiet);
    const workers = startWorkers(rt, {
      connection,
      prefix: config.queue.prefix,
      queues,
      stages: ['deliver'],
    });
    try {
      await enqueueDeliver(config, queues, 'province', {
        pipeline: PIPELINE,
        runId: 'seed',
        versionIds: ws.versionIds,
      });
      const deadline = Date.now() + 20_000;
      while (sim.licenses().length < COUNT && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(sim.licenses()).toHaveLength(COUNT);
      expect(sim.stats().files).toBe(WITH_FILES);
      const recorded = await ws.ledger.licenseFiles.list({});
      expect(recorded).toHaveLength(WITH_FILES);
      for (const f of recorded) {
        const [entry] = sim.licenses().filter((l) => l.licenseId === f.licenseId);
        const sent = sim.file(entry?.key ?? '');
        expect(sent, `file of ${f.licenseId}`).toBeDefined();
        expect(
          createHash('sm3')
            .update(sent as Buffer)
            .digest('hex'),
        ).toBe(f.sm3);
      }
    } finally {
      await workers.close(true);
      await queues.close();
      await rt.close();
      // The queues' keys (its job, counters and meta) are this test's alone: left, they stayed in
      // the shared Redis after every run.
      await obliterate(prefix);
    }
  }, 40_000);
});
