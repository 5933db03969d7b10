/**
 * `licbridge audit verify|export|show`: parses the range, runs the use case (pipelines/audit.ts) and
 * prints its outcome. `audit config` is registered from audit-config.ts.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';
import {
  type AuditVerifyRequest,
  exportAudit,
  licenseAuditTrail,
  verifyAuditChain,
} from '../../pipelines/audit.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../errors.js';
import { PROGRESS_INTERVAL_HELP, Progress, progressIntervalSeconds } from '../progress.js';
import { registerAuditConfigCommand } from './audit-config.js';
import { auditJsonLine } from './audit-json.js';

type VerifyProgress = Required<
  Pick<AuditVerifyRequest, 'onPage' | 'onVersions' | 'onRewalk' | 'onNearest' | 'onHashed' | 'onCompared'>
> & { finish: () => void };

/**
 * `audit verify`'s progress on stderr (../progress.ts), a phase at a time: the entries
 * checked against the head, the version ids read (audit-versions.ts) — for a ledger whose recorded
 * ids take more ranges than verify holds, a window at a time, each after its own walk of the
 * chain —, the walk for the entries nearest unrecorded versions (audit-nearest.ts), then each
 * export's bytes hashed for its signature and its entries compared. Counts only; nothing when a
 * phase ends within the first interval.
 */
function verifyProgress(intervalSeconds: number): VerifyProgress {
  const options = { intervalSeconds, onlyPastInterval: true };
  let phase: { key: string; progress: Progress } | undefined;
  const enter = (key: string, label: string, total: number | undefined): Progress => {
    if (phase?.key !== key) {
      phase?.progress.finish();
      phase = { key, progress: new Progress(`audit verify: ${label}`, total, options) };
    }
    return phase.progress;
  };
  return {
    onPage: (checked, headSeq) => enter('entries', 'entries checked', headSeq).set(checked),
    onVersions: (read, window) =>
      enter(`versions ${window}`, `${windowLabel(window)}version ids read`, undefined).set(read),
    onRewalk: (walked, headSeq, window) =>
      enter(`rewalk ${window}`, `${windowLabel(window)}entries walked again`, headSeq).set(walked),
    onNearest: (walked, headSeq) =>
      enter('nearest', 'nearest entries: entries walked again', headSeq).set(walked),
    onHashed: (file, hashed, size) =>
      enter(`hash ${file}`, `export ${terminalLine(file)}: bytes hashed`, size).set(hashed),
    onCompared: (file, compared) =>
      enter(`export ${file}`, `export ${terminalLine(file)}: entries compared`, undefined).set(compared),
    finish: () => {
      phase?.progress.finish();
      phase = undefined;
    },
  };
}

interface ExportFlags {
  from?: string;
  to?: string;
  out: string;
  signer?: string;
  progressInterval?: string;
}

/**
 * The progress of `audit show`'s walk and `audit export`'s pages on stderr (../progress.ts): a count
 * told after each page, against a total when one is known. Nothing for work that ends within the
 * first interval, as `audit verify`.
 */
function walkProgress(
  label: string,
  intervalSeconds: number,
): { at: (done: number, total: number | undefined) => void; finish: () => void } {
  const progress = new Progress(label, undefined, { intervalSeconds, onlyPastInterval: true });
  return {
    at: (done, total) => {
      if (total !== undefined) progress.setTotal(total);
      progress.set(done);
    },
    finish: () => progress.finish(),
  };
}

/**
 * What an intact chain checked against no export is known to hold (ledger/audit.ts): the newest
 * of each act whose row commits with its entry (audit-acts.ts, audit-latest-acts.ts) and the state
 * of every delivery that only an entry writes (audit-deliveries.ts). A cut that leaves none of
 * these unrecorded, or a chain rewritten with fresh hashes, only a signed export shows.
 */
const UNPINNED =
  "it records the ledger's newest version, signature, license file, seal key, objection, dead-letter action and reminder, the rows read of recent runs, and every delivery accepted, submitted or dead in its state; entries cut off the end that leave none of these unrecorded (failed delivery attempts, older signatures, configuration) or rewritten with fresh hashes are found only with --against";

/**
 * What a `deliver-attempt` entry says on `audit show`'s line: the attempt and its reason code
 * (ledger/audit-attempts.ts); nothing for another entry, or a detail in no form licbridge writes.
 */
function attemptNote(e: { action: string; detail: string }): string {
  if (e.action !== 'deliver-attempt') return '';
  let detail: { attempt?: unknown; reason?: unknown; step?: unknown };
  try {
    detail = JSON.parse(e.detail) as typeof detail;
  } catch {
    return '';
  }
  const { attempt, reason, step } = detail;
  if (typeof attempt !== 'number' || typeof reason !== 'string') return '';
  const what = step === 'status' ? 'status request' : 'send';
  return `  (${what} failed, attempt ${attempt}: ${terminalLine(reason)})`;
}

/** A window of version ids past the first names itself: `window 2: `. */
function windowLabel(window: number): string {
  return window === 1 ? '' : `window ${window}: `;
}

/**
 * A test hook, as core/crash-point.ts: the most ranges of recorded version ids verify holds
 * (ledger/audit-id-ranges.ts, 50,000 unless set), so a test reaches a second window of ids
 * without a ledger of 50,000 gaps. Not for operators: the default bounds memory to a few MB.
 */
function testRangeCap(): { rangeCap?: number } {
  const value = process.env.LICBRIDGE_TEST_AUDIT_RANGE_CAP;
  return value ? { rangeCap: Number(value) } : {};
}

export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('the audit trail: verify the SM3 chain, export a signed range, show one license’s entries');

  audit
    .command('show')
    .description(
      'every entry about one license: its own, and the batch entries that name one of its versions (walks the whole chain)',
    )
    .requiredOption('--license <licenseId>', 'the license id (the identifier without its version)')
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('--json', 'print JSON Lines, one entry per line')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { license: string; json?: boolean; progressInterval?: string }, cmd: Command) => {
      const interval = progressIntervalSeconds('audit show', opts.progressInterval);
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      // The walk of the whole chain, on stderr as entries walked against the head (counts only);
      // none under --json, as audit verify.
      const progress = opts.json ? undefined : walkProgress('audit show: entries walked', interval);
      let entries: Awaited<ReturnType<typeof licenseAuditTrail>>;
      try {
        entries = await licenseAuditTrail(
          config,
          opts.license,
          logger,
          progress ? { onPage: progress.at } : {},
        );
      } finally {
        progress?.finish();
      }
      // An actor is what the operator who acted set (LICBRIDGE_ACTOR): nothing in it that a
      // terminal obeys (a sequence erasing the line before), nor a line break starting a forged
      // entry, reaches the person reading the trail.
      for (const e of entries) {
        if (opts.json) {
          process.stdout.write(`${auditJsonLine(e)}\n`);
          continue;
        }
        const versions = e.versions.length === 0 ? '' : ` version ${e.versions.join(', ')}`;
        const batch = e.acts > 1 ? ` (one entry for ${e.acts} acts)` : '';
        // A damaged entry says so on its line: a version no integer is shown as none, not as the
        // number a lenient read made of it, and the reader is sent to verify.
        const damaged =
          e.malformed === undefined
            ? ''
            : `  (damaged: its ${e.malformed.join(', ')} ${e.malformed.length === 1 ? 'holds a value' : 'hold values'} no licbridge writer writes; run \`licbridge audit verify\`)`;
        process.stdout.write(
          `${e.seq}  ${terminalLine(e.at)}  ${terminalLine(e.action)}  ${terminalLine(e.actor)}${versions}${batch}${attemptNote(e)}${damaged}\n`,
        );
      }
      if (!opts.json)
        process.stdout.write(`audit: ${entries.length} entries about ${terminalLine(opts.license)}\n`);
    });

  audit
    .command('verify')
    .description(
      'walk the whole chain; exit 1 and name the first bad entry if anything was altered, deleted, inserted or reordered',
    )
    .option(
      '--against <export...>',
      'signed exports kept elsewhere: each of their entries must still be in the chain, unchanged (finds entries cut off the end or rewritten)',
    )
    .option('--dist-id <id>', 'the distinguishing id the exports were signed with', '1234567812345678')
    .option(
      '--key <file...>',
      "the certificates or public keys (PEM) the exports must be signed with, instead of the config's signers and trust entries",
    )
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: {
          json?: boolean;
          against?: string[];
          distId: string;
          key?: string[];
          progressInterval?: string;
        },
        cmd: Command,
      ) => {
        const interval = progressIntervalSeconds('audit verify', opts.progressInterval);
        if (opts.key && !opts.against) {
          // The keys would check nothing: the operator meant to name exports too.
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            'audit: --key names the keys exports must be signed with; give the exports with --against',
          );
        }
        const config = await loadCommandConfig(cmd);
        const logger = commandLogger(config);
        // The entries checked so far, on stderr while the chain is walked (counts only); none
        // under --json, as `run` and `demo` (docs/audit.md).
        const progress = opts.json ? undefined : verifyProgress(interval);
        let result: Awaited<ReturnType<typeof verifyAuditChain>>;
        try {
          result = await verifyAuditChain(config, logger, {
            ...(opts.against ? { against: opts.against } : {}),
            ...(opts.key ? { keyFiles: opts.key } : {}),
            distId: opts.distId,
            ...testRangeCap(),
            ...(progress
              ? {
                  onPage: progress.onPage,
                  onVersions: progress.onVersions,
                  onRewalk: progress.onRewalk,
                  onNearest: progress.onNearest,
                  onHashed: progress.onHashed,
                  onCompared: progress.onCompared,
                }
              : {}),
          });
        } finally {
          progress?.finish();
        }
        // An export of no entries pins nothing: with nothing else pinned, the check asked for was not made.
        const empty = (result.exports ?? []).filter((x) => x.entries === 0).map((x) => x.file);
        const pinned = (result.exports ?? []).length - empty.length;
        const emptyNote =
          empty.length === 0
            ? ''
            : `; ${empty.length} export(s) hold no entry and pin nothing: ${empty.map(terminalLine).join(', ')}`;
        // What is found wrong quotes the ledger as it now is (a delivery's target rewritten in the
        // database): written as `audit show --json` writes entries (./audit-json.ts), and on the
        // text line without what a terminal would obey or a line break.
        if (opts.json) process.stdout.write(`${auditJsonLine(result)}\n`);
        else if (result.ok)
          process.stdout.write(
            `audit: chain intact: ${result.entries} entries, head ${result.headHash}${opts.against ? `; it holds every entry of ${pinned} signed export(s) as exported${emptyNote}` : `; checked against no export: ${UNPINNED}`}\n`,
          );
        else if (result.firstBad.kind === 'unrecorded')
          // The chain is intact: what is wrong is a version it does not record, not an entry.
          process.stdout.write(
            `audit: the chain's ${result.entries} entries follow each other, but ${terminalLine(result.firstBad.message)}\n`,
          );
        else
          process.stdout.write(
            `audit: chain broken at entry ${result.firstBad.seq}: ${terminalLine(result.firstBad.message)}\n`,
          );
        if (!result.ok) process.exitCode = EXIT_FAILED;
        else if (opts.against && pinned === 0) process.exitCode = EXIT_ATTENTION;
      },
    );

  audit
    .command('export')
    .description(
      'write a range of entries as JSON Lines with a detached SM2 signature and the public key beside it',
    )
    .option(
      '--from <seqOrDate>',
      "first entry: a sequence number or an ISO date (without a zone: the department's, lifecycle.timeZone)",
    )
    .option(
      '--to <seqOrDate>',
      'last entry (a sequence number, inclusive) or end time (an ISO date, exclusive)',
    )
    .option('--out <file>', 'output file', 'audit-export.jsonl')
    .option('--signer <name>', "signer to seal the export with (default: the first pipeline's signer)")
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('-c, --config <file>', 'config file')
    .action(async (opts: ExportFlags, cmd: Command) => {
      const interval = progressIntervalSeconds('audit export', opts.progressInterval);
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      // The entries written, on stderr, against the range up to the head when it is one of sequence
      // numbers (a range of dates is not counted ahead).
      const progress = walkProgress('audit export: entries written', interval);
      let r: Awaited<ReturnType<typeof exportAudit>>;
      try {
        r = await exportAudit(
          config,
          {
            ...(opts.from !== undefined ? { from: opts.from } : {}),
            ...(opts.to !== undefined ? { to: opts.to } : {}),
            out: opts.out,
            ...(opts.signer !== undefined ? { signer: opts.signer } : {}),
            onPage: progress.at,
          },
          logger,
        );
      } finally {
        progress.finish();
      }
      // The seqs, so the next export of a regular rhythm starts where this one ended (docs/audit.md, Retention).
      const seqs = r.seqs
        ? ` (seq ${r.seqs.first} to ${r.seqs.last}; the next export: --from ${r.seqs.last + 1})`
        : '';
      process.stdout.write(
        `audit: exported ${r.entries} entries${seqs} to ${terminalLine(r.out)}; signature ${terminalLine(r.signature)} (SM2, SM3, distid ${r.distId}), public key ${terminalLine(r.publicKey)}\n`,
      );
    });

  registerAuditConfigCommand(audit);
}
