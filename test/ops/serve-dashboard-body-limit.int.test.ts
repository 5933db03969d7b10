/**
 * The dashboard's API takes small JSON bodies; a larger one is refused (413) before it is read, with
 * or without a Content-Length. The board read any body whole into memory before its route looked
 * at it: a 400 MB one sent to a refused route took `serve` from 0.1 to 1.3 GB.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const TOKEN = 'body-limit-bearer-token-4r8w';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const PAUSE = '/dashboard/api/queues/extract/pause';

let ws: DemoWorkspace;
let server: OpsServer;
let extract: Queue;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  const { config } = await opsConfig(
    ws,
    'body-limit.yaml',
    `serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(config, quietLogger());
  extract = new Queue('extract', { connection: { host: '127.0.0.1', port: 6379 }, prefix: ws.prefix });
});
afterAll(async () => {
  await server?.close();
  await extract?.close();
  await ws?.cleanup();
});

/**
 * Sends `bytes` of body in 16 KiB pieces, announced (Content-Length) or not (chunked), on a
 * connection of its own, stopping once the server answers or closes; the status it answered.
 */
async function bigBodyStatus(path: string, bytes: number, chunked: boolean): Promise<number> {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  let answer = '';
  socket.on('data', (c: Buffer) => {
    answer += c.toString('latin1');
  });
  const closed = once(socket, 'close');
  const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bytes}`;
  socket.write(
    `PUT ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${BEARER.authorization}\r\nContent-Type: application/json\r\n${length}\r\nConnection: close\r\n\r\n`,
  );
  const piece = 'x'.repeat(0x4000);
  const chunk = chunked ? `4000\r\n${piece}\r\n` : piece;
  for (let sent = 0; sent < bytes && answer === '' && socket.writable; sent += 0x4000) {
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), closed]);
  }
  if (chunked && socket.writable) socket.write('0\r\n\r\n');
  await closed;
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
}

/** A JSON body of about `bytes` bytes. */
const jsonOf = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes) });

describe('dashboard request bodies', () => {
  it('refuses a body past 64 KiB, announced or streamed, and acts on none', async () => {
    expect(await bigBodyStatus(PAUSE, 2 * 1024 * 1024, false)).toBe(413);
    expect(await extract.isPaused()).toBe(false);

    // Chunked: no Content-Length to go by, so the bytes are counted as they come.
    expect(await bigBodyStatus(PAUSE, 2 * 1024 * 1024, true)).toBe(413);
    expect(await extract.isPaused()).toBe(false);

    // A body of the board's own size still goes through.
    const small = await fetch(`${server.url}${PAUSE}`, {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/json' },
      body: jsonOf(1000),
    });
    expect(small.status).toBeLessThan(300);
    expect(await extract.isPaused()).toBe(true);
    await extract.resume();
  });
});
