// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * Redis with TLS only (`--tls-port`, the Debian build links OpenSSL) on loopback: `queue.redis`
 * as `rediss://` connects only when the certificate verifies. The right CA (in the mapping
 * form's `tls.ca`) carries BullMQ jobs; the public roots, a wrong CA, a wrong host name and an
 * expired certificate are each refused naming the certificate; `insecureSkipVerify` connects and
 * `licbridge status` exits 3 for it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsSettings } from '../../core/tls.js';
import { assertRedisReachable, type QueueRedis, queueConnection } from '../../pipelines/redis.js';
import { quietLogger } from '../ledger/backends.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { licbridge } from '../support/cli.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { startTlsRedis, type TlsServer } from '../support/tls-servers.js';

describe('Redis over verified TLS', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let rogue: TestCa;
  let dir: string;
  const servers: TlsServer[] = [];
  let good: TlsServer;
  let otherHost: TlsServer;
  let expired: TlsServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-redis-tls-cfg-'));
    ca = await createTestCa('queue-root');
    rogue = await createTestCa('rogue-root');
    const sans = ['DNS:localhost', 'IP:127.0.0.1'];
    const start = async (name: string, cn: string, names: string[], days?: number) => {
      const cert = await ca.issue(name, { cn, sans: names, ...(days === undefined ? {} : { days }) });
      const server = await startTlsRedis(cert, ca.caPath);
      servers.push(server);
      return server;
    };
    good = await start('redis', 'localhost', sans);
    otherHost = await start('redis-other', 'other.example', ['DNS:other.example']);
    expired = await start('redis-old', 'expired.localhost', sans, -1);
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    await ca?.remove();
    await rogue?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const redis = (server: TlsServer, tls?: TlsSettings): QueueRedis =>
    tls
      ? ({ url: `rediss://localhost:${server.port}`, tls, db: 0 } as QueueRedis)
      : `rediss://localhost:${server.port}`;
  const reach = (r: QueueRedis) =>
    assertRedisReachable(r, 5000).then(
      () => 'connected',
      (e: Error) => e.message,
    );

  it('the right CA connects, and BullMQ jobs travel over it', async () => {
    const r = redis(good, { ca: ca.ca });
    expect(await reach(r)).toBe('connected');
    const queue = new Queue(`tls-${process.pid}`, { connection: queueConnection(r) });
    try {
      await queue.add('job', { ref: 1 });
      expect(await queue.getWaitingCount()).toBe(1);
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  });

  it('the public roots and a wrong CA are refused: not trusted, with subject and expiry', async () => {
    for (const r of [redis(good), redis(good, { ca: rogue.ca })]) {
      const message = await reach(r);
      expect(message).toMatch(
        /^queue: Redis at rediss:\/\/localhost:\d+: TLS refused: the server certificate is not trusted/,
      );
      expect(message).toMatch(/subject O=licbridge test, CN=localhost; expires \d{4}-/);
    }
  });

  it('a certificate for another host name is refused with the host-name message', async () => {
    const message = await reach(redis(otherHost, { ca: ca.ca }));
    expect(message).toMatch(/TLS refused: the server certificate does not name the host/);
    expect(message).toContain('CN=other.example');
  });

  it('an expired certificate is refused with the expiry message', async () => {
    const message = await reach(redis(expired, { ca: ca.ca }));
    expect(message).toMatch(/TLS refused: the server certificate has expired/);
    expect(message).toContain('CN=expired.localhost');
  });

  it('insecureSkipVerify connects, and `licbridge status` exits 3 naming the setting', async () => {
    expect(await reach(redis(otherHost, { ca: rogue.ca, insecureSkipVerify: true }))).toBe('connected');
    await mkdir(join(dir, 'catalog'));
    await writeFile(join(dir, 'ca.pem'), ca.ca);
    const config = (extra: string) =>
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'queue:',
        `  prefix: tls-status-${process.pid}`,
        '  redis:',
        `    url: "rediss://localhost:${good.port}"`,
        '    tls:',
        '      ca: "${file:./ca.pem}"',
        ...(extra ? [`      ${extra}`] : []),
        'catalog: ./catalog',
        '',
      ].join('\n');
    await writeFile(join(dir, 'secure.yaml'), config(''));
    await writeFile(join(dir, 'insecure.yaml'), config('insecureSkipVerify: true'));
    // `status` never migrates the ledger: the two configs' ledger is migrated as a run would.
    await (await openSqliteLedger(join(dir, 'ledger.db'), { logger: quietLogger })).close();
    const ok = await licbridge(['status', '--config', join(dir, 'secure.yaml')]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const flagged = await licbridge(['status', '--config', join(dir, 'insecure.yaml')]);
    expect(flagged.status, flagged.stdout + flagged.stderr).toBe(3);
    expect(flagged.stdout).toContain(
      'queue: Redis: TLS certificate verification is off (`queue.redis.tls.insecureSkipVerify`)',
    );
  });
});
