/**
 * /readyz asks each platform and signing server the way licbridge's own requests do: a platform
 * behind a government CA that asks for the department's client certificate (mutual TLS) is ready
 * when it answers over the target's `tls:`, and a signing server that does not answer makes the
 * process not ready, as nothing new can be signed or delivered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkReadiness } from '../../pipelines/observability/health.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

let gov: TestCa;
let client: IssuedCertificate;
let platform: HttpsServer;
let closedPort: number;
let dir: string;
let ledger: Ledger;
let redis: Redis;

const portOf = (s: Server | HttpsServer) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  gov = await createTestCa('readyz-gov');
  const cert = await gov.issue('platform', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  client = await gov.issue('department', { cn: 'department-a', client: true });
  // Answers only a client that presents a certificate the government CA issued.
  platform = createServer(
    { cert: cert.cert, key: cert.key, ca: gov.ca, requestCert: true, rejectUnauthorized: true },
    (_req, res) => res.writeHead(404).end(),
  );
  await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
  // A port nothing listens on: a signing server that is down.
  const gone: Server = createHttpServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  closedPort = portOf(gone);
  await new Promise((r) => gone.close(r));
  dir = await mkdtemp(join(tmpdir(), 'lb-readyz-'));
  ledger = await openSqliteLedger(join(dir, 'ledger.db'), {
    logger: createLogger({ level: 'silent' }),
  });
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
}, 60_000);

afterAll(async () => {
  await new Promise((r) => platform?.close(r));
  redis?.disconnect();
  await ledger?.close();
  await rm(dir, { recursive: true, force: true });
  await gov?.remove();
});

/** The parts of a loaded config the readiness checks read. */
function configWith(signerUrl: string): Readonly<Config> {
  return {
    serve: { checkTimeoutMs: 3000, checkSources: false },
    sources: {},
    pipelines: { licenses: { signer: 'seal', targets: ['province'] } },
    signers: {
      seal: { kind: 'remote', url: signerUrl, sealId: 'S1' },
      // Configured but used by no pipeline: not a reason to be unready.
      spare: { kind: 'remote', url: `http://127.0.0.1:${closedPort}/`, sealId: 'S2' },
    },
    targets: {
      province: {
        kind: 'rest-json',
        url: `https://127.0.0.1:${portOf(platform)}/api`,
        tls: { ca: gov.ca, cert: client.cert, key: client.key },
      },
    },
  } as unknown as Readonly<Config>;
}

const source = () => Promise.reject(new Error('no sources are configured'));

describe('/readyz checks platforms and signing servers over their own connections', () => {
  it('is ready when the platform answers over mutual TLS with its CA and the signing server answers', async () => {
    const signer = createHttpServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((r) => signer.listen(0, '127.0.0.1', r));
    try {
      const report = await checkReadiness({
        config: configWith(`http://127.0.0.1:${portOf(signer)}/sign`),
        redis,
        ledger,
        source,
      });
      expect(report.checks.map(({ name, ok, error }) => ({ name, ok, error }))).toEqual([
        { name: 'redis', ok: true, error: undefined },
        { name: 'ledger', ok: true, error: undefined },
        { name: 'target:province', ok: true, error: undefined },
        { name: 'signer:seal', ok: true, error: undefined },
      ]);
      expect(report.ok).toBe(true);
    } finally {
      await new Promise((r) => signer.close(r));
    }
  });

  it('is not ready while the signing server a pipeline uses does not answer', async () => {
    const report = await checkReadiness({
      config: configWith(`http://127.0.0.1:${closedPort}/sign`),
      redis,
      ledger,
      source,
    });
    expect(report.checks.find((c) => c.name === 'signer:seal')?.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'target:province')?.ok).toBe(true);
    expect(report.ok).toBe(false);
  });
});

describe('/readyz errors', () => {
  it('mask the ID and mobile numbers a check quotes, as status does', async () => {
    const config = {
      ...configWith(`http://127.0.0.1:${closedPort}/sign`),
      serve: { checkTimeoutMs: 3000, checkSources: true },
      sources: { hr: {} },
    } as unknown as Readonly<Config>;
    const quoting = async () =>
      ({
        checkConnection: () =>
          Promise.reject(new Error('no row after key 11010519491231002X (contact 13912345678)')),
      }) as unknown as SourceConnector;
    const report = await checkReadiness({ config, redis, ledger, source: quoting });
    const error = report.checks.find((c) => c.name === 'source:hr')?.error;
    // An ID number keeps its last four only, as a failed check's stored message keeps it.
    expect(error).toBe('no row after key **************002X (contact *******5678)');
  });
});
