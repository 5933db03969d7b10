/**
 * HTTPS to platforms and signing servers with the connection's `tls:` settings: a keep-alive
 * agent that verifies the server (a government CA in `tls.ca`) and presents the client
 * certificate for mutual TLS, and the one way a refused handshake becomes a message.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { normaliseEncoding, xmlDeclaredEncoding } from '../core/encoding-labels.js';
import { type ErrorCode, LicbridgeError } from '../core/errors.js';
import {
  type CertificateFacts,
  certificateFacts,
  nodeTlsOptions,
  pemCertificates,
  type TlsFailureWhere,
  type TlsSettings,
  tlsFailureError,
  tlsFailureKind,
} from '../core/tls.js';
import { explainTlsFailure, probeClientRejection } from '../core/tls-probe.js';
import { platformAnswerLimit } from './platforms/shared/answer-size.js';
import { wholeRequestTimeout } from './whole-request-timeout.js';

export function httpsAgentFor(tls: TlsSettings | undefined): HttpsAgent {
  return new HttpsAgent({ keepAlive: true, ...nodeTlsOptions(tls) });
}

/** A platform's HTTP client and the way to end its connections. */
export interface PlatformHttp {
  readonly http: AxiosInstance;
  close(): void;
}

/**
 * An answer's bytes as text. A byte order mark decides first (WHATWG Encoding "decode", as a
 * browser reads one): a WCF or ASP.NET service set to UTF-16 writes one, at times under a label
 * that says otherwise. Then the label (`Content-Type`'s `charset` first, RFC 7303 §3, else an XML
 * declaration's `encoding`): UTF-16 in any of its names is read so, and read as UTF-8 it was never
 * readable, every delivery retried and dead-lettered. GBK or a relative, in any spelling of its label,
 * is read as GB 18030 unless its bytes are whole UTF-8: older city and province services answer so,
 * and read as UTF-8 every Chinese character of a reason would become U+FFFD. Anything else is read
 * as UTF-8, as before: a Java service saying `charset=ISO-8859-1` over UTF-8 bytes is common, and a
 * Latin-1 answer holds no Chinese to lose. Exported for the signing-server client, whose answers
 * come the same ways.
 */
export function answerText(data: unknown, contentType: unknown): unknown {
  if (!Buffer.isBuffer(data)) return data;
  const marked = byteOrderMark(data);
  if (marked) return new TextDecoder(marked).decode(data);
  const fromHeader = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(
    typeof contentType === 'string' ? contentType : '',
  );
  // A UTF-16 answer's XML declaration is in UTF-16 too, unreadable as the bytes' latin1 here: only
  // the header or a mark can name UTF-16.
  const label = fromHeader?.[1] ?? xmlDeclaredEncoding(data) ?? 'utf-8';
  const sixteen = utf16Order(label, data);
  if (sixteen) return new TextDecoder(sixteen).decode(data);
  // The one label table of core/encoding-labels.ts, by letters and digits: `GB-2312`, `gb_18030`
  // and `MS936` are GB too (compared as written, they were read as UTF-8, every Chinese character
  // of a reason U+FFFD).
  if (normaliseEncoding(label) !== 'gb18030') return new TextDecoder('utf-8').decode(data);
  // A gateway's default label over UTF-8 bytes (`charset=GBK` on an answer its service wrote in
  // UTF-8) read as GB 18030 would garble what read right before: bytes that are whole UTF-8 are
  // read so. Chinese text in GBK is almost never valid UTF-8, and ASCII reads the same either way.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

type Utf16 = 'utf-16le' | 'utf-16be';

/** The encoding a byte order mark at the start names (the decoder drops the mark), or undefined. */
function byteOrderMark(data: Buffer): Utf16 | 'utf-8' | undefined {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return 'utf-8';
  if (data[0] === 0xff && data[1] === 0xfe) return 'utf-16le';
  if (data[0] === 0xfe && data[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * UTF-16's byte order when `label` names UTF-16 in any spelling (`UTF-16`, `utf_16le`, Windows'
 * `unicode`, `ucs-2`), else undefined. `utf-16` without a mark is little-endian as .NET and the
 * WHATWG Encoding Standard write it, unless its first code unit is plainly big-endian: every SOAP or
 * JSON answer starts with an ASCII character, `00 3C` in big-endian (RFC 2781 §4.3 takes big-endian
 * for an unmarked `UTF-16`, and a Java service writes so).
 */
function utf16Order(label: string, data: Buffer): Utf16 | undefined {
  const name = label.toLowerCase().replace(/[^0-9a-z]/g, '');
  if (name === 'utf16le' || name === 'unicodefeff') return 'utf-16le';
  if (name === 'utf16be' || name === 'unicodefffe') return 'utf-16be';
  if (!['utf16', 'ucs2', 'unicode', 'csunicode', 'iso10646ucs2'].includes(name)) return undefined;
  return data.length >= 2 && data[0] === 0 && data[1] !== 0 ? 'utf-16be' : 'utf-16le';
}

/**
 * The HTTP client of a platform target: keep-alive agents (HTTPS with the connection's `tls`), no
 * redirects (a signed request must not be replayed to wherever a redirect points), the body sent
 * as given and the answer kept as text in the charset it names (it is signed as sent and parsed by
 * the caller), and every status returned rather than thrown. An answer is read up to what one
 * item's answer can hold unless the request states its own `maxContentLength`
 * (platforms/shared/answer-size.ts): past it, the request fails and the connection is closed.
 *
 * No proxy from the environment (`HTTPS_PROXY`, `HTTP_PROXY`): the HTTP client takes up a proxy's
 * answer to `CONNECT` as the server's whenever it is not 200, so a proxy refusing the host read as
 * the platform refusing the delivery, and a proxy, or anyone on the plain hop to it, could answer
 * `201` with a receipt of its choosing, no certificate checked. The platform is reached directly,
 * as signing servers, `/readyz` and the certificate probes always were.
 *
 * `timeoutMs` bounds each request whole, its answer's body included (./whole-request-timeout.ts).
 */
export function platformHttp(timeoutMs: number, tls: TlsSettings | undefined): PlatformHttp {
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgent = httpsAgentFor(tls);
  const http = axios.create({
    timeout: timeoutMs,
    adapter: wholeRequestTimeout,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    proxy: false,
    maxContentLength: platformAnswerLimit(1),
    responseType: 'arraybuffer',
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown, headers) => answerText(data, headers?.['content-type'])],
    validateStatus: () => true,
  });
  return {
    http,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/**
 * The LicbridgeError for a TLS failure on a request to `url` (naming `connection` and, for a
 * server-side failure, the server certificate's subject and expiry); undefined for other errors.
 */
export async function httpsTlsError(
  error: unknown,
  connection: string,
  code: ErrorCode,
  url: string,
  tls: TlsSettings | undefined,
  context: Record<string, string> = {},
): Promise<LicbridgeError | undefined> {
  const u = new URL(url);
  const endpoint =
    u.protocol === 'https:'
      ? {
          host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: u.port ? Number(u.port) : 443,
          startTls: 'direct' as const,
          ...(tls?.servername ? { servername: tls.servername } : {}),
        }
      : undefined;
  // The CA is read only to name a bundle OpenSSL read in part (core/tls.ts unreadableCaProblem).
  const where = { connection, code, context, ...(tls?.ca === undefined ? {} : { ca: tls.ca }) };
  // The error made here keeps the failure as its cause, which is stored and logged with it: the
  // HTTP client's own error carries the request (its Authorization header, its body with personal
  // data, the raw header text), so only the codes and messages of the chain are kept.
  const bare = transportOnly(error);
  const told = tlsFailureKind(bare);
  let kind = told;
  if (!kind) {
    // A reset right after a TLS 1.3 handshake may be the server refusing our certificate.
    const reset = ['ECONNRESET', 'EPIPE'].includes(String(bare.code));
    if (!reset || !endpoint) return undefined;
    kind = await probeClientRejection(endpoint, nodeTlsOptions(tls));
    if (!kind) return undefined;
  }
  const ours = kind === 'client-cert-rejected' ? outOfDate(tls?.cert) : undefined;
  if (ours) return clientCertificateOutOfDate(ours, where, bare);
  return told ? explainTlsFailure(bare, where, endpoint) : tlsFailureError(kind, where, undefined, bare);
}

/** The facts of `cert`'s leaf when it has expired or is not valid yet; undefined otherwise. */
function outOfDate(cert: string | undefined): (CertificateFacts & { expired: boolean }) | undefined {
  const leaf = cert ? pemCertificates(cert)[0] : undefined;
  if (!leaf) return undefined;
  const facts = certificateFacts(leaf);
  const now = Date.now();
  if (Date.parse(facts.notAfter) < now) return { ...facts, expired: true };
  if (Date.parse(facts.notBefore) > now) return { ...facts, expired: false };
  return undefined;
}

/**
 * A server refusing a client certificate of ours that has expired, or is not valid yet, is told so
 * with its subject and dates: "issued by a CA it does not trust, or expired" sent a person to
 * look at the CA first, when `tls.cert` alone says what is wrong.
 */
function clientCertificateOutOfDate(
  facts: CertificateFacts & { expired: boolean },
  where: TlsFailureWhere,
  cause: Error & { code?: string },
): LicbridgeError {
  const what = facts.expired
    ? `has expired (subject ${facts.subject}; expired ${facts.notAfter}): install the renewed certificate and its key`
    : `is not valid yet (subject ${facts.subject}; valid from ${facts.notBefore}): configure the certificate in force now, or check this host's clock`;
  return new LicbridgeError(
    where.code,
    `${where.connection}: TLS refused: the client certificate in \`tls.cert\` ${what}`,
    {
      retryable: false,
      context: { ...(where.context ?? {}), ...(cause.code ? { tlsCode: cause.code } : {}) },
      cause,
    },
  );
}

/** How deep a cause chain is copied; Node's TLS verify result sits one or two levels down. */
const CAUSE_DEPTH = 4;

/**
 * A transport failure without the request: an Error per link of the cause chain holding only its
 * message and `code`, never the config, headers, body or socket an HTTP client's error holds.
 */
export function transportOnly(error: unknown, depth = 0): Error & { code?: string } {
  const e = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : {};
  const message = typeof e.message === 'string' ? e.message : 'transport error';
  const cause = depth < CAUSE_DEPTH && e.cause !== undefined ? transportOnly(e.cause, depth + 1) : undefined;
  const bare: Error & { code?: string } = new Error(message, cause ? { cause } : undefined);
  if (typeof e.code === 'string') bare.code = e.code;
  return bare;
}
