import type { Command } from 'commander';
import { parseCertificate, type SealCertificate } from '../../adapters/signers/certificate.js';
import { createSigner } from '../../adapters/signers/create-signer.js';
import { isDescribedSigner } from '../../adapters/signers/signer.js';
import { SignatureVerifier, type VerificationKey } from '../../adapters/signers/verify-signature.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

interface Failure {
  licenseId: string;
  version: number;
  versionId: number;
  sealId: string | null;
  reasons: string[];
}

function cert(pem: string | null, origin: string): SealCertificate | null {
  return pem === null ? null : parseCertificate('verify', pem, origin);
}

/**
 * Keys to verify with: every seal key the ledger registered (old keys after a rotation too), and
 * the current key of each configured signer (a pipeline-signed ledger may not have registered it).
 */
async function verificationKeys(
  config: Readonly<Config>,
  ledger: Ledger,
  logger: Logger,
): Promise<VerificationKey[]> {
  const keys: VerificationKey[] = (await ledger.signingKeys()).map((k) => ({
    sealId: k.sealId,
    publicKeyPem: k.publicKeyPem,
    certificate: cert(k.certificatePem, `ledger key ${k.keyId.slice(0, 16)}`),
    origin: 'ledger',
  }));
  for (const [name, signerConfig] of Object.entries(config.signers)) {
    // Only the public side is needed: no worker pool for a local key.
    const signer = await createSigner(
      name,
      signerConfig.kind === 'local-sm2' ? { ...signerConfig, workers: 0 } : signerConfig,
    );
    try {
      await signer.open();
      if (!isDescribedSigner(signer)) continue;
      const info = signer.keyInfo();
      keys.push({
        sealId: info.sealId,
        publicKeyPem: info.publicKeyPem,
        certificate: cert(info.certificatePem, `signer ${name} certificate`),
        origin: `config:${name}`,
      });
    } catch (e) {
      // A signer that cannot open now (expired certificate, server down) does not hide the ledger's keys.
      logger.warn(
        { signer: name, err: e instanceof Error ? e.message : String(e) },
        'verify: signer unavailable; using ledger keys only',
      );
    } finally {
      await signer.close();
    }
  }
  return keys;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('re-compute each license’s canonical form and check its signatures, keys and certificates')
    .option('--license <id...>', 'verify every version of these licenses')
    .option('--all', 'verify every version in the ledger')
    .option('--pipeline <name>', 'only versions of this pipeline')
    .option('--json', 'print only a JSON report on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: { license?: string[]; all?: boolean; pipeline?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (!opts.all && opts.license === undefined) {
          throw new LicbridgeError(ErrorCodes.USAGE, 'verify: pass --license ID or --all');
        }
        const config = await loadCommandConfig(cmd);
        const logger = commandLogger(config);
        const ledger = await openLedger(config.ledger.url, { logger });
        const failures: Failure[] = [];
        let versions = 0;
        let signatures = 0;
        try {
          await ledger.migrate();
          const keys = await verificationKeys(config, ledger, logger);
          const verifier = new SignatureVerifier();
          for (let after = 0; ; ) {
            const page = await ledger.versionPage({
              afterVersionId: after,
              limit: 500,
              ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
              ...(opts.license !== undefined ? { licenseIds: opts.license } : {}),
            });
            if (page.length === 0) break;
            after = (page[page.length - 1] as { versionId: number }).versionId;
            const sigs = await ledger.getSignatures(page.map((v) => v.versionId));
            const byVersion = new Map<number, typeof sigs>();
            for (const s of sigs) byVersion.set(s.versionId, [...(byVersion.get(s.versionId) ?? []), s]);
            for (const v of page) {
              versions++;
              const own = byVersion.get(v.versionId) ?? [];
              const base = { licenseId: v.licenseId, version: v.version, versionId: v.versionId };
              if (own.length === 0)
                failures.push({ ...base, sealId: null, reasons: ['unsigned: no signature recorded'] });
              for (const s of own) {
                signatures++;
                const reasons = verifier.check(v.payload, v.contentHash, s, keys);
                if (reasons.length > 0) failures.push({ ...base, sealId: s.sealId, reasons });
              }
            }
          }
        } finally {
          await ledger.close();
        }
        if (opts.license !== undefined && versions === 0) {
          failures.push(
            ...opts.license.map((id) => ({
              licenseId: id,
              version: 0,
              versionId: 0,
              sealId: null,
              reasons: ['no such license in the ledger'],
            })),
          );
        }
        const failedVersions = new Set(failures.map((f) => `${f.licenseId}:${f.version}`)).size;
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ versions, signatures, failed: failedVersions, ok: failures.length === 0, failures })}\n`,
          );
        } else {
          for (const f of failures) {
            process.stdout.write(
              `FAIL ${f.licenseId} v${f.version}${f.sealId ? ` (seal ${f.sealId})` : ''}: ${f.reasons.join('; ')}\n`,
            );
          }
          process.stdout.write(
            `verify: ${versions} version(s), ${signatures} signature(s): ${failures.length === 0 ? 'all valid' : `${failedVersions} version(s) failed`}\n`,
          );
        }
        if (failures.length > 0) process.exitCode = EXIT_FAILED;
      },
    );
}
