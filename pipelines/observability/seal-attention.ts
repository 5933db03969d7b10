/**
 * The configured electronic seals (GB/T 38540, `seals:`) as `licbridge status` judges them. A
 * seal has a validity of its own, copied from its holder's certificate when it was made (art. 10),
 * and lists the certificate it was made for: `sign files` refuses a seal outside its validity or
 * one that does not list its signer's certificate (adapters/signers/ses/seal-signer.ts). Status
 * judged only the signers' certificates, so a unit that renewed its certificate as status asked
 * saw nothing more to do, while its seal still listed the old certificate and ended with it:
 * `sign files` then refused every page and the versions piled up as owed files. Read from local
 * files only (the seal file, the signer's configured certificate); a seal file not made yet, or a
 * seal marked revoked or lost (it signs nothing, by design), is passed over.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readCertificate } from '../../adapters/signers/certificate.js';
import { certificateDer, sealListsCertificate } from '../../adapters/signers/ses/check-seal.js';
import { decodeSeal, type SesSeal } from '../../adapters/signers/ses/seal-format.js';
import type { Config } from '../../config/types.js';
import { zonedTime } from '../../core/zoned-time.js';
import { sealMakeCommand } from '../seal-maker-trust.js';
import { type Attention, RENEW_AHEAD_MS } from './attention.js';

const DAY_MS = 24 * 3600 * 1000;

/** What to do about a seal that no longer serves: the command that makes it again. */
function remake(name: string): string {
  return `make it again for the holder's certificate in force, with its registered image and name (\`${sealMakeCommand(name, "<seal maker's signer>")}\`)`;
}

/**
 * Attention for each active seal of the config that `sign files` refuses now, or soon will; its
 * dates on the clock of `tz` (`lifecycle.timeZone`), where a validity ending at 04:30 in Beijing
 * would read in UTC as ending the day before.
 */
export function sealAttention(
  config: Readonly<Pick<Config, 'seals' | 'signers'>>,
  now: Date,
  tz: string,
): Attention[] {
  const at = (d: Date) => zonedTime(d.toISOString(), tz);
  const out: Attention[] = [];
  for (const [name, conf] of Object.entries(config.seals ?? {})) {
    if (conf.status !== 'active' || !existsSync(conf.file)) continue;
    let seal: SesSeal;
    try {
      seal = decodeSeal(readFileSync(conf.file));
    } catch (e) {
      out.push({
        kind: 'certificate',
        message: `seal ${name}: ${conf.file} is not a GB/T 38540 seal (${(e as Error).message}); \`sign files\` refuses it: ${remake(name)}`,
      });
      continue;
    }
    const said = (what: string) => ({
      kind: 'certificate' as const,
      message: `seal ${name} (${seal.info.esId}) ${what}`,
    });
    const { validFrom, validTo } = seal.info;
    const left = validTo.getTime() - now.getTime();
    if (validFrom.getTime() > now.getTime()) {
      out.push(said(`is valid only from ${at(validFrom)}; \`sign files\` refuses it before then`));
    } else if (left < 0) {
      out.push(said(`expired on ${at(validTo)}; \`sign files\` refuses it: ${remake(name)}`));
      continue;
    } else if (left <= RENEW_AHEAD_MS) {
      out.push(
        said(
          `expires on ${at(validTo)} (in ${Math.ceil(left / DAY_MS)} day(s)), with the certificate it was made for; once the renewed certificate is installed, ${remake(name)}`,
        ),
      );
    }
    const certificate = config.signers[conf.signer]?.certificate;
    if (certificate === undefined) continue;
    let listed: boolean;
    let serial: string;
    try {
      const cert = readCertificate(conf.signer, certificate);
      serial = cert.serial;
      listed = sealListsCertificate(seal, certificateDer(cert.pem));
    } catch {
      // An unreadable certificate is reported by the signer's own check (certificateAttention).
      continue;
    }
    if (!listed) {
      out.push(
        said(
          `does not list the certificate of its signer ${conf.signer} (serial ${serial}), renewed since the seal was made; \`sign files\` refuses it: ${remake(name)}`,
        ),
      );
    }
  }
  return out;
}
