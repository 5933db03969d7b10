/**
 * `licbridge verify --file F.ofd …`: checks sealed OFD license files against the keys the config
 * trusts (the signers' certificates and the `trust` list) — references, SES signature, the seal's
 * own signature and validity at signing time. The config is optional: without one nothing is
 * trusted, and the report says whose certificate it would need.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  type OfdVerifyResult,
  type TrustedMaterial,
  verifyOfd,
} from '../../adapters/documents/ofd/ofd-verify.js';
import { readCertificate } from '../../adapters/signers/certificate.js';
import { readTrustFile } from '../../adapters/signers/trust-file.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';
import { configPath, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

/** The certificates and keys the operator configured: every signer's certificate, every trust entry. */
export function configuredTrust(config: Readonly<Config>): TrustedMaterial[] {
  const out: TrustedMaterial[] = [];
  for (const [name, signer] of Object.entries(config.signers)) {
    if (signer.certificate === undefined) continue;
    const certificate = readCertificate(name, signer.certificate);
    out.push({ publicKeyPem: certificate.publicKeyPem, certificate, origin: `signer ${name}` });
  }
  for (const [name, entry] of Object.entries(config.trust)) {
    for (const m of readTrustFile(entry.file)) out.push({ ...m, origin: `trust ${name}` });
  }
  return out;
}

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
  const results: { file: string; result: OfdVerifyResult }[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `verify: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    results.push({ file, result: verifyOfd(bytes, trust) });
  }
  const failed = results.filter((r) => !r.result.ok).length;
  if (json) process.stdout.write(`${JSON.stringify({ ok: failed === 0, files: results })}\n`);
  else {
    for (const r of results) printResult(r.file, r.result);
    process.stdout.write(
      `verify: ${results.length} file(s): ${failed === 0 ? 'all valid' : `${failed} failed`}\n`,
    );
  }
  if (failed > 0) process.exitCode = EXIT_FAILED;
}
