/**
 * Reading the city exchange web service's answers (envelope.ts parses the XML): one `result` per
 * key in a `…Response`, or a SOAP fault, and which faults refuse the credentials.
 */

export interface SoapResult {
  key: string;
  status: string;
  platformId: string | null;
  errors: string[];
  duplicate: boolean;
}

export interface SoapFault {
  code: string;
  message: string;
  /** From `detail/retryable` when the service says; otherwise decided by the fault code. */
  retryable: boolean;
}

/** An element's text as the parser gives it (`''` when absent). */
export const text = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

/** An element's children by name (none when it holds text or is absent). */
export function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * An `xs:boolean` (XML Schema Part 2 §3.2.2): `true` or `1`. Schema bindings writing digits answer
 * `<duplicate>1</duplicate>`; read as false, a key the service already held was recorded accepted
 * outright, though the service shows the version it held.
 */
const isTrue = (v: unknown): boolean => /^(true|1)$/i.test(text(v).trim());

/** The texts of an element given once or repeated (none when absent); undefined when one holds elements. */
function texts(v: unknown): string[] | undefined {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.every((x) => typeof x !== 'object' || x === null) ? list.map(text) : undefined;
}

const localName = (qname: unknown): string => text(qname).trim().replace(/^.*:/, '');

/**
 * A fault as SOAP 1.1 writes it (`faultcode`, `faultstring`, `detail`) or as SOAP 1.2 does
 * (`Code/Value` with nested `Subcode/Value`s, `Reason/Text` in one or more languages, `Detail`):
 * a 1.2 code reads as its value and subcodes joined with dots (`Receiver.Busy`).
 */
export function readFault(f: Record<string, unknown>): SoapFault {
  let code = localName(f.faultcode);
  let message = text(f.faultstring);
  let detail = text(obj(f.detail).retryable);
  if (f.faultcode === undefined && f.Code !== undefined) {
    const parts: string[] = [];
    for (let c = obj(f.Code); c.Value !== undefined; c = obj(c.Subcode)) parts.push(localName(c.Value));
    code = parts.join('.');
    const texts = obj(f.Reason).Text;
    message = text(Array.isArray(texts) ? texts[0] : texts);
    detail = text(obj(f.Detail).retryable);
  }
  return {
    code,
    message,
    // SOAP 1.1 §4.4.1 `Server`, SOAP 1.2 Part 1 §5.4.6 `Receiver`: not about the message itself,
    // may pass on retry.
    retryable: detail.trim() === '' ? /^(Server|Receiver)/.test(code) : isTrue(detail),
  };
}

/**
 * WSS 1.0 §12: the fault codes a WS-Security stack refuses the `wsse:Security` header with (as the
 * SOAP 1.1 `faultcode`, or a SOAP 1.2 `Sender` subcode). None passes on a resend of the same
 * credentials, nor does the simulator's `Client.Authentication`.
 */
const WSS_FAULTS = new Set([
  'UnsupportedSecurityToken',
  'UnsupportedAlgorithm',
  'InvalidSecurity',
  'InvalidSecurityToken',
  'FailedAuthentication',
  'FailedCheck',
  'SecurityTokenUnavailable',
  'MessageExpired',
]);

/** Whether a fault code (prefixes dropped, as `SoapFault.code` holds it) refuses the credentials. */
export function isAuthFault(code: string): boolean {
  return code.startsWith('Client.Authentication') || code.split('.').some((part) => WSS_FAULTS.has(part));
}

/**
 * The results of a `…Response` body element, one a key; undefined when a result is unreadable
 * (the answer then says nothing of any key).
 */
export function readResults(response: unknown): SoapResult[] | undefined {
  const list = (obj(response).result as unknown[] | undefined) ?? [];
  const results: SoapResult[] = [];
  for (const r of list) {
    const o = obj(r);
    const errorList = (o.error as unknown[] | undefined) ?? [];
    // An error element with children (`<field>`, `<message>`) keeps their text for the dead letter.
    const errors = errorList.map((e) => (typeof e === 'object' && e !== null ? JSON.stringify(e) : text(e)));
    const [keys, statuses, ids, flags] = [o.key, o.status, o.platformId, o.duplicate].map(texts);
    // A result naming two keys, or a field holding elements, says nothing readable of any key.
    if (!keys || !statuses || !ids || !flags || new Set(keys).size > 1) return undefined;
    // A field given twice was read as its values joined (`A,B` taken for the platform id): each
    // status and platform id is read as a result of the key, together as repeated results are
    // (shared/key-results.ts: two ids or statuses that disagree decide nothing).
    const one = { key: keys[0] ?? '', errors, duplicate: flags.some(isTrue) };
    const named = [...new Set(ids.filter((id) => id !== ''))];
    for (const status of statuses.length > 0 ? statuses : ['']) {
      results.push({ ...one, status, platformId: named[0] ?? null });
    }
    for (const id of named.slice(1)) results.push({ ...one, status: statuses[0] ?? '', platformId: id });
  }
  return results;
}
