/**
 * A license face as a picture: a ledger license's latest version, or a sample license of a type
 * (to see a template before any data exists), laid out by the same code that writes the OFD
 * and drawn as PNG. The seal box shows a configured seal's registered picture, or an outline.
 */

import type { FaceLayout } from '../adapters/documents/face/layout.js';
import { layoutFace } from '../adapters/documents/face/layout.js';
import { type FacePng, renderFacePng } from '../adapters/documents/picture/face-png.js';
import type { SealPicture } from '../adapters/documents/picture/face-svg.js';
import { type Catalog, type CatalogEntry, loadCatalog } from '../catalog/catalog.js';
import { identifierBuilder } from '../catalog/identifier.js';
import type { CodedName, License } from '../catalog/license.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { terminalLine } from '../core/terminal-text.js';
import { catalogStampFitProblem } from './catalog-stamp-fit.js';
import { openConfigLedger } from './config-ledger.js';
import { latestVersion } from './latest-version.js';
import { decodeSealFile } from './seals.js';

type JsonSchema = Record<string, unknown>;

/** A caption standing for a field's value: its description up to the first comma, else its name. */
function placeholder(name: string, schema: JsonSchema): string {
  const description =
    typeof schema.description === 'string' ? schema.description.split(/[,，(（]/)[0]?.trim() : '';
  return `〔${description || name}〕`;
}

/** A value of the schema's shape: its first example or enum value, else a caption or a minimum. */
export function sampleValue(name: string, schema: JsonSchema, today: string): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('const' in schema) return schema.const;
  switch (schema.type) {
    case 'string':
      return schema.format === 'date' ? today : placeholder(name, schema);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array': {
      // A list's items are captioned by the list's description when they have none of their own.
      const items = {
        description: schema.description,
        ...((schema.items ?? { type: 'string' }) as JsonSchema),
      };
      const count = Math.max(2, typeof schema.minItems === 'number' ? schema.minItems : 0);
      return Array.from({ length: count }, (_, i) => {
        const v = sampleValue(name, items, today);
        return typeof v === 'string' && v.startsWith('〔') ? `${v.slice(0, -1)}${i + 1}〕` : v;
      });
    }
    case 'object':
      return sampleObject(schema, today);
    default:
      return placeholder(name, schema);
  }
}

function sampleObject(schema: JsonSchema, today: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, sub] of Object.entries(properties)) out[key] = sampleValue(key, sub, today);
  return out;
}

/**
 * A validity's last day: the day before the same date `years` on (lifecycle counts a license valid
 * to the end of its `validTo` day), as the demo data are dated (examples/west-coast/generate-legacy-db.ts).
 * Issued 29 February, a common year's term ends 28 February, the day before 1 March; taken as 28
 * February minus one day, it ended on the 27th, a day of the validity lost.
 */
function lastDayAfter(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * A sample license of a catalog type: captions for the holder and every face field (or the
 * schema's examples), today's issue date, a validity from the entry's `validity` (`5年`), and a
 * well-formed identifier of the issuer (serial all zeros) for the QR code.
 */
export function sampleLicense(entry: CatalogEntry, issuer: CodedName, today: string): License {
  const years = /^(\d+)\s*年$/.exec(entry.validity ?? '');
  return {
    identifier: identifierBuilder(entry.code, issuer.code).identifier('0'.repeat(20), 1),
    number: '〔证照编号〕',
    type: { name: entry.name, code: entry.code },
    issuer: { name: issuer.name, code: issuer.code },
    issueDate: today,
    validFrom: today,
    validTo: years ? lastDayAfter(today, Number(years[1])) : null,
    areaCode: '000000',
    holder: { name: '〔持证主体名称〕', idType: '001', id: '〔持证主体代码〕' },
    status: 'valid',
    surface: sampleObject(entry.surface as JsonSchema, today),
  };
}

export function faceTemplateOf(catalog: Catalog, typeCode: string): NonNullable<CatalogEntry['face']> {
  const entry = catalog.get(typeCode);
  if (!entry) {
    throw new LicbridgeError(ErrorCodes.USAGE, `render: license type ${typeCode} is not in the catalog`);
  }
  if (!entry.face) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `render: ${entry.file}: license type ${typeCode} (${entry.name}) has no face template (\`face:\`)`,
    );
  }
  return entry.face;
}

export interface RenderedFace extends FacePng {
  layout: FaceLayout;
}

/** Lays out the license on its type's template and draws it. */
export async function renderLicenseFace(
  catalog: Catalog,
  license: License,
  options: { dpi?: number; fontFiles?: readonly string[]; seal?: SealPicture | null },
): Promise<RenderedFace> {
  const layout = layoutFace(faceTemplateOf(catalog, license.type.code), license);
  return { layout, ...(await renderFacePng(layout, options)) };
}

function renderUsage(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `render: ${detail}`);
}

/** A catalog entry by its type code or its name; a name several entries share is refused. */
function entryOf(catalog: Catalog, type: string): CatalogEntry {
  const named = catalog.entries().filter((e) => e.name === type);
  const entry = catalog.get(type) ?? named[0];
  if (!catalog.get(type) && named.length > 1) {
    // One license type under a legal-person and a natural-person code: the name alone draws either.
    const codes = named.map((e) => `${e.code} (${e.holderCategory}, ${e.file})`).join(', ');
    throw renderUsage(`license type name \`${type}\` is shared by ${codes}: pass the code to --sample`);
  }
  if (!entry) {
    const known = catalog
      .entries()
      .map((e) => `${e.code} (${e.name})`)
      .join(', ');
    throw renderUsage(`no license type \`${type}\` in the catalog (known: ${known || 'none'})`);
  }
  return entry;
}

/** The issuer a sample carries: the named pipeline's, else the first pipeline's of the type, else the defining body. */
function sampleIssuer(config: Readonly<Config>, entry: CatalogEntry, pipeline?: string): CodedName {
  if (pipeline !== undefined) {
    const p = config.pipelines[pipeline];
    if (!p) throw renderUsage(`no pipeline \`${pipeline}\` in the config`);
    return p.issuer;
  }
  const p = Object.values(config.pipelines).find((q) => q.licenseType === entry.code);
  return p ? p.issuer : entry.defineAuthority;
}

async function sealPicture(config: Readonly<Config>, name: string): Promise<SealPicture> {
  const conf = config.seals[name];
  if (!conf) {
    throw renderUsage(
      `no seal \`${name}\` in the config (defined: ${Object.keys(config.seals).join(', ') || 'none'})`,
    );
  }
  const { picture } = (await decodeSealFile(conf.file, `render: seal ${name}`)).info;
  return { type: picture.type, data: picture.data, widthMm: picture.widthMm, heightMm: picture.heightMm };
}

async function ledgerLicense(config: Readonly<Config>, licenseId: string, logger: Logger): Promise<License> {
  const ledger = await openConfigLedger(config, { logger });
  try {
    const version = await latestVersion(ledger, licenseId);
    if (!version) throw renderUsage(`no license \`${terminalLine(licenseId)}\` in the ledger`);
    return version.payload;
  } finally {
    await ledger.close();
  }
}

export interface RenderRequest {
  /** A ledger license: its latest version is drawn. One of `licenseId` and `sample`. */
  licenseId?: string;
  /** A sample license of this type (code or name). */
  sample?: string;
  /** With `sample`: whose issuer the sample carries. */
  pipeline?: string;
  /** A seal of the config whose registered picture fills the seal box. */
  seal?: string;
  /** The sample's issue date, YYYY-MM-DD. */
  today: string;
  dpi?: number;
  fontFiles?: readonly string[];
}

/** `licbridge render`: the license the request names, laid out and drawn. */
export async function renderRequested(
  config: Readonly<Config>,
  request: RenderRequest,
  logger: Logger,
): Promise<{ license: License; rendered: RenderedFace }> {
  const catalog = await loadCatalog(config.catalog);
  let license: License;
  if (request.sample !== undefined) {
    const entry = entryOf(catalog, request.sample);
    license = sampleLicense(entry, sampleIssuer(config, entry, request.pipeline), request.today);
  } else {
    license = await ledgerLicense(config, request.licenseId as string, logger);
  }
  const seal = request.seal !== undefined ? await sealPicture(config, request.seal) : null;
  if (seal !== null) {
    // Refused when the stamp would reach past the page, as `sign files` refuses it.
    const { widthMm = 0, heightMm = 0 } = seal;
    const problem = catalogStampFitProblem(catalog, license.type.code, {
      name: request.seal as string,
      widthMm,
      heightMm,
    });
    if (problem !== null) throw renderUsage(problem);
  }
  const rendered = await renderLicenseFace(catalog, license, {
    ...(request.dpi !== undefined ? { dpi: request.dpi } : {}),
    ...(request.fontFiles !== undefined ? { fontFiles: request.fontFiles } : {}),
    seal,
  });
  return { license, rendered };
}
