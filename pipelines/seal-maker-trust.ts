/**
 * Seals whose files `licbridge verify` will fail for their maker: the maker's certificate a
 * configured seal carries is not trusted as a seal maker by the config. `verify` trusts a
 * configured signer's certificate as a signer only (GB/T 38540: a seal maker makes a seal, not its
 * holder), so a seal made with `seal make --maker <signer>` needs that signer's certificate in
 * `trust` with `role: seal-maker`; a config that relied on the signer alone, as configs did
 * before roles, passes `sign files` and fails every file it sealed. Read from local files only
 * (the seal file, the signers' certificates, the trust files), for `config check` and `status`.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { makerProblem, selfMade, type TrustedMaterial } from '../adapters/documents/ofd/ofd-trust.js';
import { readCertificate, type SealCertificate } from '../adapters/signers/certificate.js';
import { embeddedCertificate } from '../adapters/signers/ses/check-seal.js';
import { decodeSeal, type SesSeal } from '../adapters/signers/ses/seal-format.js';
import { readTrustFile } from '../adapters/signers/trust-file.js';
import type { Config } from '../config/types.js';
import { configuredTrust } from './verify/trust.js';

/** One configured seal whose maker `verify` does not trust; `seal` null when no seal could be judged. */
/**
 * The `seal make` that makes seal `name` again, as a person can run it once the placeholders are
 * filled in: with `--image` and `--name`, which the command requires (cli/commands/seal-file.ts),
 * the seal's registered image and name. Without them the command printed failed as given.
 */
export function sealMakeCommand(name: string, maker: string): string {
  return `licbridge seal make ${name} --maker ${maker} --image <png> --name <name> --force`;
}

export interface SealMakerFinding {
  seal: string | null;
  message: string;
}

/** A configured file holding exactly the maker's certificate, and the names it is known by there. */
interface Holding {
  file: string;
  sealId: string;
  label: string;
}

/** A YAML flow scalar: plain when it cannot be misread, else double-quoted (JSON is valid YAML). */
function scalar(text: string): string {
  return /^[A-Za-z0-9._/][A-Za-z0-9._/-]*$/.test(text) ? text : JSON.stringify(text);
}

/** The path as the config would write it: relative to the config file's folder. */
function configPath(config: Readonly<Config>, file: string): string {
  const rel = relative(dirname(config.file), file);
  if (isAbsolute(rel)) return rel;
  return rel.startsWith('..') ? rel : `./${rel}`;
}

/** The configured files (a signer's certificate, a trust file) that hold the maker's certificate. */
function heldAt(config: Readonly<Config>, maker: SealCertificate): Holding | null {
  for (const [name, signer] of Object.entries(config.signers)) {
    if (signer.certificate === undefined) continue;
    try {
      if (readCertificate(name, signer.certificate).pem === maker.pem)
        return { file: signer.certificate, sealId: signer.sealId, label: name };
    } catch {
      // An unreadable certificate is reported by the signer's own check.
    }
  }
  for (const [name, entry] of Object.entries(config.trust)) {
    if (entry.role === 'tsa') continue;
    try {
      if (readTrustFile(entry.file).some((m) => m.certificate?.pem === maker.pem))
        return { file: entry.file, sealId: entry.sealId, label: name };
    } catch {
      // Likewise, by the trust entry's check.
    }
  }
  return null;
}

/** The `trust` entry that makes `maker` a trusted seal maker, as the operator adds it. */
function entryToAdd(config: Readonly<Config>, sealName: string, maker: SealCertificate): string {
  const held = heldAt(config, maker);
  const base = `${held?.label ?? sealName}-seal-maker`;
  let name = base;
  for (let i = 2; name in config.trust; i++) name = `${base}-${i}`;
  const file = held ? configPath(config, held.file) : `./keys/${sealName}-maker.cert.pem`;
  const entry = `${scalar(name)}: { sealId: ${scalar(held?.sealId ?? `${sealName}-maker`)}, file: ${scalar(file)}, role: seal-maker }`;
  return held
    ? `add to \`trust\`: \`${entry}\``
    : `no configured file holds this certificate: save it (from the seal maker) as ${file} and add to \`trust\`: \`${entry}\``;
}

/** The seal file's seal, or null when it is not there yet or is no seal (the signer refuses it, naming it). */
function readSealFile(file: string): SesSeal | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  try {
    return decodeSeal(bytes);
  } catch {
    return null;
  }
}

function judge(
  config: Readonly<Config>,
  name: string,
  file: string,
  seal: SesSeal,
  trust: readonly TrustedMaterial[],
): string | null {
  const maker = embeddedCertificate(seal.makerCertificate, 'seal maker');
  if (maker === null) return null;
  const problem = makerProblem(seal, maker, trust);
  if (problem === null) return null;
  const fingerprint = new X509Certificate(maker.pem).fingerprint256;
  const what = `seal ${name} (${configPath(config, file)}): every file sealed with it fails \`licbridge verify\`: ${problem}; maker certificate SHA-256 fingerprint ${fingerprint}`;
  // A seal its holder made stays improper whatever `trust` says: it must be made again. Judged as
  // makerProblem judges it: the maker's certificate is outside the maker's signature, so one
  // written with other bytes, or another certificate of the holder's key, is the holder still.
  if (selfMade(seal, maker) !== null)
    return `${what}; no \`trust\` entry makes it verify: make it again with a seal maker's signer, \`${sealMakeCommand(name, '<signer>')}\`, and trust that maker with \`role: seal-maker\``;
  return `${what}; ${entryToAdd(config, name, maker)}`;
}

/**
 * Every configured seal whose seal file is there and whose maker the config does not trust as a
 * seal maker (as `verify --file` and `seal verify` judge it), each with the fix. A seal file not
 * made yet is passed over; so is every seal when the config's trust cannot be read, which is
 * reported as one finding (`verify` fails the same way).
 */
export function sealMakerFindings(config: Readonly<Config>): SealMakerFinding[] {
  const seals = Object.entries(config.seals);
  if (seals.length === 0) return [];
  let trust: TrustedMaterial[];
  try {
    trust = configuredTrust(config);
  } catch (e) {
    return [
      {
        seal: null,
        message: `cannot tell whether the seals' makers are trusted, as \`licbridge verify\` cannot: ${(e as Error).message}`,
      },
    ];
  }
  const out: SealMakerFinding[] = [];
  for (const [name, conf] of seals) {
    const seal = readSealFile(conf.file);
    const message = seal === null ? null : judge(config, name, conf.file, seal, trust);
    if (message !== null) out.push({ seal: name, message });
  }
  return out;
}
