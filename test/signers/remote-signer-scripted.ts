/**
 * A signing server for the remote signer's tests whose sign answers are scripted: the n-th sign
 * request gets `script(n)` when it returns an answer, else real SM2 signatures of the digests sent
 * (with a key of its own, served at `GET /v1/keys/:label`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface ScriptedServer {
  readonly url: string;
  readonly publicKeyPem: string;
  /** The server's key, for a test that makes a certificate for it. */
  readonly privateKeyPem: string;
  /** When each sign request was answered, ms since the epoch (its answer's time). */
  readonly answeredAt: number[];
  close(): Promise<void>;
}

/** Starts the server; `script(n)` (n from 0) answers the n-th sign request, or undefined to sign. */
export async function scriptedSigningServer(
  script: (n: number) => ScriptedAnswer | undefined,
): Promise<ScriptedServer> {
  const pair = generateSm2KeyPair();
  const key = loadSm2PrivateKey('scripted', pair.privateKeyPem).privateKey;
  const answeredAt: number[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ publicKey: pair.publicKeyPem }));
      }
      const scripted = script(n++);
      answeredAt.push(Date.now());
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        return res.end(scripted.body);
      }
      const { digests } = JSON.parse(body) as { digests: string[] };
      const signatures = digests.map((d) =>
        Buffer.from(encodeSm2Signature(sm2SignDigest(key, Buffer.from(d, 'hex')))).toString('base64'),
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ signatures }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publicKeyPem: pair.publicKeyPem,
    privateKeyPem: pair.privateKeyPem,
    answeredAt,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
