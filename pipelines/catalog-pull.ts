/**
 * Pulling a platform's published license types into catalog files for review: one YAML file per
 * type, written to a folder beside the live catalog (never into it), each headed with where and
 * when it came from.
 */
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { fetchCatalogTypes } from '../adapters/platforms/rest-json/catalog-fetch.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { terminalLine } from '../core/terminal-text.js';

/** Whether two folders are one, through symbolic links too; a folder not there yet is its path. */
async function sameFolder(a: string, b: string): Promise<boolean> {
  const real = (p: string) => realpath(p).catch(() => p);
  return (await real(a)) === (await real(b));
}

/** License type codes become file names: only the code alphabet is allowed through. */
const TYPE_CODE = /^[0-9A-Z]{10,40}$/;

export interface PulledCatalog {
  /** The files written, absolute. */
  written: string[];
  /** Codes refused as file names, made safe to show (one line, at most 40 characters). */
  skipped: string[];
}

/**
 * Fetches the license types the rest-json target `target` publishes and writes one file per type
 * to `out` (resolved against the working directory; default `<catalog>/pulled/<target>`).
 */
export async function pullCatalog(
  config: Readonly<Config>,
  target: string,
  out: string | undefined,
): Promise<PulledCatalog> {
  const t = config.targets[target];
  if (t?.kind !== 'rest-json') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `catalog pull: \`${target}\` is not a rest-json target in ${config.file}`,
    );
  }
  const folder = out ? resolve(out) : join(config.catalog, 'pulled', target);
  // Files written there would be loaded unreviewed by the next run, a live entry replaced by its code.
  if (out && (await sameFolder(folder, resolve(config.catalog)))) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `catalog pull: --out \`${terminalLine(out)}\` is the live catalog ${config.catalog} (\`catalog\` in ${config.file}): pulled types are written beside it for review; omit --out (${join(config.catalog, 'pulled', target)}) or name another folder`,
    );
  }
  const types = await fetchCatalogTypes(target, t);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  const skipped: string[] = [];
  for (const type of types) {
    if (!TYPE_CODE.test(type.code)) {
      // The platform's own text: shown, but never able to steer the terminal.
      skipped.push(terminalLine(type.code).slice(0, 40));
      continue;
    }
    const file = join(folder, `${type.code}.yaml`);
    const header = `# Pulled from target \`${target}\` on ${new Date().toISOString()}. Review, then move into the catalog.\n`;
    await writeFile(file, header + stringify(type));
    written.push(file);
  }
  return { written, skipped };
}
