/**
 * A signing server for the remote signer's tests whose sign answers are scripted: the n-th sign
 * request gets `script(n)` when it returns an answer, else real SM2 signatures of the digests sent
 * (with a key of its own, served at `GET /v1/keys/:label`).
 */
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import type { LicbridgeError } from '../../core/errors.js';
import {
  remoteSigner,
  servingKey,
  signaturesAnswer,
  signedWith,
  signFailure,
  signingStandIn,
} from './remote-signer-fixture.js';

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
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
  const server = await signingStandIn({
    key: servingKey(pair.publicKeyPem),
    sign: (digests, res) => {
      const scripted = script(n++);
      answeredAt.push(Date.now());
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        return res.end(scripted.body);
      }
      res.end(signaturesAnswer(signedWith(key, digests)));
    },
  });
  return {
    url: server.origin,
    publicKeyPem: pair.publicKeyPem,
    privateKeyPem: pair.privateKeyPem,
    answeredAt,
    close: server.close,
  };
}

/**
 * The error signer `city-seal`, with bearer `token`, fails to sign one message with, every sign
 * request answered by `answer` (the server closed after).
 */
export async function failureAnswering(answer: ScriptedAnswer, token: string): Promise<LicbridgeError> {
  const server = await scriptedSigningServer(() => answer);
  try {
    return await signFailure(remoteSigner('city-seal', server.url, { auth: { scheme: 'bearer', token } }));
  } finally {
    await server.close();
  }
}
