/**
 * The audit trail's use cases: walking the SM3 chain to prove nothing was altered, deleted,
 * inserted or reordered, showing one license's entries, and exporting a range as JSON Lines with
 * a detached SM2 signature and the public key beside it, so someone without access to the ledger
 * can check the range themselves (the files are written by audit-export-write.ts).
 */
import { createSigner } from '../adapters/signers/create-signer.js';
import { isDigestSigner } from '../adapters/signers/signer.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { isCalendarTime, wallClockInstant } from '../core/local-date.js';
import type { Logger } from '../core/logger.js';
import type { VerifyAuditOptions } from '../ledger/audit.js';
import type { AuditQuery, LicenseAuditEntry } from '../ledger/audit-types.js';
import type { OpenLedgerOptions } from '../ledger/open-ledger.js';
import { type AnchoredVerification, type AnchorOptions, checkAuditAnchors } from './audit-anchor.js';
import { configuredAnchorKeys, keysFromFiles } from './audit-export-keys.js';
import { type AuditExport, type AuditExportWrite, writeAuditExport } from './audit-export-write.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { withLedger } from './with-ledger.js';

export interface AuditVerifyRequest
  extends AnchorOptions,
    Pick<VerifyAuditOptions, 'onPage' | 'onVersions' | 'onRewalk' | 'onNearest' | 'rangeCap'> {
  against?: readonly string[];
  keyFiles?: readonly string[];
}

/**
 * Walks the whole chain; the result names the first bad entry. With `against`, an intact chain is
 * then checked against those signed exports (audit-anchor.ts): entries cut off its end or rewritten
 * since they were exported fail it. Each export must be signed with a key the config holds (its
 * signers' keys and certificates, its trust entries for signers), or with `keyFiles`' keys when
 * given: a key beside an export is no proof by itself. `onPage`, `onVersions`, `onRewalk`,
 * `onNearest`, `onHashed` and `onCompared` tell how far each phase is (counts only).
 */
export async function verifyAuditChain(
  config: Readonly<Config>,
  logger: Logger,
  options: AuditVerifyRequest = {},
): Promise<AnchoredVerification> {
  const against = options.against ?? [];
  // Read before the ledger opens: a --key file that cannot be read is the command line's mistake.
  const given = options.keyFiles && options.keyFiles.length > 0 ? keysFromFiles(options.keyFiles) : undefined;
  return withLedger(
    config,
    async (ledger) => {
      const verified = await ledger.verifyAudit({
        ...(options.onPage ? { onPage: options.onPage } : {}),
        ...(options.onVersions ? { onVersions: options.onVersions } : {}),
        ...(options.onRewalk ? { onRewalk: options.onRewalk } : {}),
        ...(options.onNearest ? { onNearest: options.onNearest } : {}),
        ...(options.rangeCap === undefined ? {} : { rangeCap: options.rangeCap }),
      });
      if (against.length === 0 || !verified.ok) return verified;
      const keys = given ?? (await configuredAnchorKeys(config, ledger, logger));
      return checkAuditAnchors(ledger, verified, against, { ...options, keys });
    },
    reading(logger),
  );
}

/**
 * Verify, show and export read the ledger and never migrate it: an auditor's newer release beside
 * running workers would change their tables, and a ledger that is not there (a mistyped path)
 * would be made new and its empty chain called intact. Either is refused, naming the migrations
 * not applied (ledger/pending-migrations.ts).
 */
function reading(logger: Logger): OpenLedgerOptions {
  return { logger, migrate: false };
}

export interface AuditTrailRequest {
  /**
   * Told after each page of the walk: the entries walked so far, and the seq the chain's head named
   * when the walk began (entries appended meanwhile are walked too). Counts only, for a progress line.
   */
  onPage?: (walked: number, headSeq: number) => void;
}

/**
 * Every entry about one license (its own and the batch entries naming its versions), in order;
 * fails naming the license when the ledger has none of that id. The whole chain is walked.
 */
export async function licenseAuditTrail(
  config: Readonly<Config>,
  licenseId: string,
  logger: Logger,
  request: AuditTrailRequest = {},
): Promise<LicenseAuditEntry[]> {
  const { onPage } = request;
  const entries = await withLedger(
    config,
    async (ledger) => {
      if (!onPage) return ledger.licenseAudit(licenseId);
      const head = (await ledger.auditHeadSeq()) ?? 0;
      return ledger.licenseAudit(licenseId, { onPage: (walked) => onPage(walked, head) });
    },
    reading(logger),
  );
  if (entries === undefined) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `audit: the ledger holds no license \`${licenseId.slice(0, 120)}\``,
    );
  }
  return entries;
}

/** A date, or a date and time, with no zone or offset written: read on the zone's wall clock. */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** A date, or a date and time, with `Z` or an offset: an instant as written. */
const ZONED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Whether the fields written (year, month, day, hour, minute, second, ms) name a moment of the
 * calendar. Date rolls one that does not over into another (30 February is 2 March, hour 25 01:00
 * the next day): an export of other hours than asked for. 24:00 is the day's end (ISO 8601), the
 * next midnight, as Date reads it.
 */
function onCalendar(fields: readonly number[]): boolean {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0] = fields;
  if (h === 24) return mi === 0 && sec === 0 && ms === 0 && isCalendarTime([y, mo, d, 0, 0, 0]);
  return isCalendarTime([y, mo, d, h, mi, sec]);
}

/** The fields a WALL_CLOCK or ZONED match wrote (missing ones are the start of the day). */
function writtenFields(m: RegExpExecArray): number[] {
  return m
    .slice(1, 8)
    .map((x, i) => (x === undefined ? (i < 3 ? 1 : 0) : i === 6 ? Number(x.padEnd(3, '0')) : Number(x)));
}

/**
 * `from`/`to`: a sequence number, or an ISO date/time. A date or date-time written without a zone
 * is the department's (lifecycle.timeZone, China Standard Time unless configured): `--from
 * 2026-12-01` starts at 00:00 in Beijing, not at 08:00, which UTC midnight is there. Other forms of
 * a date (`2026/12/01`, `December 1, 2026`) are refused: Date reads them on the host's clock.
 */
function bound(value: string | undefined, which: 'from' | 'to', timeZone: string): Partial<AuditQuery> {
  if (value === undefined) return {};
  if (/^\d+$/.test(value)) {
    const seq = Number(value);
    // Past the safe integers a number reads as another (…993 as …992), and past PostgreSQL's
    // bigint the export failed with the database's words where SQLite exported nothing.
    if (!Number.isSafeInteger(seq)) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `audit: expected \`--${which}\` to be a sequence number of at most ${Number.MAX_SAFE_INTEGER} or an ISO date, got \`${value.slice(0, 40)}\``,
      );
    }
    return which === 'from' ? { fromSeq: seq } : { toSeq: seq };
  }
  const wall = WALL_CLOCK.exec(value);
  const zoned = wall ? null : ZONED.exec(value);
  const fields = wall ? writtenFields(wall) : zoned ? writtenFields(zoned) : undefined;
  const t =
    fields === undefined || !onCalendar(fields)
      ? Number.NaN
      : wall
        ? wallClockInstant(fields, timeZone).getTime()
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
  /** Entries read from the ledger, hashed and written at a time: what the export holds in memory. @defaultValue 5000 */
  pageSize?: number;
  /**
   * Told after each page is written: the entries written so far, and how many the range holds up
   * to the chain's head when it is bounded by sequence numbers (undefined for a range of dates,
   * which is not counted ahead). Counts only, for a progress line.
   */
  onPage?: (written: number, total: number | undefined) => void;
}

/**
 * The entries a range by sequence numbers holds up to `head`: its entries follow each other, or
 * the export fails. A range with a date in it is not counted ahead (undefined).
 */
function rangeSize(query: AuditQuery, head: number): number | undefined {
  if (query.from !== undefined || query.to !== undefined) return undefined;
  const last = query.toSeq === undefined ? head : Math.min(query.toSeq, head);
  return Math.max(0, last - Math.max(1, query.fromSeq ?? 1) + 1);
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
  // The signer opens first: a key or signing server that fails does so before a long read.
  const signer = await createSigner(signerName, signerConfig);
  await signer.open();
  try {
    if (!isDigestSigner(signer)) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `audit: export failed: signer \`${signerName}\` (${signer.kind}) cannot sign a digest`,
      );
    }
    const { onPage } = request;
    const write: AuditExportWrite = {
      out: request.out,
      ...(request.pageSize === undefined ? {} : { pageSize: request.pageSize }),
    };
    return await withLedger(
      config,
      async (ledger) => {
        if (!onPage) return writeAuditExport(ledger, signer, query, write);
        const total = rangeSize(query, (await ledger.auditHeadSeq()) ?? 0);
        return writeAuditExport(ledger, signer, query, { ...write, onWritten: (n) => onPage(n, total) });
      },
      reading(logger),
    );
  } finally {
    await signer.close();
  }
}
