/** A seal as text for people (`licbridge seal show`): what it is, who holds it, who made it, when it is valid. */

import { embeddedCertificate } from './check-seal.js';
import { pngSize } from './png.js';
import type { SesSeal } from './seal-format.js';

export interface SealDescription {
  esId: string;
  name: string;
  type: number;
  vendorId: string;
  createdAt: string;
  validFrom: string;
  validTo: string;
  picture: { type: string; bytes: number; widthMm: number; heightMm: number; pixels: string | null };
  holders: { serial: string; subject: string }[];
  holderDigests: { type: string; hex: string }[];
  maker: { serial: string; subject: string } | null;
  signAlgorithm: string;
  bytes: number;
}

export function describeSeal(seal: SesSeal): SealDescription {
  const { info } = seal;
  const px = pngSize(info.picture.data);
  const cert = (der: Uint8Array) => {
    const c = embeddedCertificate(der, 'seal');
    return c
      ? { serial: c.serial, subject: c.subject }
      : { serial: '?', subject: 'not a readable certificate' };
  };
  const maker = embeddedCertificate(seal.makerCertificate, 'seal maker');
  return {
    esId: info.esId,
    name: info.name,
    type: info.type,
    vendorId: info.vendorId,
    createdAt: info.createdAt.toISOString(),
    validFrom: info.validFrom.toISOString(),
    validTo: info.validTo.toISOString(),
    picture: {
      type: info.picture.type,
      bytes: info.picture.data.length,
      widthMm: info.picture.widthMm,
      heightMm: info.picture.heightMm,
      pixels: px ? `${px.width}x${px.height}` : null,
    },
    holders: info.holderCertificates.map(cert),
    holderDigests: info.holderCertificateDigests.map((d) => ({
      type: d.type,
      hex: Buffer.from(d.value).toString('hex'),
    })),
    maker: maker ? { serial: maker.serial, subject: maker.subject } : null,
    signAlgorithm: seal.signAlgorithm,
    bytes: seal.der.length,
  };
}

export function sealText(d: SealDescription): string {
  const lines = [
    `seal ${d.esId} "${d.name}" (type ${d.type}, GB/T 38540 v4, vendor ${d.vendorId}, ${d.bytes} bytes)`,
    `  valid     ${d.validFrom} to ${d.validTo} (made ${d.createdAt})`,
    `  picture   ${d.picture.type}, ${d.picture.widthMm} x ${d.picture.heightMm} mm, ${d.picture.bytes} bytes${d.picture.pixels ? `, ${d.picture.pixels} px` : ''}`,
    ...d.holders.map((h) => `  holder    certificate serial ${h.serial}: ${h.subject}`),
    ...d.holderDigests.map((h) => `  holder    certificate ${h.type} digest ${h.hex}`),
    `  maker     ${d.maker ? `certificate serial ${d.maker.serial}: ${d.maker.subject}` : 'certificate not readable'}`,
    `  signed    ${d.signAlgorithm}`,
  ];
  return `${lines.join('\n')}\n`;
}
