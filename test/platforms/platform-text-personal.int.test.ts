/**
 * A platform's own words about a license — a SOAP faultstring, a rejection's reasons — often echo
 * the record ("持有人 欧阳秀英 证件号码 370211199001011234 校验失败"). What licbridge keeps of
 * them goes to Redis (a deliver job's failedReason and stacktrace), the ledger (dead-letter
 * reasons) and logs, so a fault keeps only its code and a machine token, and a rejection keeps its
 * explanation with the license's personal values masked.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { faultEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { loadConfig } from '../../config/loader.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { classify } from '../../pipelines/workers/base.js';
import { createDemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Every value a Redis prefix holds, as one text. */
async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  let dump = '';
  try {
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      if (type === 'hash') dump += JSON.stringify(await redis.hgetall(key));
      else if (type === 'string') dump += await redis.get(key);
      else if (type === 'list') dump += JSON.stringify(await redis.lrange(key, 0, -1));
      else if (type === 'zset') dump += JSON.stringify(await redis.zrange(key, 0, -1));
      else if (type === 'stream') dump += JSON.stringify(await redis.xrange(key, '-', '+'));
    }
  } finally {
    redis.disconnect();
  }
  return dump;
}

describe('a SOAP fault echoing the holder', () => {
  it('keeps the fault code and its token only, in the error and in Redis', async () => {
    const server = await startScriptedServer(() => ({
      status: 500,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: faultEnvelope(
        'Server',
        `Server.Validation: 持有人 ${HOLDER_NAME} 证件号码 ${HOLDER_ID} 校验服务暂不可用`,
      ),
    }));
    closers.push(() => server.close());
    const target = soapTarget(server.url);
    closers.push(() => target.close());

    const direct = await target.deliver([deliveryItem(1, { target: 'city' })]).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isLicbridgeError(direct)) throw new Error('expected a LicbridgeError');
    expect(direct.message).toBe(
      `target city: SubmitLicenses to ${server.url} failed: SOAP fault Server: Server.Validation`,
    );

    // Through a BullMQ job, the way the deliver worker hands errors back (classify).
    const prefix = `platform-text-${randomUUID()}`;
    closers.push(() => obliterate(prefix));
    const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
    const queue = new Queue('deliver-city', { connection, prefix });
    closers.push(() => queue.close());
    const worker = new Worker(
      'deliver-city',
      async () => {
        try {
          return await target.deliver([deliveryItem(1, { target: 'city' })]);
        } catch (e) {
          return classify(e);
        }
      },
      { connection, prefix },
    );
    closers.push(() => worker.close());
    const failed = new Promise<void>((r) => worker.on('failed', () => r()));
    await queue.add(
      'deliver',
      { pipeline: 'p', runId: 'r', target: 'city', versionIds: [1] },
      { attempts: 1 },
    );
    await failed;
    const dump = await redisDump(prefix);
    expect(dump).toContain('Server.Validation');
    expect(dump).not.toContain(HOLDER_ID);
    expect(dump).not.toContain(HOLDER_NAME);
  });
});

describe('rejections echoing the record', () => {
  it('are dead letters with the explanation kept and the personal values masked', async () => {
    const ws = await createDemoWorkspace({ rows: 20 });
    closers.push(() => ws.cleanup().catch(() => undefined));
    // A platform that refuses every license, repeating its holder, id and face values.
    const platform = await startScriptedServer((_n, req) => {
      const doc = JSON.parse(req.body) as {
        items?: {
          key: string;
          license: { czzt?: string; czztdm?: string; zmxx?: Record<string, unknown> };
        }[];
      };
      const items = doc.items ?? [];
      return {
        status: 200,
        body: {
          code: 0,
          results: items.map((i) => ({
            key: i.key,
            status: 'rejected',
            errors: [
              `持有人 ${i.license.czzt} 证件号码 ${i.license.czztdm} 校验失败`,
              `zmxx: ${JSON.stringify(i.license.zmxx ?? {})} 不符合要求`,
            ],
          })),
        },
      };
    });
    closers.push(() => platform.close());
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(ws.simulator.url, platform.url);
    const file = join(ws.dir, 'echoing.yaml');
    await writeFile(file, yaml);
    const config = await loadConfig({ file, env: {} });
    const [s] = await runPipelines(config, {
      pipelines: ['food-business-licenses'],
      full: false,
      logger: createLogger({ level: 'silent' }),
    });
    expect(s?.deadLettered.province).toBe(20);

    const legacy = new Database(ws.legacyDb, { readonly: true });
    const personal = (
      legacy
        .prepare('SELECT TRIM(JYZMC) a, TRIM(TYSHXYDM) b, TRIM(FDDBR) c, TRIM(FDDBRSFZ) d FROM T_SPXK_XKZ')
        .all() as Record<string, string | null>[]
    ).flatMap((row) => Object.values(row).filter((v): v is string => typeof v === 'string' && v.length >= 2));
    legacy.close();
    expect(personal.length).toBeGreaterThan(0);

    const ledger = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    const reasons = (
      ledger.prepare("SELECT reasons FROM deliveries WHERE state = 'dead'").all() as { reasons: string }[]
    )
      .map((r) => r.reasons)
      .join('\n');
    ledger.close();
    expect(reasons).toContain('校验失败');
    expect(personal.filter((v) => reasons.includes(v))).toEqual([]);
    const dump = await redisDump(ws.prefix);
    expect(personal.filter((v) => dump.includes(v))).toEqual([]);
  }, 90_000);
});
