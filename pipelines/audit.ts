/**
 * The audit trail's use cases: walking the SM3 chain to prove nothing was altered, deleted,
 * inserted or reordered, and exporting a range as JSON Lines with a detached SM2 signature and the
 * public key beside it, so someone without access to the ledger can check the range themselves.
 */
import { writeFile } from 'node:fs/promises';
import { createSigner } from '../adapters/signers/create-signer.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { parseIsoDate, wallClockInstant } from '../core/local-date.js';
import type { Logger } from '../core/logger.js';
import type { AuditQuery, AuditVerification, LicenseAuditEntry } from '../ledger/audit-types.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { withLedger } from './with-ledger.js';

/** Entries read per page while exporting. */
const EXPORT_PAGE = 5000;

/** Walks the whole chain; the result names the first bad entry. */
export async function verifyAuditChain(config: Readonly<Config>, logger: Logger): Promise<AuditVerification> {
  return withLedger(config, (ledger) => ledger.verifyAudit(), { logger });
}

/**
 * Every entry about one license (its own and the batch entries naming its versions), in order;
 * fails naming the license when the ledger has none of that id.
 */
export async function licenseAuditTrail(
  config: Readonly<Config>,
  licenseId: string,
  logger: Logger,
): Promise<LicenseAuditEntry[]> {
  const entries = await withLedger(config, (ledger) => ledger.licenseAudit(licenseId), { logger });
  if (entries === undefined) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `audit: the ledger holds no license \`${licenseId.slice(0, 120)}\``,
    );
  }
  return entries;
}

/** A date, or a date and time, with no zone or offset written: read on the zone's wall clock. */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * `from`/`to`: a sequence number, or an ISO date/time. A date or date-time written without a zone
 * is the department's (lifecycle.timeZone, China Standard Time unless configured): `--from
 * 2026-12-01` starts at 00:00 in Beijing, not at 08:00, which UTC midnight is there.
 */
function bound(value: string | undefined, which: 'from' | 'to', timeZone: string): Partial<AuditQuery> {
  if (value === undefined) return {};
  if (/^\d+$/.test(value)) return which === 'from' ? { fromSeq: Number(value) } : { toSeq: Number(value) };
  const wall = WALL_CLOCK.exec(value);
  // Written without a zone: a real calendar day (no 2026-02-30) on the department's clock.
  const fields = wall
    ?.slice(1)
    .map((x, i) => (x === undefined ? (i < 3 ? 1 : 0) : i === 6 ? Number(x.padEnd(3, '0')) : Number(x)));
  const t = wall
    ? parseIsoDate(value.slice(0, 10)) && fields
      ? wallClockInstant(fields, timeZone).getTime()
      : Number.NaN
    : Date.parse(value);
  if (Number.isNaN(t)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `audit: expected \`--${which}\` to be a sequence number or an ISO date, got \`${value.slice(0, 40)}\``,
    );
  }
  return which === 'from' ? { from: new Date(t) } : { to: new Date(t) };
}

export interface AuditExportRequest {
  /** First entry: a sequence number or an ISO date. */
  from?: string;
  /** Last entry (a sequence number, inclusive) or end time (an ISO date, exclusive). */
  to?: string;
  /** The entries' file; the signature goes to `<out>.sig`, the public key to `<out>.pub.pem`. */
  out: string;
  /** @defaultValue the first pipeline's signer, else the config's first signer */
  signer?: string;
}

export interface AuditExport {
  entries: number;
  out: string;
  signature: string;
  publicKey: string;
  distId: string;
}

/** Signs the chosen range and writes it, its signature and the signer's public key. */
export async function exportAudit(
  config: Readonly<Config>,
  request: AuditExportRequest,
  logger: Logger,
): Promise<AuditExport> {
  const signerName =
    request.signer ?? Object.values(config.pipelines)[0]?.signer ?? Object.keys(config.signers)[0];
  const signerConfig = signerName === undefined ? undefined : config.signers[signerName];
  if (!signerName || !signerConfig) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `audit: export failed: no signer \`${signerName ?? ''}\` in the config`,
    );
  }
  const zone = lifecycleSettings(config).timeZone;
  const query: AuditQuery = { ...bound(request.from, 'from', zone), ...bound(request.to, 'to', zone) };
  const lines = await withLedger(
    config,
    async (ledger) => {
      const out: string[] = [];
      let after = 0;
      for (;;) {
        const page = await ledger.readAudit({ ...query, afterSeq: after, limit: EXPORT_PAGE });
        if (page.length === 0) return out;
        for (const e of page) out.push(JSON.stringify(e));
        after = page[page.length - 1]?.seq ?? after;
      }
    },
    { logger },
  );
  const bytes = Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
  const signer = await createSigner(signerName, signerConfig);
  await signer.open();
  try {
    const [record] = await signer.sign([bytes]);
    if (!record)
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, 'audit: export failed: the signer returned nothing');
    const files = { out: request.out, signature: `${request.out}.sig`, publicKey: `${request.out}.pub.pem` };
    await writeFile(files.out, bytes);
    await writeFile(files.signature, record.signature);
    await writeFile(files.publicKey, signer.publicKeyPem());
    return { entries: lines.length, ...files, distId: record.distId };
  } finally {
    await signer.close();
  }
}
