/**
 * The client certificate of an HTTPS target or signing server (`tls.cert`, `tls.key`,
 * `tls.passphrase`, and the same under `auth.tls`), checked as the config loads rather than at the
 * first handshake. A `cert` without its `key` (or a `key` without its `cert`) presents no client
 * certificate at all, and the platform's refusal then read "set `tls.cert` and `tls.key`" of a
 * config that set one; a key that does not match the certificate, or a wrong or missing passphrase,
 * failed every request of the run. Messages name the component and the setting, never a value.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { PlainHttpTlsProblem } from './plain-http-tls.js';

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
/** An encrypted key, PKCS#8 or the traditional form with its `Proc-Type` header. */
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

/** Why Node refused `cert` + `key` (+ `passphrase`), as the setting to fix; undefined when it took them. */
function unusableKey(tls: Record<string, unknown>): { field: string; why: string } | undefined {
  const { cert, key, passphrase } = tls;
  if (typeof cert !== 'string' || typeof key !== 'string') return undefined;
  // A path written without `${file:…}` (or a DER file read as text) is no PEM: Node refuses it at
  // the first handshake, as the key decoder's "unsupported", which reads like a wrong passphrase.
  for (const [field, text] of [
    ['cert', cert],
    ['key', key],
  ] as const) {
    if (!PEM.test(text)) {
      return {
        field,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax.
        why: 'is not PEM text (no `-----BEGIN …-----` line): a file is read with `${file:…}`, and a DER file is converted to PEM first (`openssl x509 -inform der` or `openssl pkey -inform der`)',
      };
    }
  }
  try {
    createSecureContext({ cert, key, ...(typeof passphrase === 'string' ? { passphrase } : {}) });
    // OpenSSL checks a key against the certificate only in the same slot: an RSA certificate with an
    // EC key (or the reverse) makes a context that has no key for its certificate.
    const opened = createPrivateKey({ key, ...(typeof passphrase === 'string' ? { passphrase } : {}) });
    if (!new X509Certificate(cert).checkPrivateKey(opened)) {
      return { field: 'key', why: 'is not the key of the certificate in `cert`' };
    }
    return undefined;
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '');
    const message = String((e as { message?: unknown }).message ?? '');
    if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(message)) {
      return { field: 'key', why: 'is not the key of the certificate in `cert`' };
    }
    // An SM2 certificate (GB/T 38636 TLCP's): Node's OpenSSL speaks TLS 1.2/1.3 only.
    if (code === 'ERR_SSL_UNKNOWN_CERTIFICATE_TYPE' || /unknown certificate type/i.test(message)) {
      return {
        field: 'cert',
        why: 'holds a certificate TLS 1.2/1.3 cannot present (an SM2 certificate is for TLCP, which licbridge does not speak: put a TLCP gateway in front, docs/operations.md#tls)',
      };
    }
    // Refused without a passphrase, a key whose PEM says it is encrypted is named so: OpenSSL's
    // refusal is not always "bad decrypt" (in one full test run it was neither that nor
    // "interrupted"), which then read as a key that is no key at all. Only a refusal is explained
    // so: a key OpenSSL took is never refused for what its text says.
    if (typeof passphrase !== 'string' && ENCRYPTED_PEM.test(key)) {
      return { field: 'key', why: 'is encrypted and no `passphrase` is set' };
    }
    if (/bad decrypt|interrupted or cancelled/i.test(message)) {
      return typeof passphrase === 'string'
        ? { field: 'passphrase', why: 'does not open the encrypted `key`' }
        : { field: 'key', why: 'is encrypted and no `passphrase` is set' };
    }
    // About one wrong passphrase in 128 passes the padding check and reaches the key decoder,
    // which calls the key unsupported (OpenSSL 3).
    if (typeof passphrase === 'string' && /DECODER routines::unsupported/i.test(message)) {
      return { field: 'passphrase', why: 'does not open the encrypted `key`' };
    }
    return { field: 'key', why: 'could not be read as a PEM private key of `cert`' };
  }
}

/** The problems of one `tls:` mapping at `base` (`['tls']`, `['auth', 'tls']`). */
function problemsOf(label: string, base: readonly string[], tls: unknown): PlainHttpTlsProblem[] {
  if (typeof tls !== 'object' || tls === null) return [];
  const t = tls as Record<string, unknown>;
  const key = base.join('.');
  const hasCert = typeof t.cert === 'string' && t.cert.trim() !== '';
  const hasKey = typeof t.key === 'string' && t.key.trim() !== '';
  if (hasCert !== hasKey) {
    const [set, missing] = hasCert ? ['cert', 'key'] : ['key', 'cert'];
    return [
      {
        path: [...base, set],
        message: `${label}: expected \`${key}.${missing}\` with \`${key}.${set}\`, got \`${key}.${set}\` alone: a client certificate is presented only with both, so none would be and a server requiring one refuses every request; set \`${key}.${missing}\`, or remove \`${key}.${set}\``,
      },
    ];
  }
  const unusable = unusableKey(t);
  if (!unusable) return [];
  return [
    {
      path: [...base, unusable.field],
      message: `${label}: \`${key}.${unusable.field}\` ${unusable.why}: the client certificate cannot be presented, and every request would fail before it is sent`,
    },
  ];
}

/** The client-certificate problems of a target's or signer's `tls` and `auth.tls`. */
export function clientCertificateProblems(
  name: string,
  config: { readonly tls?: unknown; readonly auth?: unknown },
  component: 'target' | 'signer',
): PlainHttpTlsProblem[] {
  const label = `${component} ${name}`;
  const auth = typeof config.auth === 'object' && config.auth !== null ? config.auth : {};
  return [
    ...problemsOf(label, ['tls'], config.tls),
    ...problemsOf(label, ['auth', 'tls'], (auth as { tls?: unknown }).tls),
  ];
}
