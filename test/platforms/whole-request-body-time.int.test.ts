/**
 * The whole-request bound (adapters/whole-request-timeout.ts) leaves a request's body the time it
 * takes to send over a slow link: `timeout` plus its size at SLOWEST_UPLOAD_BYTES_PER_MS. A large
 * batch whose answer comes after `timeout` but within that allowance is answered, not timed out
 * at every attempt; a small request answered as late still times out.
 */
import { createServer } from 'node:http';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SLOWEST_UPLOAD_BYTES_PER_MS,
  wholeRequestMs,
  wholeRequestTimeout,
} from '../../adapters/whole-request-timeout.js';
import { listenLocal } from '../support/listen-local.js';

/**
 * Two seconds, not less: client and server share this process, and on a loaded machine a pause of
 * it longer than the timeout let the socket's idle timer fire before the server's next space (a
 * 500 ms timeout failed once so, the suite running beside other work).
 */
const TIMEOUT_MS = 2_000;
/** The server's answer ends this long after the body is in: past TIMEOUT_MS, within a 512 KiB body's allowance (6 s). */
const ANSWER_AFTER_MS = 4_000;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function lateServer(): Promise<string> {
  const server = await listenLocal(
    createServer((req, res) => {
      req.resume();
      // Never idle for TIMEOUT_MS (axios's own timeout bounds a silent socket): a space every 50 ms.
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const started = Date.now();
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          if (Date.now() - started < ANSWER_AFTER_MS) return void res.write(' ');
          clearInterval(timer);
          res.end('{"code":0}');
        }, 50);
      });
    }),
  );
  closers.push(server.close);
  return server.origin;
}

const post = (url: string, body: string | Buffer) =>
  axios.post(url, body, {
    adapter: wholeRequestTimeout,
    timeout: TIMEOUT_MS,
    headers: { 'content-type': 'text/plain' },
  });

describe('whole-request bound: the body has its time to send', () => {
  it('counts a body at the slowest link it allows, strings by their UTF-8 bytes', () => {
    expect(wholeRequestMs(10_000, undefined)).toBe(10_000);
    // 32 MiB, maxBatchBytes' default: over 27 s at 10 Mbit/s, so far more than 10 s is left.
    expect(wholeRequestMs(10_000, Buffer.alloc(32 * 1024 * 1024))).toBe(
      10_000 + Math.ceil((32 * 1024 * 1024) / SLOWEST_UPLOAD_BYTES_PER_MS),
    );
    expect(wholeRequestMs(10_000, Buffer.alloc(32 * 1024 * 1024))).toBeGreaterThan(250_000);
    expect(wholeRequestMs(0, '证照')).toBe(Math.ceil(6 / SLOWEST_UPLOAD_BYTES_PER_MS));
  });

  it('a large body answered after timeout, within its allowance, is answered', async () => {
    const url = await lateServer();
    const answer = await post(url, Buffer.alloc(512 * 1024, 0x20));
    expect(answer.status).toBe(200);
  });

  it('a small body answered as late still times out', async () => {
    const url = await lateServer();
    await expect(post(url, '{}')).rejects.toMatchObject({ code: 'ECONNABORTED' });
  });
});
