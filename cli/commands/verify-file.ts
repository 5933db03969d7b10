/**
 * `licbridge verify --file F.ofd …`: finds the config (optional: verifying a file needs none),
 * runs the use case (pipelines/verify/ofd-files.ts) with the trust it configures, and prints.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { OfdVerifyResult } from '../../adapters/documents/ofd/ofd-verify.js';
import type { Config } from '../../config/types.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { verifyOfdFiles } from '../../pipelines/verify/ofd-files.js';
import { sealStandings } from '../../pipelines/verify/seal-status.js';
import { configuredTrust } from '../../pipelines/verify/trust.js';
import { configPath, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

/**
 * A file's verdict, one line per finding. Nearly all of it is what the file says — its part names,
 * its seal's id and name, the values its problems quote — and a file comes from anywhere: every
 * piece goes through terminalLine, so no escape sequence reaches the terminal and no value forges
 * a line of its own.
 */
function printResult(file: string, r: OfdVerifyResult): void {
  const name = terminalLine(file);
  for (const s of r.signatures) {
    const path = terminalLine(s.path);
    const who = terminalLine(
      `seal ${s.sealId ?? '?'}${s.sealName ? ` "${s.sealName}"` : ''}, signer serial ${s.signerSerial ?? '?'}, signed ${s.signedAt ?? '?'}`,
    );
    if (s.problems.length === 0)
      process.stdout.write(`ok   ${name} ${path}: ${who}, ${s.references} reference(s) match\n`);
    else
      for (const p of s.problems) process.stdout.write(`FAIL ${name} ${path}: ${terminalLine(p)} [${who}]\n`);
  }
  for (const s of r.signatures)
    for (const n of s.notes)
      process.stdout.write(`note ${name} ${terminalLine(s.path)}: ${terminalLine(n)}\n`);
  for (const p of r.problems) process.stdout.write(`FAIL ${name}: ${terminalLine(p)}\n`);
}

/** The config when one is named or found (`-c`, LICBRIDGE_CONFIG, ./licbridge.yaml); checking a file needs none. */
export async function optionalConfig(cmd: Command): Promise<Readonly<Config> | undefined> {
  const wanted =
    (configPath(cmd) || process.env.LICBRIDGE_CONFIG || undefined) ??
    (existsSync('licbridge.yaml') ? 'licbridge.yaml' : undefined);
  return wanted === undefined ? undefined : await loadCommandConfig(cmd, wanted);
}

export async function verifyFiles(files: readonly string[], cmd: Command, json: boolean): Promise<void> {
  const config = await optionalConfig(cmd);
  const trust = config === undefined ? [] : configuredTrust(config);
  const report = await verifyOfdFiles(files, trust, config === undefined ? [] : await sealStandings(config));
  if (json) process.stdout.write(`${terminalJson({ ok: report.ok, files: report.files })}\n`);
  else {
    for (const r of report.files) printResult(r.file, r.result);
    process.stdout.write(
      `verify: ${report.files.length} file(s): ${report.ok ? 'all valid' : `${report.failed} failed`}\n`,
    );
  }
  if (!report.ok) process.exitCode = EXIT_FAILED;
}
