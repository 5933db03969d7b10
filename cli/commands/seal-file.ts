/**
 * `licbridge seal make|show|verify`: the electronic seal itself (GB/T 38540 v4). `make` binds the
 * registered image, the holder's certificate and a validity equal to it, signed by the seal
 * maker's signer (a local key or a signing server); `show` prints a seal; `verify` checks it with
 * the trust `verify --file` uses (the config named or found; without one nothing is trusted).
 * Making and reading a seal is pipelines/seals.ts; this parses the flags and prints.
 */
import type { Command } from 'commander';
import { describeSeal, type SealDescription, sealText } from '../../adapters/signers/ses/describe-seal.js';
import { ISO_TIME_PATTERN } from '../../config/schema/builders.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { makeSealFile, readSeal, verifySeal } from '../../pipelines/seals.js';
import { sealStandings } from '../../pipelines/verify/seal-status.js';
import { configuredTrust } from '../../pipelines/verify/trust.js';
import { loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';
import { optionalConfig } from './verify-file.js';

function usage(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `seal: ${detail}`);
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

/**
 * A seal's description with every text it took from the seal file through terminalLine: a seal
 * comes from anywhere, and its id, name, vendor and certificate subjects may hold escape
 * sequences a terminal obeys.
 */
function shownDescription(d: SealDescription): SealDescription {
  const line = terminalLine;
  return {
    ...d,
    esId: line(d.esId),
    name: line(d.name),
    vendorId: line(d.vendorId),
    picture: { ...d.picture, type: line(d.picture.type) },
    holders: d.holders.map((h) => ({ serial: line(h.serial), subject: line(h.subject) })),
    holderDigests: d.holderDigests.map((h) => ({ type: line(h.type), hex: h.hex })),
    maker: d.maker ? { serial: line(d.maker.serial), subject: line(d.maker.subject) } : null,
  };
}

/**
 * Bounds of a seal's printed side, mm (GB/T 38540 picture width and height, the size every sealed
 * file stamps it at). Below 10 mm a seal image is not legible in print; past 100 mm it is larger
 * than any official seal (the State Council's is 60 mm across, 国发〔1999〕25号) and, on an A4
 * face, than half the page. 0, which a reader takes as "no size" (the stamp fills the template's
 * box, see ofd-signature.ts), is no size to register a seal with.
 */
const SEAL_SIZE_MM = { min: 10, max: 100 } as const;

/** `--size WIDTHxHEIGHT`, each side whole millimetres within SEAL_SIZE_MM; anything else named. */
function sealSizeMm(text: string): { widthMm: number; heightMm: number } {
  const m = /^(\d{1,3})x(\d{1,3})$/.exec(text);
  const side = (digits: string | undefined) => Number(digits);
  const within = (mm: number) => mm >= SEAL_SIZE_MM.min && mm <= SEAL_SIZE_MM.max;
  if (!m || !within(side(m[1])) || !within(side(m[2])))
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal make: --size takes WIDTHxHEIGHT in whole millimetres from ${SEAL_SIZE_MM.min} to ${SEAL_SIZE_MM.max} (e.g. 42x42, an oval 45x30), got \`${text}\``,
    );
  return { widthMm: side(m[1]), heightMm: side(m[2]) };
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
    .option(
      '--size <WxH>',
      `printed size in whole millimetres, width x height, each from ${SEAL_SIZE_MM.min} to ${SEAL_SIZE_MM.max}`,
      '42x42',
    )
    .option('--vendor <id>', 'vendor id written in the seal header', 'licbridge')
    .option('--force', 'replace an existing seal file')
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, opts: MakeOptions, cmd: Command) => {
      // Flag mistakes are told before the config is read, the maker signs or a file is written.
      const size = sealSizeMm(opts.size);
      // Written as digits only: `--type ""` made a seal of type 0 and `0x10` one of type 16.
      const type = Number(opts.type);
      if (!/^\d+$/.test(opts.type) || !Number.isSafeInteger(type))
        throw usage(
          `--type takes a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got \`${terminalLine(opts.type)}\``,
        );
      const config = await loadCommandConfig(cmd);
      const { file, seal } = await makeSealFile(config, name, {
        maker: opts.maker,
        imageFile: opts.image,
        name: opts.name,
        esId: opts.esid ?? name,
        type,
        ...size,
        vendorId: opts.vendor,
        force: opts.force === true,
        now: new Date(),
      });
      const d = describeSeal(seal);
      process.stdout.write(
        `seal ${name} written to ${terminalLine(file)} (${d.bytes} bytes): valid ${d.validFrom} to ${d.validTo}, holder serial ${d.holders[0]?.serial}, maker serial ${d.maker?.serial}\n`,
      );
    });

  seal
    .command('show')
    .description('print an electronic seal: id, name, validity, picture, holder and maker certificates')
    .argument('<seal>', 'a seal of the config, or a seal file (.esl)')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file')
    .action(async (arg: string, opts: { json?: boolean }, cmd: Command) => {
      const { seal } = await readSeal(arg, () => loadCommandConfig(cmd));
      const d = describeSeal(seal);
      process.stdout.write(opts.json ? `${terminalJson(d)}\n` : sealText(shownDescription(d)));
    });

  seal
    .command('verify')
    .description(
      "check an electronic seal: the maker's signature and certificate, the validity now (or --at), a certificate it lists valid then, the maker trusted as a seal maker, a holder trusted as a signer, the seal's status in the config",
    )
    .argument('<seal>', 'a seal of the config, or a seal file (.esl)')
    .option('--at <time>', 'check at this ISO time with its zone (2026-03-01T00:00:00+08:00) instead of now')
    .option('-c, --config <file>', 'config file')
    .action(async (arg: string, opts: { at?: string }, cmd: Command) => {
      // With its zone only: a time without one would be read in this machine's zone, and judged
      // against a seal's `since` (a time with its zone) hours off.
      const at = opts.at === undefined ? new Date() : new Date(opts.at);
      if (
        opts.at !== undefined &&
        (!new RegExp(ISO_TIME_PATTERN).test(opts.at) || Number.isNaN(at.getTime()))
      )
        throw usage(
          `--at takes an ISO time with its zone, such as 2026-03-01T00:00:00+08:00; got \`${opts.at}\``,
        );
      const config = await optionalConfig(cmd);
      const { seal, file } = await readSeal(arg, async () => config ?? (await loadCommandConfig(cmd)));
      const trust = config === undefined ? [] : configuredTrust(config);
      const standings = config === undefined ? [] : await sealStandings(config);
      const { problems, notes, maker } = verifySeal(seal, at, trust, standings);
      const esId = terminalLine(seal.info.esId);
      for (const n of notes) process.stdout.write(`note seal ${esId}: ${terminalLine(n)}\n`);
      if (problems.length === 0) {
        process.stdout.write(
          `ok   seal ${esId} (${terminalLine(file)}): maker signature verifies (maker serial ${maker?.serial}, a trusted seal maker), valid at ${at.toISOString()}\n`,
        );
        return;
      }
      for (const p of problems) process.stdout.write(`FAIL seal ${esId}: ${terminalLine(p)}\n`);
      process.exitCode = EXIT_FAILED;
    });
}
