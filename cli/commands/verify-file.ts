/**
 * `licbridge verify --file F.ofd …`: finds the config (optional: verifying a file needs none),
 * runs the use case (pipelines/verify/ofd-files.ts) with the trust it configures, and prints.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { OfdVerifyResult } from '../../adapters/documents/ofd/ofd-verify.js';
import { terminalLine } from '../../core/terminal-text.js';
import { verifyOfdFiles } from '../../pipelines/verify/ofd-files.js';
import { configuredTrust } from '../../pipelines/verify/trust.js';
import { configPath, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

function printResult(file: string, r: OfdVerifyResult): void {
  const name = terminalLine(file);
  for (const s of r.signatures) {
    const who = `seal ${s.sealId ?? '?'}${s.sealName ? ` "${s.sealName}"` : ''}, signer serial ${s.signerSerial ?? '?'}, signed ${s.signedAt ?? '?'}`;
    if (s.problems.length === 0)
      process.stdout.write(`ok   ${name} ${s.path}: ${who}, ${s.references} reference(s) match\n`);
    else for (const p of s.problems) process.stdout.write(`FAIL ${name} ${s.path}: ${p} [${who}]\n`);
  }
  for (const p of r.problems) process.stdout.write(`FAIL ${name}: ${p}\n`);
}

export async function verifyFiles(files: readonly string[], cmd: Command, json: boolean): Promise<void> {
  // A config is used when one is named or found; verifying a file needs none.
  const wanted =
    (configPath(cmd) || process.env.LICBRIDGE_CONFIG || undefined) ??
    (existsSync('licbridge.yaml') ? 'licbridge.yaml' : undefined);
  const trust = wanted === undefined ? [] : configuredTrust(await loadCommandConfig(cmd, wanted));
  const report = await verifyOfdFiles(files, trust);
  if (json) process.stdout.write(`${JSON.stringify({ ok: report.ok, files: report.files })}\n`);
  else {
    for (const r of report.files) printResult(r.file, r.result);
    process.stdout.write(
      `verify: ${report.files.length} file(s): ${report.ok ? 'all valid' : `${report.failed} failed`}\n`,
    );
  }
  if (!report.ok) process.exitCode = EXIT_FAILED;
}
