/**
 * `licbridge verify`: parses the selection, runs the use case (pipelines/verify/ledger.ts, or
 * ./verify-file.ts for `--file`) and prints its report as text or JSON.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { type FilesReport, type LedgerVerifyReport, verifyLedger } from '../../pipelines/verify/ledger.js';
import type { VerifyOptions, VerifyResult, VerifySummary } from '../../pipelines/verify/signatures.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../errors.js';
import { ProgressLine } from '../progress.js';
import { nextSignal, signalExitCode } from '../signals.js';

/**
 * A file's reasons and notes quote what the file says (its part names, its seal's id and name), and
 * a file in the store may come from anywhere: each line goes through terminalLine, as `verify --file`.
 */
function printFiles(files: FilesReport): void {
  for (const r of files.results.filter((x) => !x.ok)) {
    process.stdout.write(
      `FAIL ${terminalLine(`${r.licenseId} v${r.version} file ${r.path}: ${r.reasons.join('; ')}`)}\n`,
    );
  }
  for (const r of files.results) {
    for (const n of r.notes)
      process.stdout.write(`note ${terminalLine(`${r.licenseId} v${r.version} file ${r.path}: ${n}`)}\n`);
  }
  const verdict =
    files.unchecked > 0
      ? `${files.unchecked} not checked: no file store (pass --store or set licenseFiles.store)`
      : files.failed > 0
        ? `${files.failed} failed`
        : 'all valid';
  process.stdout.write(`verify: ${files.checked + files.unchecked} license file(s): ${verdict}\n`);
}

/** Files in the store no ledger row lists: how many, and the first few by name. */
function printUnlisted(files: FilesReport): void {
  const u = files.unlisted;
  if (u === null || u.count === 0) return;
  for (const path of u.first) process.stdout.write(`unlisted ${terminalLine(path)}\n`);
  const more = u.count - u.first.length;
  process.stdout.write(
    `verify: ${u.count} file(s) in the store that no ledger row lists${more > 0 ? ` (first ${u.first.length} named, ${more} more)` : ''}: sealed licenses nothing accounts for; find where each came from, then remove it or issue it again through licbridge\n`,
  );
}

/**
 * One result on one line. It quotes the ledger's rows (a signature's seal id, in the result and in
 * its reasons), which anyone who can write the ledger can change: through terminalLine, as a
 * file's findings, so no row forges a line of its own or an escape sequence erases the `FAIL`.
 */
function resultLine(r: VerifyResult): string {
  // A license asked for that has no version to check (not in the ledger, or in another pipeline):
  // named alone, as `v0` read as a version the ledger holds.
  if (notHeld(r)) return `FAIL ${terminalLine(`${r.licenseId}: ${r.reasons.join('; ')}`)}\n`;
  const seal = r.sealId ? ` (seal ${r.sealId})` : '';
  const key = r.key ? `key ${r.key.fingerprint} (${r.key.origin})` : '';
  if (r.ok) return `ok   ${terminalLine(`${r.licenseId} v${r.version}${seal}: ${key}`)}\n`;
  return `FAIL ${terminalLine(`${r.licenseId} v${r.version}${seal}: ${r.reasons.join('; ')}${key ? ` [${key}]` : ''}`)}\n`;
}

/** The result of a license asked for with `--license` that no selected version answers (version 0). */
function notHeld(r: VerifyResult): boolean {
  return r.versionId === 0;
}

/**
 * After the result lines, printed as they came: the keys and the verdict. A key's seal id and
 * origin come from the config's signers, a signing server's key info or a trust entry: through
 * terminalLine, as the result lines, so none ends its line early or hides the verdict.
 */
function printText(summary: VerifySummary): void {
  for (const k of summary.keys) {
    const serial = k.certificateSerial === null ? '' : `, certificate serial ${k.certificateSerial}`;
    process.stdout.write(
      `key ${terminalLine(`${k.fingerprint} (${k.origin}, seal ${k.sealId}${serial}): ${k.signatures} signature(s) verified`)}\n`,
    );
  }
  // `failed` counts each license not found as one version: the verdict tells them apart.
  const notFound = summary.results.filter(notHeld).length;
  const failed = summary.failed - notFound;
  const verdict = [
    ...(failed > 0 ? [`${failed} version(s) failed`] : []),
    ...(notFound > 0 ? [`${notFound} license(s) not found`] : []),
  ];
  process.stdout.write(
    `verify: ${summary.versions} version(s), ${summary.signatures} signature(s): ${summary.ok ? 'all valid' : verdict.join(', ')}\n`,
  );
}

/**
 * The JSON report's `results`, written as they come: the object opens with them (at the first
 * result, so a run refused before any, an unknown pipeline, prints nothing), and printJson
 * closes it. A ledger of millions of versions is then never held whole to be printed.
 * A run ended once the object is open (an error, a signal) closes it with `end`: stdout is
 * still one JSON document, `ok` false and what ended it in place of the summary.
 */
export function jsonResults(write: (text: string) => void = (t) => process.stdout.write(t)): {
  onResult: (r: VerifyResult) => void;
  opening: () => string;
  end: (why: { error: string } | { stopped: string }) => void;
} {
  let opened = false;
  return {
    onResult(r) {
      write(`${opened ? ',' : '{"results":['}${terminalJson(r)}`);
      opened = true;
    },
    opening: () => (opened ? '' : '{"results":['),
    end(why) {
      if (opened) write(`],${terminalJson({ ok: false, ...why }).slice(1)}\n`);
      opened = false;
    },
  };
}

/** The signature summary, the run's verdict, and only the failures of each kind in full. */
function printJson({ signatures, files, ok, attention }: LedgerVerifyReport, opening: string): void {
  // `results` holds the failures only: every result was written as it came (jsonResults).
  const { results, ...counts } = signatures;
  const failures = results
    .filter((r) => !r.ok)
    .map(({ licenseId, version, versionId, sealId, reasons }) => ({
      licenseId,
      version,
      versionId,
      sealId,
      reasons,
    }));
  const rest = terminalJson({
    ...counts,
    ok,
    attention,
    failures,
    files: {
      checked: files.checked,
      failed: files.failed,
      unchecked: files.unchecked,
      failures: files.results.filter((r) => !r.ok),
      notes: files.results
        .filter((r) => r.notes.length > 0)
        .map(({ licenseId, version, versionId, path, notes }) => ({
          licenseId,
          version,
          versionId,
          path,
          notes,
        })),
      unlisted: files.unlisted,
    },
  });
  process.stdout.write(`${opening}],${rest.slice(1)}\n`);
}

/**
 * How far a long run is, on stderr every `intervalMs`, when the results do not show it on a
 * terminal (`--json`, or stdout to a file): a million versions take a quarter of an hour or more.
 * Plain lines (../progress.ts) even when stderr is a terminal: the results go to stdout meanwhile.
 */
export function verifyProgress(
  write: (line: string) => void,
  intervalMs = 5000,
  clock: () => number = Date.now,
): (r: VerifyResult) => void {
  const line = new ProgressLine({
    stream: { write },
    intervalSeconds: intervalMs / 1000,
    plain: true,
    clock,
  });
  let versions = 0;
  let lastVersion = -1;
  return (r) => {
    if (r.versionId !== lastVersion) versions++;
    lastVersion = r.versionId;
    if (!line.due()) return;
    const rate = Math.round(versions / Math.max(0.001, (line.now() - line.started) / 1000));
    line.show(`verify: ${versions} version(s) checked, ${rate}/s`);
  };
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      're-compute each license’s canonical form and check its signatures with the keys the config trusts; name the key behind each',
    )
    .option('--license <id...>', 'verify every version of these licenses')
    .option('--all', 'verify every version in the ledger')
    .option('--file <ofd...>', 'verify sealed OFD license files (references, SES signature, seal, trust)')
    .option('--pipeline <name>', 'only versions of this pipeline')
    .option(
      '--store <dir>',
      'file store of the license files the ledger lists (default `licenseFiles.store` of the config)',
    )
    .option('--json', 'print only a JSON report on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: {
          license?: string[];
          all?: boolean;
          pipeline?: string;
          json?: boolean;
          file?: string[];
          store?: string;
        },
        cmd: Command,
      ) => {
        if (opts.file !== undefined) {
          const { verifyFiles } = await import('./verify-file.js');
          await verifyFiles(opts.file, cmd, opts.json === true);
          return;
        }
        if (!opts.all && opts.license === undefined) {
          throw new LicbridgeError(ErrorCodes.USAGE, 'verify: pass --license ID, --all or --file F.ofd');
        }
        const config = await loadCommandConfig(cmd);
        const json = jsonResults();
        const progress =
          opts.json || !process.stdout.isTTY
            ? verifyProgress((line) => process.stderr.write(line))
            : undefined;
        const print = opts.json ? json.onResult : (r: VerifyResult) => process.stdout.write(resultLine(r));
        const options: VerifyOptions = {
          onResult: (r) => {
            print(r);
            progress?.(r);
          },
        };
        // Stopped (a terminal's Ctrl-C, a supervisor's SIGTERM) with results written, the JSON
        // document is closed before the process ends with the signal's code.
        const signal = opts.json ? nextSignal() : undefined;
        void signal?.signal.then((s) => {
          json.end({ stopped: s });
          process.exit(signalExitCode(s));
        });
        let report: LedgerVerifyReport;
        try {
          report = await verifyLedger(
            config,
            {
              ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
              ...(opts.license !== undefined ? { licenseIds: opts.license } : {}),
              ...(opts.store !== undefined ? { store: resolve(opts.store) } : {}),
            },
            commandLogger(config),
            options,
          );
        } catch (error) {
          // The error itself goes to stderr, masked, as every command's does; stdout names its code.
          json.end({ error: isLicbridgeError(error) ? error.code : ErrorCodes.INTERNAL });
          throw error;
        } finally {
          signal?.off();
        }
        if (opts.json) printJson(report, json.opening());
        else {
          printText(report.signatures);
          if (report.files.checked + report.files.unchecked > 0) printFiles(report.files);
          printUnlisted(report.files);
        }
        if (!report.ok) process.exitCode = EXIT_FAILED;
        else if (report.attention) process.exitCode = EXIT_ATTENTION;
      },
    );
}
