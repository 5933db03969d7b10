/**
 * The remote signer's tests' shared setup: a signer for a stand-in server (one seal, no auth, short
 * timeouts, one attempt, unless a test says otherwise), the error signing fails with, and a
 * stand-in signing server whose sign answers a test writes.
 */
import { createServer, type ServerResponse } from 'node:http';
import { expect } from 'vitest';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { type Sm2PrivateKey, sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';
import type { AuthSeams } from '../../adapters/signers/remote/auth.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { LicbridgeError } from '../../core/errors.js';
import { type LocalServer, listenLocal } from '../support/listen-local.js';

type Seams = AuthSeams & ConstructorParameters<typeof RemoteSigner>[2];

/** A remote signer `name` for the server at `url`; `given` overrides the test defaults. */
export function remoteSigner(
  name: string,
  url: string,
  given: Record<string, unknown> = {},
  seams?: Seams,
): RemoteSigner {
  return new RemoteSigner(
    name,
    {
      kind: 'remote',
      url,
      sealId: 'seal-1',
      auth: { scheme: 'none' },
      distId: '1234567812345678',
      batchSize: 10,
      concurrency: 2,
      timeoutMs: 5000,
      attempts: 1,
      backoffMs: 5,
      ...given,
    } as never,
    seams,
  );
}

/** The error `signer` fails to sign `messages` with (opened first, closed after). */
export async function signFailure(
  signer: RemoteSigner,
  messages: readonly Buffer[] = [Buffer.from('{"license":1}')],
): Promise<LicbridgeError> {
  await signer.open();
  try {
    const err = await signer.sign(messages).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    return err as LicbridgeError;
  } finally {
    await signer.close();
  }
}

/** What a stand-in signing server answers. */
export interface SigningStandIn {
  /**
   * The JSON text answering `GET /v1/keys/:label`; or nothing, having answered `res` itself (another
   * status, more headers).
   */
  key(res: ServerResponse): string | undefined;
  /** Answers a sign request, given the digests it carries (content-type JSON already set). */
  sign(digests: Buffer[], res: ServerResponse): unknown;
}

/** A stand-in signing server on a free local port. */
export function signingStandIn(answers: SigningStandIn): Promise<LocalServer> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') {
        const text = answers.key(res);
        if (text !== undefined) res.end(text);
        return;
      }
      const { digests } = JSON.parse(body) as { digests: string[] };
      answers.sign(
        digests.map((d) => Buffer.from(d, 'hex')),
        res,
      );
    });
  });
  return listenLocal(server);
}

/** A key answer serving `publicKeyPem` (and `more` beside it). */
export const servingKey =
  (publicKeyPem: string, more: Record<string, unknown> = {}) =>
  (): string =>
    JSON.stringify({ publicKey: publicKeyPem, ...more });

/** A sign answer: these DER signatures, base64. */
export const signaturesAnswer = (signatures: readonly Uint8Array[]): string =>
  JSON.stringify({ signatures: signatures.map((s) => Buffer.from(s).toString('base64')) });

/** DER SM2 signatures of `digests` made with `key`. */
export const signedWith = (key: Sm2PrivateKey, digests: readonly Buffer[]): Uint8Array[] =>
  digests.map((d) => encodeSm2Signature(sm2SignDigest(key, d)));
