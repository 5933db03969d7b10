/**
 * A signer backed by a signing server (签名验签服务器): licbridge computes e = SM3(Z ‖ M) itself
 * (Z needs only the public key) and sends the digests in batches, many requests in flight; the
 * server's key never leaves it.
 *
 * Protocol (what the simulator in adapters/simulators/signing-server serves):
 * - `GET  /v1/keys/:label` → `{ "publicKey": SPKI PEM, "certificate"?: PEM }` (`""` or `null`: none)
 * - `POST /v1/keys/:label/sign` `{ "digests": [hex e, …] }` → `{ "signatures": [base64 DER, …] }`
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { type Logger, rootLogger } from '../../../core/logger.js';
import { httpsAgentFor } from '../../tls-http.js';
import {
  checkCertificate,
  keyFingerprint,
  keyId,
  parseCertificate,
  readCertificate,
  type SealCertificate,
  validityProblem,
} from '../certificate.js';
import type { Sm2Point } from '../local-sm2/curve.js';
import { parseSm2PublicKeyPem, sm2SpkiDer, spkiPem } from '../local-sm2/keys.js';
import { sm2Z } from '../local-sm2/sm2.js';
import {
  assertSm3Digests,
  type DescribedSigner,
  type DigestSigner,
  type SignatureRecord,
  type SignerKeyInfo,
  SM2_SM3_OID,
} from '../signer.js';
import { type AuthSeams, createRemoteAuth } from './auth.js';
import { checkAnswer, serverSays } from './check-answer.js';
import type { RemoteSignerConfig } from './config.js';
import { Gate } from './gate.js';
import { requestJson, type ServerWait } from './http.js';
import { keyAnswerForm, keyAnswerPem } from './key-answer.js';
import { remoteKind } from './kind.js';
import { credentialsOf } from './server-text.js';

export const REMOTE_KIND = 'remote';

export interface RemoteSignerStats {
  requests: number;
  retries: number;
}

/**
 * The positions of a batch of `n` whose signatures are verified with `verify: sample`: first, last
 * and one between.
 */
export function sampleIndexes(n: number): number[] {
  if (n <= 3) return Array.from({ length: n }, (_, i) => i);
  return [0, 1 + Math.floor(Math.random() * (n - 2)), n - 1];
}

export class RemoteSigner implements DescribedSigner, DigestSigner {
  readonly kind = REMOTE_KIND;
  readonly name: string;
  readonly #config: RemoteSignerConfig;
  readonly #distId: string;
  readonly #label: string;
  readonly #baseUrl: string;
  readonly #now: () => Date;
  readonly #auth: ReturnType<typeof createRemoteAuth>;
  /** The auth's token or secret: what the server says is quoted without them (./server-text.ts). */
  readonly #credentials: readonly string[];
  readonly #gate: Gate;
  // One agent per signer: keep-alive, and the `tls:` trust and client certificate (mutual TLS).
  readonly #agent: ReturnType<typeof httpsAgentFor>;
  readonly #stats: RemoteSignerStats = { requests: 0, retries: 0 };
  readonly #log: Logger;
  /** Aborted by close(): requests of this signer start no new attempt (./http.ts). */
  #closing: AbortController;
  #z: Uint8Array | undefined;
  #publicPem: string | undefined;
  /** `keyFingerprint` of the server's key, for messages. */
  #fingerprint = '';
  /** The server's key with a window table: the samples of every batch verify with it. */
  #point: Sm2Point | undefined;
  #certificate: SealCertificate | undefined;

  constructor(
    name: string,
    given: RemoteSignerConfig,
    seams: AuthSeams & { now?: () => Date; logger?: Logger } = {},
  ) {
    this.name = name;
    // A loaded config has every default already; one built in code gets them from the same schema.
    const config = withSchemaDefaults(remoteKind.schema, given);
    // The loader refuses `tls` next to an `http://` url, and a credential no header can carry
    // (./kind.ts `problems`); a signer built in code (bench/sign.ts) skips the loader, and would send
    // digests and credentials in the clear, or retry a request Node refuses to send.
    const [problem] = remoteKind.problems(name, config);
    if (problem) {
      throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, problem.message, { context: { signer: name } });
    }
    this.#config = config;
    this.#distId = config.distId;
    this.#label = config.keyLabel ?? config.sealId;
    this.#baseUrl = config.url.replace(/\/+$/, '');
    this.#now = seams.now ?? (() => new Date());
    this.#auth = createRemoteAuth(config.auth, seams);
    this.#credentials = credentialsOf(config.auth);
    this.#gate = new Gate(config.concurrency);
    this.#closing = this.#closingController();
    this.#agent = httpsAgentFor(config.tls);
    this.#log = seams.logger ?? rootLogger();
  }

  /**
   * Each request waiting between attempts listens on the signal: up to `concurrency` batches and
   * open()'s request, past the 10 after which Node warns of a leak (MaxListenersExceededWarning).
   */
  #closingController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(this.#config.concurrency + 1, controller.signal);
    return controller;
  }

  #fail(detail: string, cause?: unknown): LicbridgeError {
    return new LicbridgeError(ErrorCodes.SIGNER_KEY, `signer ${this.name}: ${detail}`, {
      context: { signer: this.name },
      cause,
    });
  }

  #request(method: 'GET' | 'POST', path: string, body?: unknown, signatures = 0): Promise<unknown> {
    this.#stats.requests++;
    return requestJson({
      signer: this.name,
      baseUrl: this.#baseUrl,
      method,
      path,
      body,
      auth: this.#auth,
      credentials: this.#credentials,
      agent: this.#agent,
      tls: this.#config.tls,
      policy: {
        attempts: this.#config.attempts,
        backoffMs: this.#config.backoffMs,
        timeoutMs: this.#config.timeoutMs,
        // A config built in code may leave it out; the schema's default is requestJson's own.
        ...(this.#config.maxBackoffMs === undefined ? {} : { maxBackoffMs: this.#config.maxBackoffMs }),
      },
      onRetry: () => {
        this.#stats.retries++;
      },
      onServerWait: (wait) => this.#tellServerWait(method, path, wait),
      closed: this.#closing.signal,
      signatures,
    });
  }

  /** A wait the server asked for (429/503 with `Retry-After`): an operator sees why signing slowed. */
  #tellServerWait(method: string, path: string, wait: ServerWait): void {
    const seconds = Math.round(wait.waitMs / 100) / 10;
    this.#log.warn(
      { signer: this.name, status: wait.status, waitMs: wait.waitMs, attempt: wait.attempt },
      `signer ${this.name}: ${method} ${path}: HTTP ${wait.status}: waiting ${seconds} s as the server's Retry-After asks before attempt ${wait.attempt + 1} of ${wait.attempts}`,
    );
  }

  /** Fetches the server's key (and certificate), checks the configured certificate against it. */
  async open(): Promise<void> {
    if (this.#z) return;
    if (this.#closing.signal.aborted) this.#closing = this.#closingController();
    const path = `/v1/keys/${encodeURIComponent(this.#label)}`;
    const answer = await this.#request('GET', path);
    // `null` or a list is JSON too; read as an object, it threw a TypeError naming nothing.
    const info: { publicKey?: unknown; certificate?: unknown } =
      typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer : {};
    if (typeof info.publicKey !== 'string')
      throw this.#fail(`${path}: the server sent no publicKey${serverSays(answer, this.#credentials)}`);
    // Node derives a public key from a private key's PEM as readily as from a public key's: taken
    // as it came, a private key answered here opened the signer and its PEM was the public side
    // recorded in the ledger (signing_keys). Refused, quoting none of it; the cause is left out too.
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(info.publicKey)) {
      throw this.#fail(
        `${path}: the server answered a private key as its publicKey; refusing it (the key has left the signing server: have it replaced)`,
      );
    }
    let point: ReturnType<typeof parseSm2PublicKeyPem>;
    let publicKeyPem: string;
    try {
      const answered = keyAnswerPem(info.publicKey);
      point = parseSm2PublicKeyPem(answered);
      // The public side recorded is the key's SubjectPublicKeyInfo, also where the server answered
      // a certificate (which createPublicKey reads as the key it certifies).
      // Its point uncompressed, as a certificate holds it, whichever form the server wrote.
      publicKeyPem = spkiPem(sm2SpkiDer(answered));
    } catch (e) {
      throw this.#fail(
        `${path}: the server's key is not an SM2 public key${keyAnswerForm(info.publicKey)}`,
        e,
      );
    }
    let cert: SealCertificate | undefined;
    if (this.#config.certificate !== undefined) {
      cert = readCertificate(this.name, this.#config.certificate);
      checkCertificate(this.name, cert, publicKeyPem, this.#config.certificate, this.#now());
    } else if (typeof info.certificate === 'string' && info.certificate.trim() !== '') {
      // `"certificate": ""` is a server with no certificate for the key that writes the optional
      // field empty rather than leave it out (as `null` is): read so, it failed open() unreadable.
      const origin = `the server's certificate for key ${this.#label}`;
      cert = parseCertificate(this.name, keyAnswerPem(info.certificate), origin);
      checkCertificate(this.name, cert, publicKeyPem, origin, this.#now());
    }
    try {
      this.#z = sm2Z(point, this.#distId);
    } catch (e) {
      throw this.#fail(`distId: ${(e as Error).message}`, e);
    }
    // The checks of the server's answers take this key's table from the shared verification
    // tables (local-sm2/verify-tables.ts) once it has been used a few times.
    this.#point = point;
    this.#publicPem = publicKeyPem;
    this.#fingerprint = keyFingerprint(publicKeyPem);
    this.#certificate = cert;
  }

  async #signBatch(digests: Buffer[], point: Sm2Point): Promise<Uint8Array[]> {
    const path = `/v1/keys/${encodeURIComponent(this.#label)}/sign`;
    const answer = await this.#gate.run(() =>
      this.#request('POST', path, { digests: digests.map((d) => d.toString('hex')) }, digests.length),
    );
    // Every signature (`verify: all`, the default), verified over the digest sent, with the
    // server's key: a server that signs in ECDSA mode, with another distinguishing ID or key,
    // answers a batch reversed, shifted or shuffled, or gets one signature of it wrong fails here,
    // before the ledger records a signature no verifier would accept. Checking three of a batch, a
    // wrong signature elsewhere was stored and delivered. A check costs ~3 ms of this thread's CPU
    // (docs/signatures.md).
    // The key is the one the call started with: close() lets the signer's go, and an answer that
    // came back after it was handed back unchecked.
    const checked =
      this.#config.verify === 'sample'
        ? sampleIndexes(digests.length)
        : Array.from({ length: digests.length }, (_, i) => i);
    return checkAnswer(answer, digests, checked, {
      signer: this.name,
      request: `POST ${path}`,
      sealId: this.#config.sealId,
      point,
      fingerprint: this.#fingerprint,
      certificateSerial: this.#certificate?.serial ?? null,
      credentials: this.#credentials,
    });
  }

  /** Z, once open; refuses before. */
  #openZ(): Uint8Array {
    return this.#opened().z;
  }

  /** Z and the server's key, once open; refuses before (and after close()). */
  #opened(): { z: Uint8Array; point: Sm2Point } {
    const z = this.#z;
    const point = this.#point;
    if (!z || !point) {
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, `signer ${this.name}: sign called before open()`, {
        context: { signer: this.name },
      });
    }
    return { z, point };
  }

  async sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    const { z, point } = this.#opened();
    return this.#signDigests(
      messages.map((m) => createHash('sm3').update(z).update(m).digest()),
      point,
    );
  }

  async signDigests(digests: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    const { point } = this.#opened();
    assertSm3Digests(this.name, digests);
    return this.#signDigests(
      digests.map((d) => Buffer.from(d)),
      point,
    );
  }

  z(): Uint8Array {
    return this.#openZ();
  }

  async #signDigests(digests: Buffer[], point: Sm2Point): Promise<SignatureRecord[]> {
    // The certificate again, at the time the signatures record: a worker keeps its signer open
    // for weeks, and a signature made after the certificate ended verifies as invalid forever.
    // A renewed certificate is taken up by opening the signer again (restarting the worker).
    // Checked before anything is sent, and again at each batch's signing time.
    const cert = this.#certificate;
    this.#refuseOutsideValidity(cert, this.#now());
    const size = this.#config.batchSize;
    const parts: Promise<SignatureRecord[]>[] = [];
    for (let i = 0; i < digests.length; i += size) {
      const batch = digests.slice(i, i + size);
      parts.push(this.#signBatch(batch, point).then((signatures) => this.#records(batch, signatures, cert)));
    }
    return (await Promise.all(parts)).flat();
  }

  /**
   * A batch's records, stamped with the time its answer came and was checked: the server signed
   * then, after any Retry-After or backoff the request waited, which the time the call began was
   * not (the protocol's answer states no time of its own). `verify` checks the certificate at it.
   */
  #records(
    digests: Buffer[],
    signatures: Uint8Array[],
    cert: SealCertificate | undefined,
  ): SignatureRecord[] {
    const signedAt = this.#now();
    this.#refuseOutsideValidity(cert, signedAt);
    return signatures.map((signature, i) => ({
      algorithm: SM2_SM3_OID,
      digest: (digests[i] as Buffer).toString('hex'),
      signature,
      distId: this.#distId,
      sealId: this.#config.sealId,
      signerKind: REMOTE_KIND,
      certificateSerial: cert?.serial ?? null,
      certificateIssuer: cert?.issuer ?? null,
      signedAt,
    }));
  }

  /** Refuses signatures made when the certificate is not valid (a wait may outlast its end). */
  #refuseOutsideValidity(cert: SealCertificate | undefined, at: Date): void {
    const problem = cert ? validityProblem(cert, at) : null;
    if (cert && problem) {
      const origin = this.#config.certificate ?? `the server's certificate for key ${this.#label}`;
      throw this.#fail(`certificate: ${origin} (serial ${cert.serial}) is ${problem}; refusing to sign`);
    }
  }

  publicKeyPem(): string {
    if (this.#publicPem === undefined) {
      throw new LicbridgeError(
        ErrorCodes.SIGNER_FAILED,
        `signer ${this.name}: publicKeyPem() before open()`,
        {
          context: { signer: this.name },
        },
      );
    }
    return this.#publicPem;
  }

  keyInfo(): SignerKeyInfo {
    const publicKeyPem = this.publicKeyPem();
    const cert = this.#certificate;
    return {
      sealId: this.#config.sealId,
      signerKind: REMOTE_KIND,
      distId: this.#distId,
      publicKeyPem,
      keyId: keyId(publicKeyPem),
      certificatePem: cert?.pem ?? null,
      certificateSerial: cert?.serial ?? null,
      certificateIssuer: cert?.issuer ?? null,
      notBefore: cert?.notBefore ?? null,
      notAfter: cert?.notAfter ?? null,
    };
  }

  stats(): RemoteSignerStats {
    return { ...this.#stats };
  }

  async close(): Promise<void> {
    this.#closing.abort();
    // A batch waiting for its turn fails now, not once a request still at the server has ended.
    this.#gate.leaveAll();
    this.#z = undefined;
    this.#point = undefined;
    this.#agent.destroy();
  }
}
