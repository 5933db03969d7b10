/**
 * `tls.servername` names the host a server certificate must carry when it differs from the host
 * connected to (an IP address, a tunnel). node-postgres overwrote it with the host for every host
 * name, and mysql2 and node-oracledb take none: each connection failed with a host-name mismatch.
 * node-postgres now checks the certificate against the configured name; for mysql2 and
 * node-oracledb, which cannot, the setting is refused by `config check` and as the connection is
 * built, naming the connection and what to do instead.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsSettingProblems } from '../../config/tls-findings.js';
import type { Config, SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { tlsFailureKind } from '../../core/tls.js';
import { oracleTlsOptions, sqlSslOptions } from '../../core/tls-drivers.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

const SSL_REQUEST = 80877103;

/**
 * The TLS half of a PostgreSQL server: answers the SSLRequest with `S`, completes the handshake
 * with `cert`, then hangs up on the startup message. Enough to tell whether the client accepted
 * the certificate (it then fails on the closed connection) or refused it (a TLS error).
 */
async function startPgTlsFront(cert: { cert: string; key: string }): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (head) => {
      if (head.length < 8 || head.readInt32BE(4) !== SSL_REQUEST) return socket.destroy();
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, cert: cert.cert, key: cert.key });
      secure.on('error', () => undefined);
      secure.once('data', () => secure.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('tls.servername', () => {
  let ca: TestCa;
  let front: Server;
  let port: number;
  beforeAll(async () => {
    ca = await createTestCa('servername-root');
    // The certificate names only the service name, not localhost nor 127.0.0.1.
    const cert = await ca.issue('db', { cn: 'db.dept.example', sans: ['DNS:db.dept.example'] });
    front = await startPgTlsFront(cert);
    port = (front.address() as { port: number }).port;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => front?.close(resolve));
    await ca?.remove();
  });

  /** What node-postgres makes of the options licbridge gives it: 'accepted' or the TLS failure. */
  async function pgConnect(host: string, servername?: string): Promise<string> {
    const ssl = sqlSslOptions({ host, tls: { ca: ca.ca, ...(servername ? { servername } : {}) } });
    const client = new pg.Client({
      host,
      port,
      user: 'u',
      database: 'd',
      ssl,
      connectionTimeoutMillis: 5000,
    });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await client.end().catch(() => undefined);
    return error === undefined ? 'connected' : (tlsFailureKind(error) ?? 'accepted');
  }

  it('node-postgres checks the certificate against it, when connecting by host name', async () => {
    expect(await pgConnect('localhost', 'db.dept.example')).toBe('accepted');
    // Still a check: a name the certificate does not carry is refused, and so is no name.
    expect(await pgConnect('localhost', 'other.dept.example')).toBe('host-mismatch');
    expect(await pgConnect('localhost')).toBe('host-mismatch');
  });

  it('node-postgres checks it when connecting by IP address too', async () => {
    expect(await pgConnect('127.0.0.1', 'db.dept.example')).toBe('accepted');
    expect(await pgConnect('127.0.0.1')).toBe('host-mismatch');
  });

  it('a MySQL or Oracle source with it is refused as it opens, naming the source and what to do', async () => {
    for (const kind of ['mysql', 'oracle']) {
      const config = {
        kind,
        connection: {
          host: '10.0.3.14',
          database: 'SPXK',
          user: 'spxk_reader',
          tls: { ca: ca.ca, servername: 'db.dept.example' },
        },
      } as unknown as SourceConfig;
      const error = await openSource('market-food', config).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: Error) => e,
      );
      expect(error?.message).toMatch(
        new RegExp(
          `^source market-food \\(${kind}\\): \`tls\\.servername\` is not supported here: .*checks the server certificate against (\`host\`|the host) only`,
        ),
      );
      expect(error?.message).not.toContain('spxk_reader');
    }
    expect(() => oracleTlsOptions({ tls: { servername: 'db.dept.example' } })).toThrow(/SSL_SERVER_CERT_DN/);
  });

  it('config check reports it as a problem for mysql and oracle, at its line; not for postgres', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-servername-'));
    try {
      const file = join(dir, 'licbridge.yaml');
      const yaml = [
        'sources:',
        '  food:',
        '    kind: mysql',
        '    connection:',
        '      host: 10.0.3.14',
        '      tls: { servername: db.dept.example }',
        '  permits:',
        '    kind: postgres',
        '    connection:',
        '      host: 10.0.3.15',
        '      tls: { servername: db.dept.example }',
        'targets:',
        '  city:',
        '    kind: front-db',
        '    client: oracle',
        '    connection:',
        '      host: 10.0.3.16',
        '      tls:',
        '        servername: front.city.example',
        '',
      ].join('\n');
      await writeFile(file, yaml);
      const tls = (servername: string) => ({ host: '10.0.3.1', tls: { servername } });
      const config = {
        file,
        sources: {
          food: { kind: 'mysql', connection: tls('db.dept.example') },
          permits: { kind: 'postgres', connection: tls('db.dept.example') },
        },
        targets: { city: { kind: 'front-db', client: 'oracle', connection: tls('front.city.example') } },
        signers: {},
        queue: { redis: 'redis://127.0.0.1:6379' },
        ledger: { url: 'sqlite://:memory:' },
      } as unknown as Config;
      const problems = tlsSettingProblems(config, {});
      expect(problems.map((p) => [p.path, p.line])).toEqual([
        ['sources.food.connection.tls.servername', 6],
        ['targets.city.connection.tls.servername', 19],
      ]);
      expect(problems[0]?.message).toMatch(/^source food: not supported: the MySQL driver \(mysql2\)/);
      expect(problems[1]?.message).toMatch(
        /^target city: not supported: the Oracle driver \(node-oracledb\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
