/**
 * A platform's answer is read up to what the request's answer can legitimately hold
 * (adapters/platforms/shared/answer-size.ts), never more: a platform, or a proxy's or portal's
 * page in front of it, sending an endless or oversized body is cut off there and the connection
 * closed, and the request fails retryable, naming the target, the limit and what to check, where
 * the whole body was kept in memory until the timeout ended it.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { CATALOG_ANSWER_BYTES, platformAnswerLimit } from '../../adapters/platforms/shared/answer-size.js';
import { sendCredentialRequest } from '../../adapters/platforms/shared/auth/credential-request.js';
import { ErrorCodes } from '../../core/errors.js';
import { endlessAnswer, licbridgeFailure } from '../support/endless-answer.js';
import { listenLocal } from '../support/listen-local.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

/** What a server sends at most before it gives up (the client never closing). */
const SENT_AT_MOST = 128 * 1024 * 1024;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A server answering every request with `{"code":0,"x":"` and then `A`s, endlessly. */
async function endlessServer(): Promise<{ url: string; sent: { bytes: number } }> {
  const sent = { bytes: 0 };
  const answer = { head: '{"code":0,"x":"', tail: '"}', atMost: SENT_AT_MOST, chunkBytes: 256 * 1024 };
  const server = await listenLocal(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => endlessAnswer(res, sent, answer));
    }),
  );
  closers.push(server.close);
  return { url: server.origin, sent };
}

const slow = { timeoutMs: 300_000, attempts: 1 };

describe('platform answers: size', () => {
  it('rest-json: a batch answer is cut off at what its outcomes can hold', async () => {
    const { url, sent } = await endlessServer();
    const target = new RestJsonTarget('province', restConfig(url, slow));
    closers.push(() => target.close());
    const e = await licbridgeFailure(target.deliver([deliveryItem(1), deliveryItem(2)]));
    expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(e.retryable).toBe(true);
    expect(e.context).toMatchObject({ unsure: true, limitBytes: platformAnswerLimit(2) });
    expect(e.message).toBe(
      `target province: batch upload to ${url} failed: the answer is larger than the ${platformAnswerLimit(2)} bytes this request's answer can hold; cut off: check that url is the platform's API and not a proxy's or portal's page`,
    );
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });

  it('rest-json: a listing page is cut off at what its records can hold', async () => {
    const { url, sent } = await endlessServer();
    const target = new RestJsonTarget('province', restConfig(url, slow));
    closers.push(() => target.close());
    const e = await licbridgeFailure(
      (async () => {
        for await (const _ of target.list({ chunkSize: 10 })) void _;
      })(),
    );
    expect(e.message).toContain(
      `target province: listing request to ${url} failed: the answer is larger than the ${platformAnswerLimit(10)} bytes`,
    );
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });

  it('rest-json: the catalog answer is cut off at what a catalog can hold', async () => {
    const { url, sent } = await endlessServer();
    const e = await licbridgeFailure(fetchCatalogTypes('province', restConfig(url, slow)));
    expect(e.message).toContain(
      `target province: catalog request to ${url} failed: the answer is larger than the ${CATALOG_ANSWER_BYTES} bytes`,
    );
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });

  it("rest-json: a province's whole catalog is read: 3000 types of 40 fields, indented", async () => {
    // A type as a platform publishes it, written by a JSON writer that indents: ~7 KB each, ~21 MB
    // in all, past the 16.25 MiB (4096 types of 4 KiB) a catalog answer was cut off at.
    const fields = Array.from({ length: 40 }, (_, i) => ({
      name: `照面信息项${i + 1}`,
      code: `field${i + 1}`,
      type: 'string',
      maxLength: 512,
      required: i < 10,
      description: `许可证照面信息第${i + 1}项，按业务系统登记内容填写`,
    }));
    const types = Array.from({ length: 3000 }, (_, i) => ({
      code: `11370200MB12345674${String(i).padStart(4, '0')}`,
      name: `许可证类型${i + 1}`,
      fields,
    }));
    const body = JSON.stringify({ code: 0, types }, null, 2);
    expect(Buffer.byteLength(body)).toBeGreaterThan(16.25 * 1024 * 1024);
    const server = await startScriptedServer(() => ({ status: 200, body }));
    closers.push(server.close);
    const read = await fetchCatalogTypes('province', restConfig(server.url, slow));
    expect(read).toHaveLength(3000);
  });

  it('soap-xml: a batch answer is cut off at what its results can hold', async () => {
    const { url, sent } = await endlessServer();
    const target = soapTarget(url, slow);
    closers.push(() => target.close());
    const e = await licbridgeFailure(target.deliver([deliveryItem(1, { target: 'city' })]));
    expect(e.message).toContain(
      `target city: batch upload to ${url} failed: the answer is larger than the ${platformAnswerLimit(1)} bytes`,
    );
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });

  it("a credential request's answer is cut off at what a token's answer can hold", async () => {
    const { url, sent } = await endlessServer();
    const e = await licbridgeFailure(
      sendCredentialRequest(undefined, 'token request', {
        method: 'POST',
        url: `${url}/token`,
        timeoutMs: 300_000,
      }),
    );
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(
      `token request to ${url} failed: the answer is larger than the ${platformAnswerLimit(0)} bytes this request's answer can hold; cut off: check that url is the platform's API and not a proxy's or portal's page`,
    );
    expect(sent.bytes).toBeLessThan(SENT_AT_MOST);
  });
});
