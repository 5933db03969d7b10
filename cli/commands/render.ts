/**
 * `licbridge render (<licenseId> | --sample <type>) --png FILE`: the license face as it will look
 * in its OFD file, drawn from the same layout. A ledger license shows its latest version; a
 * sample shows a type's template with captions for every field, before any data exists.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/documents/atomic-file.js';
import { DEFAULT_DPI } from '../../adapters/documents/picture/face-png.js';
import type { SealPicture } from '../../adapters/documents/picture/face-svg.js';
import { decodeSeal } from '../../adapters/signers/ses/seal-format.js';
import { type Catalog, type CatalogEntry, loadCatalog } from '../../catalog/catalog.js';
import type { CodedName, License } from '../../catalog/license.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { latestVersion, renderLicenseFace, sampleLicense } from '../../pipelines/render-face.js';
import { commandLogger, loadCommandConfig } from '../context.js';

function usage(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `render: ${detail}`);
}

function positiveInt(name: string, value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value))
    throw usage(`expected ${name} to be a whole number 1-9999, got \`${value}\``);
  return Number(value);
}

/** A catalog entry by its type code or its name. */
function entryOf(catalog: Catalog, type: string): CatalogEntry {
  const entry = catalog.get(type) ?? catalog.entries().find((e) => e.name === type);
  if (!entry) {
    const known = catalog
      .entries()
      .map((e) => `${e.code} (${e.name})`)
      .join(', ');
    throw usage(`no license type \`${type}\` in the catalog (known: ${known || 'none'})`);
  }
  return entry;
}

/** The issuer a sample carries: the named pipeline's, else the first pipeline's of the type, else the defining body. */
function sampleIssuer(config: Readonly<Config>, entry: CatalogEntry, pipeline?: string): CodedName {
  if (pipeline !== undefined) {
    const p = config.pipelines[pipeline];
    if (!p) throw usage(`no pipeline \`${pipeline}\` in the config`);
    return p.issuer;
  }
  const p = Object.values(config.pipelines).find((q) => q.licenseType === entry.code);
  return p ? p.issuer : entry.defineAuthority;
}

async function sealPicture(config: Readonly<Config>, name: string): Promise<SealPicture> {
  const conf = config.seals[name];
  if (!conf) {
    throw usage(
      `no seal \`${name}\` in the config (defined: ${Object.keys(config.seals).join(', ') || 'none'})`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(conf.file);
  } catch (e) {
    throw usage(`seal ${name}: cannot read ${conf.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const { picture } = decodeSeal(bytes).info;
    return { type: picture.type, data: picture.data };
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.SIGNER_KEY,
      `render: seal ${name}: ${conf.file} is not a GB/T 38540 v4 seal: ${(e as Error).message}`,
    );
  }
}

async function ledgerLicense(config: Readonly<Config>, licenseId: string): Promise<License> {
  const ledger = await openLedger(config.ledger.url, { logger: commandLogger(config) });
  try {
    const version = await latestVersion(ledger, licenseId);
    if (!version) throw usage(`no license \`${terminalLine(licenseId)}\` in the ledger`);
    return version.payload;
  } finally {
    await ledger.close();
  }
}

export function registerRenderCommand(program: Command): void {
  program
    .command('render')
    .description('draw a license face as it will look in its OFD file (the same layout), as PNG')
    .argument('[licenseId]', 'a license of the ledger: its latest version is drawn')
    .option(
      '--sample <type>',
      "a sample license of this type (code or name): the template with each field's caption",
    )
    .requiredOption('--png <file>', 'where to write the picture')
    .option('--pipeline <name>', 'with --sample: whose issuer the sample carries')
    .option('--seal <name>', "draw this seal's registered picture (a seal of the config) in the seal box")
    .option('--dpi <n>', `picture resolution (default ${DEFAULT_DPI})`)
    .option('--font <file...>', 'font files (TTF/OTF/TTC) to use beside the installed ones')
    .option('--today <YYYY-MM-DD>', "with --sample: the sample's issue date (default today)")
    .option('--json', 'print the result as JSON')
    .action(
      async (
        licenseId: string | undefined,
        opts: Record<string, string | string[] | true | undefined>,
        cmd: Command,
      ) => {
        const sample = opts.sample as string | undefined;
        if ((licenseId === undefined) === (sample === undefined))
          throw usage('pass a license id or --sample <type>, not both');
        const today = (opts.today as string | undefined) ?? new Date().toISOString().slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
          throw usage(`--today: expected YYYY-MM-DD, got \`${terminalLine(today)}\``);
        }
        const config = await loadCommandConfig(cmd);
        const catalog = await loadCatalog(config.catalog);
        let license: License;
        if (sample !== undefined) {
          const entry = entryOf(catalog, sample);
          license = sampleLicense(
            entry,
            sampleIssuer(config, entry, opts.pipeline as string | undefined),
            today,
          );
        } else {
          license = await ledgerLicense(config, licenseId as string);
        }
        const rendered = await renderLicenseFace(catalog, license, {
          ...(opts.dpi !== undefined ? { dpi: positiveInt('--dpi', opts.dpi as string) } : {}),
          ...(opts.font !== undefined ? { fontFiles: opts.font as string[] } : {}),
          seal: opts.seal !== undefined ? await sealPicture(config, opts.seal as string) : null,
        });
        const file = opts.png as string;
        await writeFileAtomic(file, rendered.png);
        const result = {
          file,
          width: rendered.width,
          height: rendered.height,
          licenseType: license.type.code,
          sample: sample !== undefined,
          overflows: rendered.layout.overflows,
        };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        for (const box of rendered.layout.overflows) {
          process.stderr.write(`render: ${box} did not fit its lines: cut with …\n`);
        }
        process.stdout.write(
          `render: ${terminalLine(file)}: ${rendered.width} × ${rendered.height} px, ${license.type.name}${sample !== undefined ? ' (sample)' : ''}\n`,
        );
      },
    );
}
