/**
 * `licbridge catalog pull` with the queue's Redis out of reach pulls with a token of its own and
 * warns once that the shared token store cannot be reached. The warning went to the process's root
 * logger, whatever logger the command was given: the command's level and format (`log` in the
 * config, LICBRIDGE_LOG_LEVEL) did not apply to it. It now goes to the logger the pull is given.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { pullCatalog } from '../../pipelines/catalog-pull.js';
import { restConfig } from '../platforms/license-fixture.js';

const CLIENT = { clientId: 'district-a', clientSecret: 'cs-4b8e2d90' };
const TYPES = [{ code: '11370200MB12345674001', name: '食品经营许可证' }];

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('catalog pull with the queue’s Redis out of reach', () => {
  it('warns on the logger it is given', async () => {
    const sim = await startProvinceSimulator({
      oauth2: { ...CLIENT, previous: 'kept' },
      catalogTypes: TYPES,
    });
    closers.push(() => sim.close());
    const dir = await mkdtemp(join(tmpdir(), 'lb-pull-logger-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const config = {
      file: join(dir, 'licbridge.yaml'),
      catalog: join(dir, 'catalog'),
      // Port 1: nothing listens there.
      queue: { redis: 'redis://127.0.0.1:1', prefix: 'test-pull-logger' },
      targets: {
        province: restConfig(sim.url, {
          auth: { scheme: 'oauth2', tokenUrl: `${sim.url}/oauth/token`, ...CLIENT, refreshSkewSeconds: 60 },
        }),
      },
    } as unknown as Config;
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const pulled = await pullCatalog(config, 'province', join(dir, 'pulled'), { logger });
    expect(pulled.written).toHaveLength(1);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      expect.stringContaining(
        'target province: auth oauth2: the shared token store (Redis) cannot be reached; this process fetches and keeps a token of its own',
      ),
    ]);
  });
});
