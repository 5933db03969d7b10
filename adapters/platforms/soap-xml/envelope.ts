/**
 * The city exchange web service's SOAP 1.1 wire format, built and parsed with fast-xml-parser.
 * Request: `SubmitLicenses` with one `record` per license (the GB/T 36903 pinyin field names the
 * province uses too; the face fields `zmxx` travel as JSON text, as these services store them);
 * `QueryStatus` for keys. Answers (one `result` per key, or a SOAP fault) are read in answer.ts.
 *
 * WS-Security UsernameToken (OASIS UsernameToken Profile 1.0): `PasswordDigest =
 * Base64(SHA-1(nonce + created + password))`; the service refuses stale `Created` times and
 * nonces it has seen.
 */
import { createHash, randomBytes } from 'node:crypto';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { NOT_XML_CHAR } from '../../../core/xml-chars.js';
import { wellFormedXmlReferences } from '../../../core/xml-references.js';
import { obj, readFault, readResults, type SoapFault, type SoapResult, text } from './answer.js';

export type { SoapFault, SoapResult } from './answer.js';
// Answers are read in answer.ts; these stay importable from here, where requests are built.
export { isAuthFault } from './answer.js';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

export interface SoapRecord {
  key: string;
  operation: string;
  license: Record<string, unknown>;
  /** `distId` only when not the default id (target.ts `DeliveredSignature`). */
  signature: { algorithm: string; value: string; digest: string; sealId: string; distId?: string };
}

export interface UsernameToken {
  username: string;
  password: string;
  /** ISO time. */
  created: string;
  /** 16 random bytes, base64. */
  nonce: string;
}

export function passwordDigest(nonceB64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created + password, 'utf8')]))
    .digest('base64');
}

export function newUsernameToken(username: string, password: string, now: number): UsernameToken {
  return {
    username,
    password,
    created: new Date(now).toISOString(),
    nonce: randomBytes(16).toString('base64'),
  };
}

/**
 * Text as XML character data: the five markup characters as entities, and CR as the reference
 * `&#13;` — XML 1.0 §2.11 has a parser turn a literal CR LF or CR into LF, so a value holding one
 * would reach the service changed. (The builder's own escaping knows no CR, hence it is off.)
 */
function xmlText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: false,
  tagValueProcessor: (_name, value) => xmlText(value),
  // Quotes in attribute values are the builder's own (escapeAttribute), after this.
  attributeValueProcessor: (_name, value) =>
    typeof value === 'string'
      ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
      : value,
});
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  // Numeric character references (`&#35777;`) are XML, and ASCII-only services write every Chinese
  // character as one: left undecoded, a reason is unreadable and its holder escapes masking. HTML's
  // names (`&nbsp;`), a forbidden character (`&#0;`) and a DOCTYPE's entities make the parse throw
  // (core/xml-references.ts): read as characters, dropped or expanded, they changed a platform id,
  // a key or a status a conforming reader would have refused the answer over.
  entityDecoder: wellFormedXmlReferences,
  isArray: (name) => ['record', 'result', 'error', 'key'].includes(name),
});

function envelope(body: Record<string, unknown>, token: UsernameToken | undefined): string {
  const header = token
    ? {
        'wsse:Security': {
          '@_xmlns:wsse': WSSE_NS,
          '@_xmlns:wsu': WSU_NS,
          'wsse:UsernameToken': {
            'wsse:Username': token.username,
            'wsse:Password': {
              '@_Type':
                'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest',
              '#text': passwordDigest(token.nonce, token.created, token.password),
            },
            'wsse:Nonce': token.nonce,
            'wsu:Created': token.created,
          },
        },
      }
    : {};
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
    'soap:Envelope': { '@_xmlns:soap': SOAP_NS, 'soap:Header': header, 'soap:Body': body },
  })}`;
}

/** Text values only: every platform field is sent as a string, `zmxx` as JSON text. */
function recordXml(r: SoapRecord): Record<string, unknown> {
  const license: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.license)) license[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return {
    'lic:key': r.key,
    'lic:operation': r.operation,
    'lic:license': license,
    'lic:signature': { ...r.signature },
  };
}

/**
 * Whether a text holds a character XML 1.0 cannot carry (core/xml-chars.ts; a service's XML parser
 * refuses the whole document over one): its code point (`U+0001`), or undefined.
 */
export function notXmlChar(value: string): string | undefined {
  const found = NOT_XML_CHAR.exec(value)?.[0];
  return found === undefined
    ? undefined
    : `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first field of a record, as sent, holding a character XML 1.0 cannot carry, and that
 * character's code point. A value sent as JSON text (`zmxx`) is looked at as that text: JSON
 * escapes the controls and half surrogates, but not U+FFFE and U+FFFF.
 */
export function unfitField(r: SoapRecord): { field: string; char: string } | undefined {
  const texts: [string, unknown][] = [
    ['key', r.key],
    ['operation', r.operation],
    ...Object.entries(recordXml(r)['lic:license'] as Record<string, string>),
    ...Object.entries(r.signature).map(([k, v]): [string, unknown] => [`signature.${k}`, v]),
  ];
  for (const [field, value] of texts) {
    const char = typeof value === 'string' ? notXmlChar(value) : undefined;
    if (char) return { field, char };
  }
  return undefined;
}

/**
 * The SOAPAction of an operation (SOAP 1.1 §6.1.1): the namespace, a `/`, the operation, quoted.
 * A namespace already ending in `/` (.NET's `http://tempuri.org/`) is not given a second one:
 * services dispatching on the header know `http://tempuri.org/SubmitLicenses` only.
 */
export function soapAction(ns: string, operation: string): string {
  return `"${ns.endsWith('/') ? ns : `${ns}/`}${operation}"`;
}

export function submitEnvelope(records: readonly SoapRecord[], ns: string, token?: UsernameToken): string {
  return envelope(
    { 'lic:SubmitLicenses': { '@_xmlns:lic': ns, 'lic:batch': { 'lic:record': records.map(recordXml) } } },
    token,
  );
}

/**
 * The bytes a record adds to a `SubmitLicenses` envelope: its `record` element, built as the
 * envelope builds it (elements joined without whitespace), so a request's body is
 * {@link submitFrameBytes} plus its records' (shared/batches.ts cuts batches at `maxBatchBytes`).
 */
export function recordBytes(record: SoapRecord): number {
  return Buffer.byteLength(builder.build({ 'lic:record': recordXml(record) }), 'utf8');
}

/** A record to measure an envelope's frame with (an empty batch is written `<lic:batch/>`, shorter). */
const PROBE: SoapRecord = {
  key: 'k',
  operation: '01',
  license: {},
  signature: { algorithm: 'a', value: 'v', digest: 'd', sealId: 's' },
};

/** The bytes of a `SubmitLicenses` envelope besides its records' (`token`: as sent, or one alike). */
export function submitFrameBytes(ns: string, token?: UsernameToken): number {
  return Buffer.byteLength(submitEnvelope([PROBE], ns, token), 'utf8') - recordBytes(PROBE);
}

export function statusEnvelope(keys: readonly string[], ns: string, token?: UsernameToken): string {
  return envelope({ 'lic:QueryStatus': { '@_xmlns:lic': ns, 'lic:keys': { 'lic:key': [...keys] } } }, token);
}

export function resultsEnvelope(results: readonly SoapResult[], ns: string, operation: string): string {
  return envelope(
    {
      [`lic:${operation}Response`]: {
        '@_xmlns:lic': ns,
        'lic:result': results.map((r) => ({
          'lic:key': r.key,
          'lic:status': r.status,
          ...(r.platformId ? { 'lic:platformId': r.platformId } : {}),
          ...(r.errors.length > 0 ? { 'lic:error': r.errors } : {}),
          ...(r.duplicate ? { 'lic:duplicate': 'true' } : {}),
        })),
      },
    },
    undefined,
  );
}

/**
 * SOAP 1.1 fault codes: `Client` (the request is wrong: permanent) or `Server` (may pass later),
 * optionally refined with dotted subcodes (`Client.Authentication`, `Server.Busy`; SOAP 1.1 §4.4.1).
 */
export function faultEnvelope(
  code: `${'Client' | 'Server'}${string}`,
  message: string,
  retryable?: boolean,
): string {
  return envelope(
    {
      'soap:Fault': {
        faultcode: `soap:${code}`,
        faultstring: message,
        ...(retryable === undefined ? {} : { detail: { retryable: String(retryable) } }),
      },
    },
    undefined,
  );
}

export type ParsedEnvelope =
  | { kind: 'fault'; fault: SoapFault }
  | { kind: 'results'; results: SoapResult[] }
  | { kind: 'submit'; records: SoapRecord[]; token?: ParsedToken }
  | { kind: 'status'; keys: string[]; token?: ParsedToken }
  | { kind: 'unknown' };

export interface ParsedToken {
  username: string;
  digest: string;
  nonce: string;
  created: string;
}

/**
 * A document type declaration, which XML 1.0 §2.8 allows only in the prolog: after the XML
 * declaration, comments, processing instructions and white space (a well-formed document's).
 */
function hasDoctype(xml: string): boolean {
  let at = 0;
  for (;;) {
    while (/\s/.test(xml.charAt(at))) at++;
    const end = xml.startsWith('<?', at)
      ? xml.indexOf('?>', at + 2) + 2
      : xml.startsWith('<!--', at)
        ? xml.indexOf('-->', at + 4) + 3
        : -1;
    if (end < at) return xml.startsWith('<!DOCTYPE', at);
    at = end;
  }
}

/** Parses any envelope this service exchanges; never throws (unreadable XML is `unknown`). */
export function parseEnvelope(xml: string): ParsedEnvelope {
  // A byte order mark (or blank lines) before the declaration is a service's encoder's, not a fault.
  const given = xml.replace(/^\uFEFF?\s*/, '');
  // The parser reads an envelope cut short (a proxy's body limit, a connection ended mid-answer) as
  // far as it goes: a result ended before its `<duplicate>` read as a plain acceptance, one cut in
  // its `<platformId>` as an acceptance without the id. Only a whole document is an answer.
  if (XMLValidator.validate(given) !== true) return { kind: 'unknown' };
  // SOAP 1.1 §3, SOAP 1.2 Part 1 §5: a message holds no DOCTYPE, and the stacks services run on
  // refuse one (.NET's DtdProcessing.Prohibit, JAX-WS): it is where entity expansion and external
  // entities come in. Read past, it was an answer no SOAP service writes taken for results.
  if (hasDoctype(given)) return { kind: 'unknown' };
  let doc: Record<string, unknown>;
  try {
    doc = obj(parser.parse(given));
  } catch {
    return { kind: 'unknown' };
  }
  const env = obj(doc.Envelope);
  const body = obj(env.Body);
  if (body.Fault !== undefined) return { kind: 'fault', fault: readFault(obj(body.Fault)) };
  const response = Object.entries(body).find(([k]) => k.endsWith('Response'));
  if (response) {
    const results = readResults(response[1]);
    return results ? { kind: 'results', results } : { kind: 'unknown' };
  }
  const security = obj(obj(env.Header).Security);
  const ut = obj(security.UsernameToken);
  const token: ParsedToken | undefined =
    security.UsernameToken === undefined
      ? undefined
      : {
          username: text(ut.Username),
          digest: text(ut.Password),
          nonce: text(ut.Nonce),
          created: text(ut.Created),
        };
  if (body.SubmitLicenses !== undefined) {
    const records = (obj(obj(body.SubmitLicenses).batch).record as unknown[] | undefined) ?? [];
    return {
      kind: 'submit',
      ...(token ? { token } : {}),
      records: records.map((r) => {
        const o = obj(r);
        const license: Record<string, unknown> = { ...obj(o.license) };
        if (typeof license.zmxx === 'string') {
          try {
            license.zmxx = JSON.parse(license.zmxx);
          } catch {
            // Left as text: the service rejects it as not an object.
          }
        }
        const sig = obj(o.signature);
        return {
          key: text((o.key as unknown[] | undefined)?.[0]),
          operation: text(o.operation),
          license,
          signature: {
            algorithm: text(sig.algorithm),
            value: text(sig.value),
            digest: text(sig.digest),
            sealId: text(sig.sealId),
            ...(sig.distId === undefined ? {} : { distId: text(sig.distId) }),
          },
        };
      }),
    };
  }
  if (body.QueryStatus !== undefined) {
    const keys = (obj(obj(body.QueryStatus).keys).key as unknown[] | undefined) ?? [];
    return { kind: 'status', keys: keys.map(text), ...(token ? { token } : {}) };
  }
  return { kind: 'unknown' };
}
