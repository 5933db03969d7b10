/**
 * A signing server's answer is read up to what it can legitimately hold, never more: a server
 * (or a proxy's page in front of it) sending an endless or oversized body is cut off at the
 * limit, the connection closed, and the request fails naming the signer, the limit and what to
 * check, where the whole body was kept in memory until the timeout ended it.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { signerAnswerLimit } from '../../adapters/signers/remote/http.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

const served = generateSm2KeyPair();
/** What a server sends at most before it gives up (the client never closing). */
const SENT_AT_MOST = 64 * 1024 * 1024;

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((r) => {
      server?.closeAllConnections();
      return server ? server.close(() => r()) : r();
    }),
);

/** Writes `{"signatures":["` and then `A`s until the client goes or SENT_AT_MOST is sent. */
function endless(res: ServerResponse, sent: { bytes: number }, length?: number): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  });
  res.write('{"signatures":["');
  const chunk = Buffer.alloc(64 * 1024, 'A');
  const more = (): void => {
    while (sent.bytes < SENT_AT_MOST && !res.destroyed) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end('"]}');
  };
  more();
}

async function serve(which: 'key' | 'sign', sent: { bytes: number }, length?: number) {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && which === 'sign') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ publicKey: served.publicKeyPem }));
      }
      endless(res, sent, length);
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return new RemoteSigner('seal-server', {
    kind: 'remote',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sealId: 'seal-1',
    keyLabel: 'district-key',
    auth: { scheme: 'none' },
    distId: '1234567812345678',
    batchSize: 20,
    concurrency: 2,
    timeoutMs: 120_000,
    attempts: 1,
    backoffMs: 5,
  } as never);
}

async function failure(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LicbridgeError);
  return e as LicbridgeError;
}

describe('remote signer: answer size', () => {
  it('cuts an endless sign answer off at what a batch of signatures can hold', async () => {
    const sent = { bytes: 0 };
    const signer = await serve('sign', sent);
    await signer.open();
    const e = await failure(signer.sign(Array.from({ length: 20 }, (_, i) => Buffer.from(`m${i}`))));
    await signer.close();
    const limit = signerAnswerLimit(20);
    expect(e.code).toBe(ErrorCodes.SIGNER_FAILED);
    expect(e.message).toContain('signer seal-server: POST /v1/keys/district-key/sign');
    expect(e.message).toContain(`larger than the ${limit} bytes an answer of 20 signatures can hold`);
    expect(e.message).toContain('url');
    // The server was cut off long before it sent all it would.
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });

  it('refuses an answer whose Content-Length is over the limit before reading it', async () => {
    const sent = { bytes: 0 };
    const signer = await serve('key', sent, SENT_AT_MOST + 19);
    const e = await failure(signer.open());
    await signer.close();
    expect(e.message).toContain('signer seal-server: GET /v1/keys/district-key');
    expect(e.message).toContain(`larger than the ${signerAnswerLimit(0)} bytes a key's answer can hold`);
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });
});
