/**
 * A signing server in maintenance: the signing-server simulator behind a front that answers sign
 * requests with 503 and `Retry-After` for `busyMs` from the first one, then passes them on. The
 * demo workspace's local signer is swapped for it (a remote signer waiting at most 1 s itself), so
 * a test sees how a sign job and a run treat a wait longer than the signer's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { startSigningServerSimulator } from '../../adapters/simulators/signing-server/signing-server-simulator.js';

export interface BusySigningServer {
  /** When each refused sign request came, ms since the epoch. */
  readonly refused: number[];
  /**
   * Busy again from the next sign request, for `busyMs` (the server's own unless given); the
   * refusals so far forgotten.
   */
  reset(busyMs?: number): void;
  close(): Promise<void>;
}

/** Starts the server for `seal` and points `configFile`'s `district-seal` signer at it. */
export async function startBusySigningServer(
  configFile: string,
  seal: string,
  options: { busyMs: number; retryAfterSeconds: number },
): Promise<BusySigningServer> {
  const pair = generateSm2KeyPair();
  const sim = await startSigningServerSimulator({ keys: { [seal]: { privateKeyPem: pair.privateKeyPem } } });
  const refused: number[] = [];
  let busyMs = options.busyMs;
  let busyUntil = 0;
  const front = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const signing = req.method === 'POST' && (req.url ?? '').endsWith('/sign');
      if (signing && busyUntil === 0) busyUntil = Date.now() + busyMs;
      if (signing && Date.now() < busyUntil) {
        refused.push(Date.now());
        res.writeHead(503, {
          'content-type': 'application/json',
          'retry-after': String(options.retryAfterSeconds),
        });
        res.end(JSON.stringify({ error: 'maintenance' }));
        return;
      }
      const body = Buffer.concat(chunks);
      fetch(`${sim.url}${req.url}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(await r.text());
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  const yaml = await readFile(configFile, 'utf8');
  const remote = `district-seal: { kind: remote, url: "${url}", sealId: "${seal}", auth: { scheme: none }, attempts: 2, backoffMs: 5, maxBackoffMs: 1000 }`;
  const swapped = yaml.replace(/district-seal: \{ kind: local-sm2.*\}/, remote);
  expect(swapped).not.toBe(yaml);
  await writeFile(configFile, swapped);
  return {
    refused,
    reset(spell = options.busyMs) {
      refused.length = 0;
      busyMs = spell;
      busyUntil = 0;
    },
    async close() {
      await new Promise<void>((r) => front.close(() => r()));
      await sim.close();
    },
  };
}
