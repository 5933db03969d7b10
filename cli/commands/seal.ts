/**
 * `licbridge seal keygen|csr|install`: a department's own seal key, a certificate request for its
 * CA, and the certificate the CA returns — checked against the key before it is installed. The
 * passphrase comes from an environment variable named on the command line, never from the
 * command line itself (it would stay in the shell history and in `ps`). The request's subject and
 * the certificate's check and install are pipelines/seals.ts; this parses the flags and prints.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { generateSealKey } from '../../adapters/signers/local-sm2/seal-keys.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';
import { installSealCertificate, sealCertificateRequest } from '../../pipelines/seals.js';
import { loadCommandConfig } from '../context.js';
import { writeOutputFile } from '../output-file.js';
import { registerSealFileCommands } from './seal-file.js';

export function registerSealCommand(program: Command): void {
  const seal = program
    .command('seal')
    .description(
      "the department's seal: its key, certificate request and certificate; the electronic seal (GB/T 38540) made, shown, verified",
    );
  registerSealFileCommands(seal);

  seal
    .command('keygen')
    .description('generate an SM2 seal key as encrypted PKCS#8, written owner-only (0600)')
    .requiredOption('--out <file>', 'key file to write (never overwritten without --force)')
    .requiredOption(
      '--passphrase-env <name>',
      'environment variable holding the passphrase (at least 12 characters)',
    )
    .option('--force', 'overwrite an existing key file')
    .action(async (opts: { out: string; passphraseEnv: string; force?: boolean }) => {
      const passphrase = process.env[opts.passphraseEnv];
      if (passphrase === undefined || passphrase === '') {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `seal keygen: environment variable ${opts.passphraseEnv} is not set`,
        );
      }
      const key = await generateSealKey(opts.out, passphrase, { force: opts.force === true });
      // `--out` is relative to this folder, a `${file:…}` path to the config file's: the line to
      // copy names the key absolutely, so it reads the same file wherever the config is.
      process.stdout.write(
        `seal key written to ${terminalLine(opts.out)} (mode 0600), key id ${key.fingerprint}\n` +
          `next: point a local-sm2 signer at it (key: "\${file:${terminalLine(resolve(opts.out))}}", passphrase: "\${env:${opts.passphraseEnv}}"), then licbridge seal csr <signer>\n`,
      );
    });

  seal
    .command('csr')
    .description(
      "write a PKCS#10 certificate request (SM2 with SM3) for a signer's key; subject from the config",
    )
    .argument('<signer>', 'a local-sm2 signer of the config')
    .option('--out <file>', 'write the request here instead of stdout')
    .option(
      '--for <pipeline>',
      "take the issuing unit from this pipeline's issuer (a new seal no pipeline uses yet)",
    )
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, opts: { out?: string; for?: string }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const csr = sealCertificateRequest(config, name, opts.for);
      if (opts.out === undefined) {
        process.stdout.write(csr.pem);
        return;
      }
      await writeOutputFile(opts.out, csr.pem, 'seal csr');
      process.stdout.write(
        `certificate request written to ${terminalLine(opts.out)}; send it to the CA, then licbridge seal install ${name} <certificate>\n`,
      );
    });

  seal
    .command('install')
    .description(
      "check a certificate from the CA against the signer's key and install it where the config expects it",
    )
    .argument('<signer>', 'a local-sm2 signer of the config')
    .argument('<certificate>', 'the PEM certificate the CA returned')
    .option('--to <file>', "where to install it (default: the signer's `certificate` path)")
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, file: string, opts: { to?: string }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const { certificate: cert, to } = await installSealCertificate(config, name, file, opts.to);
      process.stdout.write(
        `certificate serial ${cert.serial} certifies signer ${name}'s key; valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}; installed at ${terminalLine(to)}\n`,
      );
    });
}
