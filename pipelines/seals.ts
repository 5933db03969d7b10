/**
 * A department's seal. Its key's certificate: a request whose subject is the issuing unit the
 * signer seals for, and the CA's certificate checked against the key before it is installed. The
 * electronic seal (GB/T 38540 v4) of a seal of the config: made from the registered image and the
 * holder signer's certificate, signed by the seal maker's signer and written in one piece; and a
 * seal read back, named in the config or given as a file, for showing and checking — against
 * the same trust as `verify --file`: its maker a trusted seal maker, a holder a trusted signer,
 * and the seal's status in the config.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../adapters/documents/atomic-file.js';
import { makerProblem, type TrustedMaterial } from '../adapters/documents/ofd/ofd-trust.js';
import { type SealCertificate, sameKey, validityProblem } from '../adapters/signers/certificate.js';
import { createSigner } from '../adapters/signers/create-signer.js';
import type { LocalSm2SignerConfig } from '../adapters/signers/local-sm2/config.js';
import type { SealSubject, Sm2Csr } from '../adapters/signers/local-sm2/csr.js';
import { installCertificate, sealRequest } from '../adapters/signers/local-sm2/seal-keys.js';
import {
  certificateDer,
  checkSeal,
  embeddedCertificate,
  sealListsCertificate,
} from '../adapters/signers/ses/check-seal.js';
import { makeSeal } from '../adapters/signers/ses/make-seal.js';
import { decodeSeal, type SesSeal } from '../adapters/signers/ses/seal-format.js';
import { type DescribedSigner, isDescribedSigner } from '../adapters/signers/signer.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { terminalLine } from '../core/terminal-text.js';
import { type SealStanding, standingVerdict } from './verify/seal-status.js';

function usage(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `seal: ${detail}`);
}

function localSigner(config: Readonly<Config>, name: string): LocalSm2SignerConfig {
  const signer = config.signers?.[name];
  if (!signer) {
    const known = Object.keys(config.signers ?? {}).join(', ') || 'none';
    throw new LicbridgeError(ErrorCodes.USAGE, `seal: unknown signer \`${name}\` (defined: ${known})`);
  }
  if (signer.kind !== 'local-sm2') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal: signer ${name} is \`${signer.kind}\`; its key lives on the signing server, which makes its own request`,
    );
  }
  return signer;
}

/**
 * The issuing unit the signer seals for: the pipelines that use it (one name and credit code), or
 * the pipeline named by `forPipeline` when the seal is new and no pipeline uses it yet.
 */
function subjectFor(
  config: Readonly<Config>,
  name: string,
  signer: LocalSm2SignerConfig,
  forPipeline: string | undefined,
): SealSubject {
  const issuers = new Map<string, { name: string; code: string }>();
  if (forPipeline !== undefined) {
    const p = config.pipelines[forPipeline];
    if (!p)
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `seal csr: unknown pipeline \`${terminalLine(forPipeline)}\``,
      );
    issuers.set('', p.issuer);
  }
  for (const p of forPipeline === undefined ? Object.values(config.pipelines) : []) {
    if (p.signer === name) issuers.set(`${p.issuer.name}\u0000${p.issuer.code}`, p.issuer);
  }
  const [issuer, ...others] = [...issuers.values()];
  if (!issuer) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal csr: no pipeline uses signer ${name} yet; name the pipeline whose issuing unit it seals for with --for <pipeline>`,
    );
  }
  if (others.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal csr: signer ${name} seals for ${issuers.size} issuing units (${[...issuers.values()].map((i) => i.code).join(', ')}); one seal belongs to one unit`,
    );
  }
  return { organization: issuer.name, creditCode: issuer.code, sealId: signer.sealId };
}

/** A PKCS#10 request (SM2 with SM3) for a local-sm2 signer's key, its subject from the config. */
export function sealCertificateRequest(
  config: Readonly<Config>,
  signerName: string,
  forPipeline: string | undefined,
): Sm2Csr {
  const signer = localSigner(config, signerName);
  return sealRequest(signerName, signer, subjectFor(config, signerName, signer, forPipeline));
}

/**
 * Checks the CA's certificate in `certificateFile` against a local-sm2 signer's key and installs
 * it at `to`, by default the signer's `certificate` path. Returns the certificate and where it went.
 */
export async function installSealCertificate(
  config: Readonly<Config>,
  signerName: string,
  certificateFile: string,
  to: string | undefined,
): Promise<{ certificate: SealCertificate; to: string }> {
  const signer = localSigner(config, signerName);
  const path = to ?? signer.certificate;
  if (path === undefined) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal install: signer ${signerName} has no \`certificate\` path; set it, or pass --to`,
    );
  }
  let pem: string;
  try {
    pem = await readFile(certificateFile, 'utf8');
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal install: cannot read ${certificateFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      { cause: e },
    );
  }
  const certificate = await installCertificate(signerName, signer, pem, certificateFile, path);
  return { certificate, to: path };
}

async function openSigner(config: Readonly<Config>, name: string): Promise<DescribedSigner> {
  const conf = config.signers[name];
  if (!conf) {
    throw usage(`unknown signer \`${name}\` (defined: ${Object.keys(config.signers).join(', ') || 'none'})`);
  }
  const signer = await createSigner(name, conf);
  // Refused or failed, it is closed here: nothing else would, and a local signer's threads (its
  // key with them) kept the command's process running after its error.
  try {
    await signer.open();
    if (!isDescribedSigner(signer)) throw usage(`signer ${name} cannot describe its key`);
    return signer;
  } catch (e) {
    await signer.close().catch(() => undefined);
    throw e;
  }
}

export interface SealToMake {
  /** The seal maker's signer (its certificate goes into the seal). */
  maker: string;
  /** The registered seal image (PNG file). */
  imageFile: string;
  /** The seal name, as registered. */
  name: string;
  /** Seal id (printable ASCII). */
  esId: string;
  /** Seal type code. */
  type: number;
  widthMm: number;
  heightMm: number;
  /** Vendor id written in the seal header. */
  vendorId: string;
  /** Replace an existing seal file. */
  force: boolean;
  now: Date;
}

/**
 * Makes the electronic seal of the config's seal `sealName` (its signer is the holder) and writes
 * its file atomically, so a failure leaves any earlier seal whole. Returns the file and the seal.
 */
export async function makeSealFile(
  config: Readonly<Config>,
  sealName: string,
  request: SealToMake,
): Promise<{ file: string; seal: SesSeal }> {
  const conf = config.seals?.[sealName];
  if (!conf)
    throw usage(
      `unknown seal \`${sealName}\` (defined: ${Object.keys(config.seals ?? {}).join(', ') || 'none'})`,
    );
  const exists = () => usage(`${conf.file} exists; pass --force to replace it`);
  // Looked for first too, so a seal there costs no maker's signature (a signing server's call).
  if (existsSync(conf.file) && !request.force) throw exists();
  let image: Buffer;
  try {
    image = await readFile(request.imageFile);
  } catch (e) {
    throw usage(`cannot read ${request.imageFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const holder = await openSigner(config, conf.signer);
  let maker: DescribedSigner = holder;
  try {
    // Opened inside: a maker that cannot be opened leaves the holder's signer to be closed below.
    if (request.maker !== conf.signer) maker = await openSigner(config, request.maker);
    const holderPem = holder.keyInfo().certificatePem;
    if (holderPem === null) throw usage(`the holder signer ${conf.signer} has no certificate`);
    const seal = await makeSeal({
      maker,
      holderCertificatePem: holderPem,
      image,
      name: request.name,
      esId: request.esId,
      type: request.type,
      widthMm: request.widthMm,
      heightMm: request.heightMm,
      vendorId: request.vendorId,
      now: request.now,
    });
    // Without --force the name is taken only if free when the seal is written, not only when it
    // was looked for above: a second `seal make` of the seal meanwhile replaced the first's seal.
    try {
      await writeFileAtomic(conf.file, seal.der, { exclusive: !request.force });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !request.force) throw exists();
      throw e;
    }
    return { file: conf.file, seal };
  } finally {
    try {
      await holder.close();
    } finally {
      if (maker !== holder) await maker.close();
    }
  }
}

/**
 * A seal file read and decoded; what goes wrong is told after `prefix` (the command, and the
 * seal's name where it has one).
 */
export async function decodeSealFile(file: string, prefix: string): Promise<SesSeal> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${prefix}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    return decodeSeal(bytes);
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.SIGNER_KEY,
      `${prefix}: ${file} is not a GB/T 38540 v4 seal: ${(e as Error).message}`,
    );
  }
}

/**
 * A seal file path, or else a seal named in the config, read and decoded. The config is loaded
 * only when `arg` is not a file, so a seal file can be shown without one.
 */
export async function readSeal(
  arg: string,
  loadConfig: () => Promise<Readonly<Config>>,
): Promise<{ seal: SesSeal; file: string }> {
  let file = arg;
  if (!existsSync(arg)) {
    const config = await loadConfig();
    const conf = config.seals?.[arg];
    if (!conf) throw usage(`\`${arg}\` is neither a seal file nor a seal of the config`);
    file = conf.file;
  }
  return { seal: await decodeSealFile(file, 'seal'), file };
}

export interface SealVerdict {
  /** Every reason the seal is not good at the moment checked; empty when it is. */
  problems: string[];
  /** What the verdict rests on without failing it (a seal revoked after that moment). */
  notes: string[];
  maker: SealCertificate | null;
}

/** Whether some holder the seal lists is trusted as a signer (its certificate, or a bare key of one). */
function trustedHolder(seal: SesSeal, trust: readonly TrustedMaterial[]): boolean {
  const signers = trust.filter((t) => t.role === undefined || t.role === 'signer');
  for (const t of signers) {
    if (t.certificate !== null && sealListsCertificate(seal, certificateDer(t.certificate.pem))) return true;
  }
  return seal.info.holderCertificates.some((der) => {
    const holder = embeddedCertificate(der, 'seal holder');
    return (
      holder !== null &&
      signers.some((t) => t.certificate === null && sameKey(t.publicKeyPem, holder.publicKeyPem))
    );
  });
}

/**
 * Why no certificate the seal lists is valid at `at`, or null when one is (or none can be read:
 * a list of digests names certificates only `trust` may hold). The seal states its own validity,
 * which `seal make` copies from the holder's certificate but a seal made elsewhere may make
 * longer: at a moment inside it and past every listed certificate the seal signs nothing
 * (SealSigner) and `verify --file` fails what it seals (the signer's certificate at signing time).
 */
function holderValidityProblem(seal: SesSeal, at: Date, trust: readonly TrustedMaterial[]): string | null {
  const listed: SealCertificate[] = [];
  for (const der of seal.info.holderCertificates) {
    const cert = embeddedCertificate(der, 'seal holder');
    if (cert !== null) listed.push(cert);
  }
  if (seal.info.holderCertificateDigests.length > 0)
    for (const t of trust)
      if (t.certificate !== null && sealListsCertificate(seal, certificateDer(t.certificate.pem)))
        listed.push(t.certificate);
  if (listed.length === 0) return null;
  const why: string[] = [];
  for (const cert of listed) {
    const problem = validityProblem(cert, at);
    if (problem === null) return null;
    why.push(`serial ${cert.serial} ${problem}`);
  }
  return `no certificate the seal lists is valid at ${at.toISOString()}: ${why.join('; ')}; it signs nothing then, and \`verify --file\` fails what it seals then`;
}

/**
 * A seal checked as `verify --file` checks the seal of a signature: its own checks at `at`
 * (maker's signature, validity), a certificate it lists valid at `at`, its maker trusted as a seal
 * maker, a holder trusted as a signer, and the config's status of it.
 */
export function verifySeal(
  seal: SesSeal,
  at: Date,
  trust: readonly TrustedMaterial[],
  standings: readonly SealStanding[],
): SealVerdict {
  const { problems, maker } = checkSeal(seal, at);
  if (maker) {
    const makerTrust = makerProblem(seal, maker, trust);
    if (makerTrust) problems.push(makerTrust);
  }
  // Outside the seal's own validity checkSeal has said so already.
  const t = at.getTime();
  if (t >= seal.info.validFrom.getTime() && t <= seal.info.validTo.getTime()) {
    const holderValidity = holderValidityProblem(seal, at, trust);
    if (holderValidity) problems.push(holderValidity);
  }
  if (!trustedHolder(seal, trust)) {
    problems.push(
      "untrusted holder: no certificate the seal lists is a configured signer's certificate nor in `trust` as a signer; files sealed with it fail `verify --file`",
    );
  }
  const status = standingVerdict(seal.info.esId, at, standings, 'checked');
  return { problems: [...problems, ...status.problems], notes: status.notes, maker };
}
