/**
 * The one TLS model every connection licbridge opens is built from (`tls:` in the config), and the
 * one mapping from Node's TLS error codes to messages a person can act on. Verification is on
 * whenever TLS is on; only `insecureSkipVerify: true` turns it off, and config check and status
 * flag that. Nothing here ever puts a private key or a passphrase in a message.
 */
import { X509Certificate } from 'node:crypto';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { type ErrorCode, ErrorCodes, LicbridgeError } from './errors.js';

/** `tls:` as configured, after `${file:…}` / `${env:…}` references are resolved (PEM text). */
export interface TlsSettings {
  /** PEM CA bundle trusted for this connection instead of Node's public roots. */
  readonly ca?: string;
  /** PEM client certificate (chain), for mutual TLS. */
  readonly cert?: string;
  /** PEM private key of `cert`, plain or encrypted. */
  readonly key?: string;
  /** Passphrase of an encrypted `key`. */
  readonly passphrase?: string;
  /** Host name the server certificate must carry, when it differs from the host connected to. */
  readonly servername?: string;
  /** @defaultValue `TLSv1.2` */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Accept any server certificate. Needs a person: config check and status flag it. @defaultValue false */
  readonly insecureSkipVerify?: boolean;
}

/**
 * `tls.ca` as the drivers take it. An empty one (a `${file:…}` naming an empty file, a `${env:…}`
 * set to nothing) is refused: Node, and every driver built on it, reads an empty `ca` as no `ca`
 * and trusts the public roots instead of the one CA the config names.
 */
export function trustedCa(tls: TlsSettings | undefined): { ca?: string } {
  if (tls?.ca === undefined) return {};
  if (tls.ca.trim() === '') {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `${UNNAMED}expected \`tls.ca\` to hold PEM CA certificates, got an empty value (an empty file or variable?); left so, the connection would trust the public roots instead of that CA`,
      { context: { tlsSetting: 'ca' } },
    );
  }
  return { ca: tls.ca };
}

/** How a refused `tls:` setting opens its message until the connection holding it is known. */
const UNNAMED = 'tls: ';

/**
 * `error` with the connection that holds the refused `tls:` setting named (`source market-food
 * (postgres)`, `queue: Redis at rediss://r:6380`): a config has many `tls.ca`, and the setting
 * alone does not say which one to fix. Other errors are returned as they are. `connection` never
 * holds a user name or a password.
 */
export function namedTlsSettingError(error: unknown, connection: string): unknown {
  if (!(error instanceof LicbridgeError) || error.context.tlsSetting === undefined) return error;
  if (typeof error.context.connection === 'string') return error;
  return new LicbridgeError(error.code, `${connection}: ${error.message.replace(UNNAMED, '')}`, {
    retryable: error.retryable,
    context: { ...error.context, connection },
    cause: error.cause,
  });
}

/** Node `tls.connect` options for a configured `tls:`; verification on unless explicitly skipped. */
export function nodeTlsOptions(tls: TlsSettings | undefined): ConnectionOptions {
  const t = tls ?? {};
  const insecure = t.insecureSkipVerify === true;
  return {
    ...trustedCa(t),
    ...(t.cert ? { cert: t.cert } : {}),
    ...(t.key ? { key: t.key } : {}),
    ...(t.passphrase ? { passphrase: t.passphrase } : {}),
    ...(t.servername ? { servername: t.servername } : {}),
    minVersion: t.minVersion ?? 'TLSv1.2',
    rejectUnauthorized: !insecure,
    // Skipping verification skips the host-name check too, as `insecureSkipVerify` promises.
    ...(insecure ? { checkServerIdentity: () => undefined } : {}),
  };
}

export type TlsFailureKind =
  | 'untrusted'
  | 'host-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'client-cert-required'
  | 'client-cert-rejected'
  | 'client-key'
  | 'protocol';

// Node surfaces OpenSSL's verify result as `code` on the socket error (X509_V_ERR_* names without
// the prefix) and server alerts as ERR_SSL_*_ALERT_*.
const KINDS: Readonly<Record<string, TlsFailureKind>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  CERT_SIGNATURE_FAILURE: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_REJECTED: 'untrusted',
  INVALID_CA: 'untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'host-mismatch',
  HOSTNAME_MISMATCH: 'host-mismatch',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'client-cert-required',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'client-cert-required',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'client-cert-required',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'client-cert-rejected',
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: 'client-cert-rejected',
  ERR_OSSL_BAD_DECRYPT: 'client-key',
  ERR_OSSL_EVP_BAD_DECRYPT: 'client-key',
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: 'client-key',
  ERR_OSSL_PEM_NO_START_LINE: 'client-key',
  ERR_SSL_WRONG_VERSION_NUMBER: 'protocol',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'protocol',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'protocol',
};

// Some drivers (mssql, the alert paths of mysql2) keep only the message.
const BY_MESSAGE: readonly [RegExp, TlsFailureKind][] = [
  [/self[- ]signed certificate|unable to (verify|get) .*(certificate|issuer)/i, 'untrusted'],
  [/Hostname\/IP does not match certificate|altnames/i, 'host-mismatch'],
  [/certificate has expired/i, 'expired'],
  [/alert certificate required|peer did not return a certificate/i, 'client-cert-required'],
  [/alert unknown ca|alert bad certificate/i, 'client-cert-rejected'],
  // A wrong passphrase whose output happens to pass the padding check reaches the key decoder,
  // which refuses it as unsupported (OpenSSL 3: about one wrong passphrase in 128).
  [/bad decrypt|key values mismatch|DECODER routines::unsupported/i, 'client-key'],
];

/**
 * The ERR_SSL_* code of OpenSSL's reason in `message` (`…:SSL routines:ssl3_get_record:wrong
 * version number:…` → ERR_SSL_WRONG_VERSION_NUMBER), as Node names it when it gives the code. Over
 * HTTPS a failed handshake comes as `EPROTO` with the reason in the message only.
 */
function reasonCode(message: string): string {
  const reason = /SSL routines:[^:]*:([a-z0-9 ]+):/i.exec(message)?.[1];
  return reason ? `ERR_SSL_${reason.trim().toUpperCase().replace(/ +/g, '_')}` : '';
}

/** The TLS failure an error (or any error in its cause chain) stands for, if it is one. */
export function tlsFailureKind(error: unknown): TlsFailureKind | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift() as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const message = typeof e.message === 'string' ? e.message : '';
    const kind = (typeof e.code === 'string' ? KINDS[e.code] : undefined) ?? KINDS[reasonCode(message)];
    if (kind) return kind;
    for (const [pattern, k] of BY_MESSAGE) if (pattern.test(message)) return k;
    queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return undefined;
}

/** A certificate as a message may name it: subject and validity, nothing else. */
export interface CertificateFacts {
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Set when it (or, for a server's, a certificate of the chain it presented) is signed SM2-with-SM3. */
  readonly sm2Signed?: true;
}

/** SM2-with-SM3 (GM/T 0006: 1.2.156.10197.1.501) as a DER OBJECT IDENTIFIER. */
const SM2_WITH_SM3 = Buffer.from('06082a811ccf55018375', 'hex');

/** The content of the DER element at `at`: where it starts and ends; undefined past the bytes. */
function derElement(der: Uint8Array, at: number): { start: number; end: number } | undefined {
  let length = der[at + 1];
  let start = at + 2;
  if (length === undefined) return undefined;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[start + i] ?? 0);
    start += n;
  }
  return start + length > der.length ? undefined : { start, end: start + length };
}

/** Whether a DER certificate's signatureAlgorithm (after its TBSCertificate) is SM2-with-SM3. */
export function signedWithSm2(der: Uint8Array): boolean {
  const cert = derElement(der, 0);
  const tbs = cert && derElement(der, cert.start);
  const algorithm = tbs && derElement(der, tbs.end);
  if (!algorithm) return false;
  return Buffer.from(der.subarray(algorithm.start, algorithm.start + SM2_WITH_SM3.length)).equals(
    SM2_WITH_SM3,
  );
}

export function certificateFacts(cert: PeerCertificate | X509Certificate): CertificateFacts {
  const sm2 = cert.raw !== undefined && signedWithSm2(cert.raw) ? { sm2Signed: true as const } : {};
  if (cert instanceof X509Certificate) {
    return {
      subject: cert.subject.replace(/\n/g, ', '),
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
      ...sm2,
    };
  }
  const subject = Object.entries(cert.subject ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
  return {
    subject,
    notBefore: new Date(cert.valid_from).toISOString(),
    notAfter: new Date(cert.valid_to).toISOString(),
    ...sm2,
  };
}

/** Every certificate in a PEM bundle; blocks that do not parse are left out. */
export function pemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const out: X509Certificate[] = [];
  for (const b of blocks) {
    try {
      out.push(new X509Certificate(b));
    } catch {
      // Reported by the connection itself when it uses the bundle.
    }
  }
  return out;
}

const WHAT: Record<TlsFailureKind, string> = {
  untrusted:
    'the server certificate is not trusted (not issued by a CA in `tls.ca`, or self-signed): put the issuing CA in `tls.ca`',
  'host-mismatch':
    'the server certificate does not name the host connected to: connect by a name the certificate carries, or set `tls.servername`',
  expired: 'the server certificate has expired: the server needs a renewed certificate',
  'not-yet-valid':
    'the server certificate is not valid yet: it was installed before its start, or the clocks of the two hosts differ',
  'client-cert-required':
    'the server requires a client certificate and none was accepted: set `tls.cert` and `tls.key`',
  'client-cert-rejected':
    'the server refused the client certificate (issued by a CA it does not trust, or expired): use a certificate issued by the CA the server trusts',
  'client-key':
    'the client key cannot be used (wrong `tls.passphrase`, or a key that does not match `tls.cert`)',
  protocol:
    'no TLS session could be agreed (the server speaks no TLS on this port, or no common TLS version; a server speaking TLCP only, GB/T 38636, is refused so too and needs a TLCP gateway in front, docs/operations.md#tls)',
};

/**
 * An SM2 chain refused as a signature failure. Node's OpenSSL 3 checks an SM2 certificate
 * signature without the distinguishing ID SM2 CAs sign with (GB/T 35276: 1234567812345678;
 * `openssl verify` fails alike and passes only with `-vfyopt distid:1234567812345678`), and Node
 * has no option to set it: putting the CA in `tls.ca`, as the untrusted message says, changes nothing.
 */
const SM2_CHAIN =
  "the server certificate is of an SM2 chain (signed SM2-with-SM3, as TLCP/GM certificates are), whose signatures Node's OpenSSL cannot check: it verifies them without the distinguishing ID SM2 CAs sign with (GB/T 35276: 1234567812345678), so no `tls.ca` makes it trusted; SM2 (TLCP) chains need a TLCP gateway in front, docs/operations.md#tls";

/** Whether `error` (or an error in its cause chain) is OpenSSL's certificate signature failure. */
function signatureFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
    ;
    e = e.cause as typeof e
  ) {
    if (e === null || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    if (e.code === 'CERT_SIGNATURE_FAILURE') return true;
    if (typeof e.message === 'string' && /certificate signature failure/i.test(e.message)) return true;
  }
}

export interface TlsFailureWhere {
  /** `source market-food`, `target province`, `queue`, … */
  readonly connection: string;
  /** The error code the component reports TLS failures under. */
  readonly code: ErrorCode;
  readonly context?: Record<string, string>;
  /** The connection's `tls.ca`, read only to say why a server went untrusted; never quoted. */
  readonly ca?: string;
}

/** A BEGIN line of a certificate as OpenSSL reads a CA bundle (PEM_read_bio_X509_AUX). */
const CA_BEGIN = /-----BEGIN ((?:X509 |TRUSTED )?CERTIFICATE)-----/g;

/** Whether `ca` holds a certificate's BEGIN line at all: without one it trusts nothing. */
export function holdsCaCertificate(ca: string): boolean {
  return ca.match(CA_BEGIN) !== null;
}

/**
 * Why `ca` trusts fewer certificates than it holds, or undefined when OpenSSL reads it whole.
 * OpenSSL reads a bundle in order and stops, without an error, at the first certificate it cannot
 * read (a block cut short or mangled in copying): that one and every one after it are not trusted.
 * A text with no certificate at all (a path written without `${file:…}`, DER read as text) trusts
 * nothing. Either way the handshake fails as untrusted, and "put the issuing CA in `tls.ca`" was
 * wrong advice for a CA that was there. Names blocks by position, never their text.
 */
export function unreadableCaProblem(ca: string | undefined): string | undefined {
  if (ca === undefined || ca.trim() === '') return undefined;
  const begins = [...ca.matchAll(CA_BEGIN)];
  if (begins.length === 0) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax.
    return '`tls.ca` holds no PEM certificate (no `-----BEGIN CERTIFICATE-----` line), so it trusts nothing: a file is read with `${file:…}`, and a DER file is converted to PEM first (`openssl x509 -inform der`)';
  }
  for (const [i, m] of begins.entries()) {
    const endLine = `-----END ${m[1]}-----`;
    const end = ca.indexOf(endLine, m.index);
    const next = begins[i + 1]?.index ?? ca.length;
    let readable = false;
    if (end >= 0 && end < next) {
      try {
        new X509Certificate(ca.slice(m.index, end + endLine.length));
        readable = true;
      } catch {
        // Named below.
      }
    }
    if (readable) continue;
    const after = begins.length - 1 - i;
    const lost =
      after === 0 ? 'it is' : `it and the ${after} certificate${after === 1 ? '' : 's'} after it are`;
    return `\`tls.ca\` certificate ${i + 1} of ${begins.length} cannot be read as X.509: OpenSSL stops reading the bundle there, so ${lost} not trusted: put a whole copy of that certificate in its place, or remove it`;
  }
  return undefined;
}

/** The LicbridgeError for a TLS failure; `peer` is the server certificate, when one could be read. */
export function tlsFailureError(
  kind: TlsFailureKind,
  where: TlsFailureWhere,
  peer?: CertificateFacts,
  cause?: unknown,
): LicbridgeError {
  // Not valid yet: when it begins tells an early installed certificate from clocks apart.
  const when = kind === 'not-yet-valid' ? `valid from ${peer?.notBefore}` : `expires ${peer?.notAfter}`;
  const cert = peer ? ` (server certificate: subject ${peer.subject}; ${when})` : '';
  const nodeCode = (cause as { code?: unknown } | undefined)?.code;
  const caProblem = kind === 'untrusted' ? unreadableCaProblem(where.ca) : undefined;
  const what = caProblem
    ? `the server certificate is not trusted: ${caProblem}`
    : kind === 'untrusted' && peer?.sm2Signed && signatureFailure(cause)
      ? SM2_CHAIN
      : WHAT[kind];
  return new LicbridgeError(where.code, `${where.connection}: TLS refused: ${what}${cert}`, {
    // A certificate problem does not fix itself by retrying.
    retryable: false,
    context: { ...(where.context ?? {}), ...(typeof nodeCode === 'string' ? { tlsCode: nodeCode } : {}) },
    cause,
  });
}
