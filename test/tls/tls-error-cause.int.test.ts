/**
 * A refused HTTPS handshake becomes a LicbridgeError whose cause is kept with it (stored, logged,
 * printed by Node's inspector on a crash). The HTTP client's own error holds the whole request:
 * the Authorization header, the body with a holder's data, the raw header text. None of it may
 * travel in the error licbridge makes; the TLS verify code that names the failure still does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsTlsError, platformHttp } from '../../adapters/tls-http.js';
import { ErrorCodes } from '../../core/errors.js';
import { tlsFailureKind } from '../../core/tls.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

describe('a refused handshake', () => {
  let ca: TestCa;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ca = await createTestCa('cause-root');
    const cert = await ca.issue('platform', { cn: 'localhost', sans: ['IP:127.0.0.1'] });
    server = createServer({ cert: cert.cert, key: cert.key }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ca.remove();
  });

  it('keeps neither the request header nor the body in the error or its causes', async () => {
    const token = `tok${randomBytes(8).toString('hex')}`;
    const holder = `holder${randomBytes(8).toString('hex')}`;
    // The CA is not given: the server's certificate is not trusted.
    const { http, close } = platformHttp(5000, undefined);
    let thrown: unknown;
    try {
      await http.post(url, JSON.stringify({ czzt: holder }), {
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      });
    } catch (e) {
      thrown = e;
    } finally {
      close();
    }
    // The client's own error does hold them: what is checked below is that none is passed on.
    expect(inspect(thrown, { depth: 8 })).toContain(token);
    const error = await httpsTlsError(
      thrown,
      'target province',
      ErrorCodes.TARGET_UNREACHABLE,
      url,
      undefined,
    );
    expect(error?.message).toContain('the server certificate is not trusted');
    expect(tlsFailureKind(error)).toBe('untrusted');
    const shown = `${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}`;
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(holder);
    expect(shown).not.toContain('Authorization');
  });
});
