/**
 * `licbridge quarantine resolve <key> --pipeline P --reason CODE`: a person takes a key off the
 * worklist whose record no read closes (ledger/quarantine-resolve.ts `RESOLVABLE_CODES`):
 *
 * - `LB_VERSION_LIMIT`: a key at version 999, once they have done what its reason asks (the change
 *   issued under a new number, the license ended at the platforms by hand); the row stays changed,
 *   or deleted.
 * - `LB_SOURCE_KEY_MISSING`: a row's stand-in key, once they have seen in the business system that
 *   the row was given its key (the light check counts the stand-ins no row gives any more,
 *   `counts.source.standInsNotSeen`, and closes none). The command does not ask the source whether
 *   a row still gives the stand-in: that takes the source's whole key set (the light check's read),
 *   and a stand-in that is gone does not prove the key was filled in (the row may have changed while
 *   still keyless). It stays a person's decision; a run that reads the row still keyless opens a new
 *   record (`licbridge run P --full` reads every row).
 *
 * Every other reason leaves the list by itself once its fault is fixed, and is refused here.
 */
import type { Command } from 'commander';
import { didYouMean } from '../../config/suggest.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import type { QuarantineRecord } from '../../ledger/quarantine-queries.js';
import { isResolvableCode, RESOLVABLE_CODES, type ResolvableCode } from '../../ledger/quarantine-resolve.js';
import { CODE_VERSION_LIMIT } from '../../ledger/version-limit.js';
import { isFileStandIn } from '../../pipelines/reconcile/stand-ins-gone.js';
import { withLedger } from '../../pipelines/with-ledger.js';
import { loadCommandConfig } from '../context.js';

const CODES = RESOLVABLE_CODES.join(' or ');

/** What follows a close, for the person who made it: one per resolvable code, the type sees to it. */
const AFTER: Record<ResolvableCode, string> = {
  [CODE_VERSION_LIMIT]:
    'A run reading the row changed again quarantines it anew; the lifecycle tick leaves it closed',
  [CODE_KEY_MISSING]:
    'A run reading the row still without a key quarantines it anew (`licbridge run --full` reads every row)',
};

/**
 * After closing an export record's stand-in (`<file>#<n>`): its file gives the stand-in as long as
 * it is in the folder, and the check reports a key the source gives, the ledger does not hold and
 * no open record explains as `missed`. Moving the old file out is no way round: its other records
 * leave the source with it (deleted at source, revoked under `deletedAtSource: revoke`;
 * docs/xml-exports.md, "Old exports stay in the folder").
 */
const AFTER_FILE_STAND_IN =
  'An export record (`<file>#<n>`) is given by its file while that file is in the folder: closed before a full export holding every record has replaced the old files (docs/xml-exports.md, "Old exports stay in the folder"), the check reports it `missed` at each check until then. Do not move the old file out for it: its other records would leave the source with it (deleted at source; revoked under `deletedAtSource: revoke`). Leave such an entry open until that full export is in, then close it';

function reasonOption(v: string): ResolvableCode {
  const code = v.trim().toUpperCase();
  if (isResolvableCode(code)) return code;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `quarantine resolve: expected \`--reason\` to be ${CODES}, got \`${terminalLine(v)}\`: every other reason leaves the worklist when a run reads its row fixed, or its stored text is restored and signed or sent`,
  );
}

/**
 * Why nothing was closed, from the key's records in the pipeline: a pipeline name typed wrong
 * (`fod`) read as though the key had been looked for there, and a key never quarantined, or open
 * for another reason only, read as one whose records were closed. The key is shown masked by
 * shape (a business system keyed by its holders' documents), as the CLI's lines show it.
 */
function nothingClosed(
  config: Readonly<Config>,
  pipeline: string,
  code: string,
  key: string,
  records: QuarantineRecord[],
) {
  const shown = `source key \`${terminalLine(maskNumberShapes(key))}\``;
  const where = `pipeline ${terminalLine(pipeline)}`;
  const context = { context: { pipeline, recordKey: key } };
  const configured = Object.keys(config.pipelines);
  if (records.length === 0 && !configured.includes(pipeline))
    return new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine resolve: unknown \`--pipeline\` \`${terminalLine(pipeline)}\`: not in the config, and no quarantine record of ${shown} is in it; the config's: ${configured.join(', ') || 'none'}${didYouMean(pipeline, configured)}`,
      context,
    );
  if (records.length === 0)
    return new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine resolve: no quarantine record of ${shown} in ${where}; \`licbridge quarantine list --pipeline ${terminalLine(pipeline)}\` lists the keys to fix`,
      context,
    );
  const open = [
    ...new Set(records.filter((r) => r.resolvedAt === null).flatMap((r) => r.reasons.map((x) => x.code))),
  ];
  const closable = open.find(isResolvableCode);
  if (closable !== undefined)
    return new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine resolve: no open ${code} record of ${shown} in ${where}; it is open for ${open.join(', ')}: \`--reason ${closable}\` closes that one`,
      context,
    );
  if (open.length > 0)
    return new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine resolve: no open ${code} record of ${shown} in ${where}; it is open for ${open.join(', ')}, which leaves the worklist by itself once a run reads the row fixed, or its stored text is restored and signed or sent`,
      context,
    );
  return new LicbridgeError(
    ErrorCodes.USAGE,
    `quarantine resolve: no open ${code} record of this source key in ${where} (${shown}): its records are closed; \`licbridge quarantine show\` lists them`,
    context,
  );
}

export function registerQuarantineResolve(q: Command): void {
  q.command('resolve')
    .description(
      `close a key's records of ${CODES} once dealt with: a license at version 999 issued anew under a new number or ended at the platforms by hand; a row without a key given its key in the business system`,
    )
    .argument('<key>', 'the source key, as `quarantine show` takes it')
    .requiredOption('--pipeline <name>', 'the pipeline the key is quarantined in')
    .requiredOption('--reason <code>', `the reason to close: ${CODES}`, reasonOption)
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        key: string,
        opts: { pipeline: string; reason: ResolvableCode; json?: boolean },
        cmd: Command,
      ) => {
        const config = await loadCommandConfig(cmd);
        const query = { pipeline: opts.pipeline, sourceKey: key };
        const code = opts.reason;
        const { done, records } = await withLedger(config, async (l) => {
          const done = await l.resolveReason({ ...query, code });
          return { done, records: done.records === 0 ? await l.quarantineHistory(query) : [] };
        });
        if (done.records === 0) throw nothingClosed(config, opts.pipeline, code, key, records);
        if (opts.json) {
          process.stdout.write(
            `${terminalJson({ pipeline: opts.pipeline, reason: opts.reason, ...done }, 2)}\n`,
          );
          return;
        }
        const kept = done.keptOpen > 0 ? `; ${done.keptOpen} stay open for their other reasons` : '';
        // A stand-in's records close whole (ledger/quarantine-resolve.ts): the row's other problems go
        // with them, as no row under that stand-in is left to have them.
        const withOthers = Object.entries(done.closedWith ?? {});
        const whole =
          withOthers.length > 0
            ? `, whole, with their other reasons: ${withOthers.map(([c, n]) => `${c} (${n})`).join(', ')}`
            : '';
        const fileNote = code === CODE_KEY_MISSING && isFileStandIn(key) ? `. ${AFTER_FILE_STAND_IN}` : '';
        process.stdout.write(
          `quarantine resolve: ${done.records} ${code} record(s) of pipeline ${terminalLine(opts.pipeline)} closed${whole}${done.licenseId === null ? '' : ` (license ${done.licenseId})`}${kept}. ${AFTER[code]}${fileNote}\n`,
        );
      },
    );
}
