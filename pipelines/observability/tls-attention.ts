/**
 * TLS states that need a person, for `licbridge status` and /metrics: a connection whose
 * certificate verification is switched off, and a configured CA or client certificate, or a
 * server's certificate, that has expired, expires within 30 days, or is not valid yet. Besides
 * them, what a CA bundle set up as it should be holds (a renewed root before its start, a successor
 * beside the root it takes over from): true, worth knowing, needing nobody, so `status` prints it
 * for information and exits 0 for it. Their times are on the clock of `lifecycle.timeZone`, with
 * its offset, as the other status lines: in UTC ISO a CA ending at 04:30 on 1 April in Beijing read
 * as ending on 31 March.
 */
import {
  configuredTlsCertificates,
  insecureTlsSettings,
  tlsServerEndpoints,
} from '../../config/tls-findings.js';
import type { Config } from '../../config/types.js';
import { type CertificateFacts, certificateFacts, pemCertificates } from '../../core/tls.js';
import { probeServerCertificate } from '../../core/tls-probe.js';
import { zonedTime } from '../../core/zoned-time.js';
import { type Attention, RENEW_AHEAD_MS } from './attention.js';

export interface TlsAttentionOptions {
  /** Read the servers' certificates too (a TLS handshake each). @defaultValue true */
  probeServers?: boolean;
  /** Per server, ms. @defaultValue 3000 */
  timeoutMs?: number;
}

/** What status says of TLS: lines that need a person, and lines for information only. */
export interface TlsFindings {
  attention: Attention[];
  information: string[];
}

/** The TLS lines that need a person (tlsFindings without those for information). */
export async function tlsAttention(
  config: Readonly<Config>,
  now: Date,
  tz: string,
  options: TlsAttentionOptions = {},
): Promise<Attention[]> {
  return (await tlsFindings(config, now, tz, options)).attention;
}

/** `tz` is the zone the certificates' times are printed in (`lifecycle.timeZone`). */
export async function tlsFindings(
  config: Readonly<Config>,
  now: Date,
  tz: string,
  options: TlsAttentionOptions = {},
): Promise<TlsFindings> {
  const out: Attention[] = insecureTlsSettings(config).map((message) => ({ kind: 'certificate', message }));
  const information: string[] = [];
  for (const c of configuredTlsCertificates(config)) {
    const { notes, info } = configuredCertificateNotes(c, now, tz);
    out.push(...notes);
    information.push(...info);
  }
  if (options.probeServers ?? true) {
    const servers = tlsServerEndpoints(config);
    const facts = await Promise.all(
      servers.map((s) => probeServerCertificate(s.endpoint, options.timeoutMs)),
    );
    servers.forEach((s, i) => {
      const f = facts[i];
      // An unreachable server is reported by the connection's own check; here only its certificate.
      const note = f ? expiryNote(`${s.connection}: the server certificate`, f, now, tz) : undefined;
      if (note && 'information' in note) information.push(note.information);
      else if (note) out.push(note);
    });
  }
  return { attention: out, information };
}

/**
 * The lines of each `tls.ca` bundle none of whose certificates is valid now (each expired or not
 * begun): every connection using it is refused. For `config check`, which warns of them as status
 * lists them (tlsAttention), in the same words.
 */
export function caBundlesOutOfForce(config: Readonly<Config>, now: Date, tz: string): Attention[] {
  return configuredTlsCertificates(config).flatMap((c) => {
    const { notes, refused } = configuredCertificateNotes(c, now, tz);
    return refused ? notes : [];
  });
}

/**
 * The lines of one configured CA bundle or client certificate: `notes` need a person, `info` does
 * not; `refused` when it is a CA bundle holding certificates none of which is in force.
 */
function configuredCertificateNotes(
  c: { connection: string; role: 'CA' | 'client'; pem: string },
  now: Date,
  tz: string,
): { notes: Attention[]; info: string[]; refused: boolean } {
  const certs = pemCertificates(c.pem).map(certificateFacts);
  // An old root kept in a CA bundle beside its successor, or a renewed root added before it
  // starts, breaks only a server that chains to it alone: while another CA of the bundle is in
  // force, "connections using it are refused" was a false alarm (OpenSSL trusts the others, and of
  // two with one subject takes the one in force). With none in force, every connection is
  // refused, and the strong line stays.
  const bundleInForce = c.role === 'CA' && certs.some((f) => inForce(f, now));
  const notes: Attention[] = [];
  const info: string[] = [];
  for (const cert of certs) {
    const what = `${c.connection}: the ${c.role} certificate`;
    const next = c.role === 'CA' ? certs.find((f) => succeeds(f, cert)) : undefined;
    const note = bundleInForce
      ? (bundleMemberNote(what, cert, now, tz) ?? expiryNote(what, cert, now, tz, next))
      : expiryNote(what, cert, now, tz, next);
    if (note && 'information' in note) info.push(note.information);
    else if (note) notes.push(note);
  }
  return { notes, info, refused: c.role === 'CA' && certs.length > 0 && !bundleInForce };
}

/** A line that needs a person, or one for information only. */
type Note = Attention | { information: string };

/** `successor`: a CA of the bundle that takes over from `cert` when it ends (see succeeds). */
function expiryNote(
  what: string,
  cert: CertificateFacts,
  now: Date,
  tz: string,
  successor?: CertificateFacts,
): Note | undefined {
  // A renewed certificate may be issued to start later: a handshake refuses it until then.
  if (Date.parse(cert.notBefore) > now.getTime()) {
    return {
      kind: 'certificate',
      message: `${what} (subject ${cert.subject}) is valid only from ${zonedTime(cert.notBefore, tz)}; connections using it are refused until then: configure the certificate in force now, and this one from then on`,
    };
  }
  const left = Date.parse(cert.notAfter) - now.getTime();
  if (left <= 0) {
    return {
      kind: 'certificate',
      message: `${what} (subject ${cert.subject}) expired on ${zonedTime(cert.notAfter, tz)}; connections using it are refused: install the renewed certificate`,
    };
  }
  if (left <= RENEW_AHEAD_MS) {
    const days = Math.ceil(left / (24 * 3600 * 1000));
    const ends = `${what} (subject ${cert.subject}) expires on ${zonedTime(cert.notAfter, tz)} (in ${days} day(s))`;
    // The renewal is already configured: "renew it now" would send a person to do it again, and
    // with nothing left to do the line is for information (status exits 0 for it).
    if (successor) {
      return {
        information: `${ends}; its successor is already in the CA bundle (same subject, valid from ${zonedTime(successor.notBefore, tz)} to ${zonedTime(successor.notAfter, tz)}) and takes over on ${zonedTime(cert.notAfter, tz)}: nothing to renew; a server whose chain only this one verifies fails from then`,
      };
    }
    return {
      kind: 'certificate',
      message: `${ends}: renew it now`,
    };
  }
  return undefined;
}

/**
 * `next` renews `cert`: a CA of the same subject that ends later and is in force by the time `cert`
 * ends, so OpenSSL, which of two CAs with one subject takes the one in force, verifies with it
 * then. One starting after `cert` ends leaves a gap in which connections are refused: no successor.
 */
function succeeds(next: CertificateFacts, cert: CertificateFacts): boolean {
  return (
    next.subject === cert.subject &&
    Date.parse(next.notAfter) > Date.parse(cert.notAfter) &&
    Date.parse(next.notBefore) <= Date.parse(cert.notAfter)
  );
}

function inForce(cert: CertificateFacts, now: Date): boolean {
  return Date.parse(cert.notBefore) <= now.getTime() && now.getTime() < Date.parse(cert.notAfter);
}

/**
 * A member of a CA bundle another CA of which is in force, expired or not valid yet; else undefined.
 * One not valid yet is a renewed root added ahead of its start, as it should be: for information.
 * An expired one still needs a person: a server still chaining to it fails now.
 */
function bundleMemberNote(what: string, cert: CertificateFacts, now: Date, tz: string): Note | undefined {
  if (Date.parse(cert.notBefore) > now.getTime()) {
    return {
      information: `${what} (subject ${cert.subject}) in the CA bundle is valid only from ${zonedTime(cert.notBefore, tz)}; connections whose server chains only to it fail until then, the bundle's other CAs verify now: keep it there for the servers that move to it`,
    };
  }
  if (Date.parse(cert.notAfter) > now.getTime()) return undefined;
  return {
    kind: 'certificate',
    message: `${what} (subject ${cert.subject}) in the CA bundle expired on ${zonedTime(cert.notAfter, tz)}; connections whose server chains only to it fail, the bundle's other CAs still verify: remove it from the bundle, or install its renewal if a server still needs it`,
  };
}
