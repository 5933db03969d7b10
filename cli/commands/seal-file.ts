/**
 * `licbridge seal make|show|verify`: the electronic seal itself (GB/T 38540 v4). `make` binds the
 * registered image, the holder's certificate and a validity equal to it, signed by the seal
 * maker's signer (a local key or a signing server); `show` prints a seal; `verify` checks it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/documents/atomic-file.js';
import { createSigner } from '../../adapters/signers/create-signer.js';
import { checkSeal } from '../../adapters/signers/ses/check-seal.js';
import { describeSeal, sealText } from '../../adapters/signers/ses/describe-seal.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { decodeSeal, type SesSeal } from '../../adapters/signers/ses/seal-format.js';
import { type DescribedSigner, isDescribedSigner } from '../../adapters/signers/signer.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';
import { loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

function usage(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `seal: ${detail}`);
}

async function openSigner(config: Readonly<Config>, name: string): Promise<DescribedSigner> {
  const conf = config.signers[name];
  if (!conf) {
    throw usage(`unknown signer \`${name}\` (defined: ${Object.keys(config.signers).join(', ') || 'none'})`);
  }
  const signer = await createSigner(name, conf);
  await signer.open();
  if (!isDescribedSigner(signer)) throw usage(`signer ${name} cannot describe its key`);
  return signer;
}

/** A seal named in the config, or a seal file path. */
async function readSealArg(cmd: Command, arg: string): Promise<{ seal: SesSeal; file: string }> {
  let file = arg;
  if (!existsSync(arg)) {
    const config = await loadCommandConfig(cmd);
    const conf = config.seals?.[arg];
    if (!conf) throw usage(`\`${arg}\` is neither a seal file nor a seal of the config`);
    file = conf.file;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw usage(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return { seal: decodeSeal(bytes), file };
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.SIGNER_KEY,
      `seal: ${file} is not a GB/T 38540 v4 seal: ${(e as Error).message}`,
    );
  }
}

interface MakeOptions {
  maker: string;
  image: string;
  name: string;
  esid?: string;
  type: string;
  size: string;
  vendor: string;
  force?: boolean;
}

function sizeMm(text: string): { widthMm: number; heightMm: number } {
  const m = /^(\d{1,3})x(\d{1,3})$/.exec(text);
  if (!m) throw usage(`--size takes WIDTHxHEIGHT in whole millimetres (e.g. 42x42), got \`${text}\``);
  return { widthMm: Number(m[1]), heightMm: Number(m[2]) };
}

export function registerSealFileCommands(seal: Command): void {
  seal
    .command('make')
    .description(
      "make an electronic seal (GB/T 38540 v4) for a seal of the config: image, holder certificate, validity equal to the certificate's, signed by the seal maker",
    )
    .argument('<seal>', 'a seal of the config (`seals:`); its file is written, its signer is the holder')
    .requiredOption('--maker <signer>', "the seal maker's signer (its certificate goes into the seal)")
    .requiredOption('--image <png>', 'the registered seal image (PNG)')
    .requiredOption('--name <name>', 'the seal name, as registered (e.g. the unit and 电子证照专用章)')
    .option('--esid <id>', 'seal id (printable ASCII; default: the seal name of the config)')
    .option('--type <n>', 'seal type code', '1')
    .option('--size <WxH>', 'printed size in millimetres', '42x42')
    .option('--vendor <id>', 'vendor id written in the seal header', 'licbridge')
    .option('--force', 'replace an existing seal file')
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, opts: MakeOptions, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const conf = config.seals?.[name];
      if (!conf)
        throw usage(
          `unknown seal \`${name}\` (defined: ${Object.keys(config.seals ?? {}).join(', ') || 'none'})`,
        );
      if (existsSync(conf.file) && !opts.force)
        throw usage(`${conf.file} exists; pass --force to replace it`);
      const type = Number(opts.type);
      if (!Number.isInteger(type) || type < 0)
        throw usage(`--type takes a non-negative integer, got \`${opts.type}\``);
      let image: Buffer;
      try {
        image = await readFile(opts.image);
      } catch (e) {
        throw usage(`cannot read ${opts.image}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      const holder = await openSigner(config, conf.signer);
      const maker = opts.maker === conf.signer ? holder : await openSigner(config, opts.maker);
      try {
        const holderPem = holder.keyInfo().certificatePem;
        if (holderPem === null) throw usage(`the holder signer ${conf.signer} has no certificate`);
        const made = await makeSeal({
          maker,
          holderCertificatePem: holderPem,
          image,
          name: opts.name,
          esId: opts.esid ?? name,
          type,
          ...sizeMm(opts.size),
          vendorId: opts.vendor,
          now: new Date(),
        });
        await writeFileAtomic(conf.file, made.der);
        const d = describeSeal(made);
        process.stdout.write(
          `seal ${name} written to ${terminalLine(conf.file)} (${d.bytes} bytes): valid ${d.validFrom} to ${d.validTo}, holder serial ${d.holders[0]?.serial}, maker serial ${d.maker?.serial}\n`,
        );
      } finally {
        await holder.close();
        if (maker !== holder) await maker.close();
      }
    });

  seal
    .command('show')
    .description('print an electronic seal: id, name, validity, picture, holder and maker certificates')
    .argument('<seal>', 'a seal of the config, or a seal file (.esl)')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file')
    .action(async (arg: string, opts: { json?: boolean }, cmd: Command) => {
      const { seal } = await readSealArg(cmd, arg);
      const d = describeSeal(seal);
      process.stdout.write(opts.json ? `${JSON.stringify(d)}\n` : sealText(d));
    });

  seal
    .command('verify')
    .description(
      "check an electronic seal: the maker's signature, the maker's certificate, the validity now (or --at)",
    )
    .argument('<seal>', 'a seal of the config, or a seal file (.esl)')
    .option('--at <time>', 'check validity at this ISO time instead of now')
    .option('-c, --config <file>', 'config file')
    .action(async (arg: string, opts: { at?: string }, cmd: Command) => {
      const { seal, file } = await readSealArg(cmd, arg);
      const at = opts.at === undefined ? new Date() : new Date(opts.at);
      if (Number.isNaN(at.getTime())) throw usage(`--at takes an ISO time, got \`${opts.at}\``);
      const { problems, maker } = checkSeal(seal, at);
      if (problems.length === 0) {
        process.stdout.write(
          `ok   seal ${seal.info.esId} (${terminalLine(file)}): maker signature verifies (maker serial ${maker?.serial}), valid at ${at.toISOString()}\n`,
        );
        return;
      }
      for (const p of problems) process.stdout.write(`FAIL seal ${seal.info.esId}: ${p}\n`);
      process.exitCode = EXIT_FAILED;
    });
}
