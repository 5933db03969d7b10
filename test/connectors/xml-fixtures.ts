/** Export files for the xml-files tests, written the way legacy export tools write them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { expect } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import type { ConnectorStatePort } from '../../connectors/state-port.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';

export const RECORD_PATH = 'Root/Records/Record';

export type ExportRecord = Record<string, string | null>;

const escapeXml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The XML text of an export: `<Root><Records><Record><F>v</F>…` — a null value is left out. */
export function exportXml(records: readonly ExportRecord[], declaredEncoding = 'UTF-8'): string {
  const body = records
    .map((r) => {
      const fields = Object.entries(r)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `<${k}>${escapeXml(v as string)}</${k}>`)
        .join('');
      return `    <Record>${fields}</Record>\n`;
    })
    .join('');
  return `<?xml version="1.0" encoding="${declaredEncoding}"?>\n<Root>\n  <Records>\n${body}  </Records>\n</Root>\n`;
}

/** Writes an export file; `gbk` encodes it as GBK bytes, as Access-era exports are. */
export async function writeExport(
  dir: string,
  name: string,
  records: readonly ExportRecord[],
  options: { encoding?: 'utf-8' | 'gbk'; declare?: string } = {},
): Promise<string> {
  const encoding = options.encoding ?? 'utf-8';
  const text = exportXml(records, options.declare ?? (encoding === 'gbk' ? 'GBK' : 'UTF-8'));
  const path = join(dir, name);
  await writeFile(path, encoding === 'gbk' ? iconv.encode(text, 'gbk') : text);
  return path;
}

/** The connector state store (the files-read record), in memory: a ledger's, without the ledger. */
export function memoryState(): ConnectorStatePort {
  const entries = new Map<string, Map<string, string>>();
  return {
    async stateEntries(source, scope) {
      return [...(entries.get(`${source}\u0000${scope}`) ?? new Map<string, string>())].map(
        ([key, value]) => ({ key, value }),
      );
    },
    async putStateEntry(source, scope, key, value) {
      const id = `${source}\u0000${scope}`;
      if (!entries.has(id)) entries.set(id, new Map());
      entries.get(id)?.set(key, value);
    },
  };
}

export function tempFolder(prefix = 'licbridge-xml-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function xmlConfig(folder: string, overrides: Partial<SourceConfig> = {}): SourceConfig {
  return {
    kind: 'xml-files',
    path: folder,
    recordPath: RECORD_PATH,
    trim: 'all',
    pageSize: 500,
    ...overrides,
  };
}

/**
 * The demo's legacy rows as an export tool writes them: one record per row, every value as text,
 * a NULL as an empty element (null to the connector), so every record names every column.
 */
export function legacyExportRecords(
  legacyDb: string,
  fromId = 1,
  toId = Number.MAX_SAFE_INTEGER,
): ExportRecord[] {
  const db = new Database(legacyDb, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT * FROM T_SPXK_XKZ WHERE ID BETWEEN ? AND ? ORDER BY ID')
      .all(fromId, toId);
    return (rows as Record<string, unknown>[]).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])),
    );
  } finally {
    db.close();
  }
}

/** Every row `source` reads of its records (keyed by `ID`, ten a page), the source closed after. */
export async function rowsOfExport(source: ReturnType<typeof openXmlFilesSource>): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    }))
      rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

/**
 * The first row the connector reads from an export holding one record whose inner XML is
 * `record` (written as given, unescaped), keyed by `ID`; `folders` collects the folder to remove.
 */
export async function firstRowOfRecord(record: string, folders: string[]): Promise<SourceRow | undefined> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), `<Root><Records><Record>${record}</Record></Records></Root>`);
  return (await rowsOfExport(openXmlFilesSource('food', xmlConfig(dir))))[0];
}

/**
 * The error the connector fails with reading an export (`E001.xml`) of one record whose inner XML
 * is `<ID>1</ID>` and `record` (written as given: not well-formed on purpose); it must be a
 * LicbridgeError. `folders` collects the folder to remove.
 */
export async function parseErrorOfRecord(record: string, folders: string[]): Promise<Error> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(
    join(dir, 'E001.xml'),
    `<Root><Records><Record><ID>1</ID>${record}</Record></Records></Root>`,
  );
  const source = openXmlFilesSource('food', xmlConfig(dir));
  let error: unknown = null;
  try {
    for await (const _ of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    }));
  } catch (e) {
    error = e;
  }
  await source.close();
  expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
  return error as Error;
}
