/**
 * A signing server's answer is read up to what it can legitimately hold, never more: a server
 * (or a proxy's page in front of it) sending an endless or oversized body is cut off at the
 * limit, the connection closed, and the request fails naming the signer, the limit and what to
 * check, where the whole body was kept in memory until the timeout ended it.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { signerAnswerLimit } from '../../adapters/signers/remote/http.js';
import { ErrorCodes } from '../../core/errors.js';
import { endlessAnswer, licbridgeFailure } from '../support/endless-answer.js';
import { type LocalServer, listenLocal } from '../support/listen-local.js';
import { remoteSigner } from './remote-signer-fixture.js';

const served = generateSm2KeyPair();
/** What a server sends at most before it gives up (the client never closing). */
const SENT_AT_MOST = 64 * 1024 * 1024;

let server: LocalServer | undefined;
afterEach(() => server?.close());

/** A signing server answering the key request (`key`) or every sign request (`sign`) endlessly. */
async function serve(which: 'key' | 'sign', sent: { bytes: number }, length?: number) {
  server = await listenLocal(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'GET' && which === 'sign') {
          res.setHeader('content-type', 'application/json');
          return res.end(JSON.stringify({ publicKey: served.publicKeyPem }));
        }
        endlessAnswer(res, sent, {
          head: '{"signatures":["',
          tail: '"]}',
          atMost: SENT_AT_MOST,
          chunkBytes: 64 * 1024,
          length,
        });
      });
    }),
  );
  return remoteSigner('seal-server', server.origin, {
    keyLabel: 'district-key',
    batchSize: 20,
    timeoutMs: 120_000,
  });
}

describe('remote signer: answer size', () => {
  it('cuts an endless sign answer off at what a batch of signatures can hold', async () => {
    const sent = { bytes: 0 };
    const signer = await serve('sign', sent);
    await signer.open();
    const e = await licbridgeFailure(signer.sign(Array.from({ length: 20 }, (_, i) => Buffer.from(`m${i}`))));
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
    const e = await licbridgeFailure(signer.open());
    await signer.close();
    expect(e.message).toContain('signer seal-server: GET /v1/keys/district-key');
    expect(e.message).toContain(`larger than the ${signerAnswerLimit(0)} bytes a key's answer can hold`);
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });
});
