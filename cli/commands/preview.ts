/**
 * `licbridge preview <pipeline> [--limit N] [--json]`: maps the first N live rows of a pipeline's
 * stream through its mapping, the catalog and the identifier, and shows each source row beside
 * the license it becomes, or every reason it would be quarantined. Writes nothing: no ledger, no
 * queue, no checkpoint; the source is only read. Personal data is masked unless --show-personal.
 */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/catalog.js';
import { isPersonalPathFor, maskPersonal, showValue } from '../../catalog/personal.js';
import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceRow } from '../../connectors/source.js';
import type { XmlFilesSource } from '../../connectors/xml-files/xml-source.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalSafe } from '../../core/terminal-text.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import type { MapReason } from '../../mappings/types.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { loadCommandConfig } from '../context.js';

interface PreviewRow {
  key: string;
  source: Record<string, string | null>;
  license?: Record<string, unknown>;
  failures?: MapReason[];
}

/** Every leaf of a license as [path, value]; lists of plain values stay one entry. */
function flatten(value: unknown, prefix: string, out: [string, unknown][]): [string, unknown][] {
  const plainList = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
  if (value !== null && typeof value === 'object' && !plainList) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, value]);
  return out;
}

/** A legal person's name and credit code are public: masked only for natural persons (catalog/personal.ts). */
function masked(path: string, value: unknown, show: boolean, holderIdType: unknown): unknown {
  if (show || typeof value !== 'string' || !isPersonalPathFor(path, holderIdType)) return value;
  return maskPersonal(path, value);
}

/** A reason with the source value of its column in clear (`--show-personal`). */
function unmasked(
  reason: MapReason,
  values: Readonly<Record<string, unknown>>,
  origins: Readonly<Record<string, { column?: string }>>,
): MapReason {
  if (reason.value === undefined) return reason;
  const column = reason.column ?? (reason.path ? origins[reason.path]?.column : undefined);
  if (column === undefined || column.includes(',') || !(column in values)) return reason;
  const value = showValue(column, values[column], false);
  return value === undefined ? reason : { ...reason, value };
}

interface Window {
  limit: number;
  offset: number;
  /** An export file of an xml-files source: its own records, every one of them, in document order. */
  file?: string;
}

async function readRows(config: Readonly<Config>, pipeline: string, window: Window): Promise<SourceRow[]> {
  const p = config.pipelines[pipeline] as Config['pipelines'][string];
  const source = await openSource(p.source, config.sources[p.source] as Config['sources'][string]);
  const { limit, offset } = window;
  try {
    if (window.file !== undefined) {
      // Only export folders have files; the connector is loaded lazily, so ask it, not its class.
      const files = source as SourceConnector & Partial<Pick<XmlFilesSource, 'fileRows'>>;
      if (!files.fileRows) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `preview: \`--file\` names an export file, but source ${p.source} is of kind \`${source.kind}\` (only xml-files sources have files)`,
        );
      }
      return (await files.fileRows(p.stream, window.file)).slice(offset, offset + limit);
    }
    const rows: SourceRow[] = [];
    let skipped = 0;
    // No ledger is attached and `record: false`: a preview reads, it never marks anything read.
    for await (const page of source.read({
      stream: p.stream,
      after: null,
      pageSize: Math.min(limit + offset, 5000),
      record: false,
    })) {
      let from = 0;
      if (skipped < offset) {
        from = Math.min(offset - skipped, page.rows.length);
        skipped += from;
      }
      rows.push(...page.rows.slice(from, from + limit - rows.length));
      if (rows.length >= limit) break;
    }
    return rows;
  } finally {
    await source.close();
  }
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `preview: expected \`${flag}\` to be an integer from ${min} to ${max}, got \`${text}\``,
    );
  }
  return n;
}

// CJK and full-width characters take two terminal columns.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function printRow(row: PreviewRow, index: number): void {
  // Keys, column names and values are the department's text: none of it may steer the terminal.
  const out = { write: (text: string) => process.stdout.write(terminalSafe(text)) };
  out.write(`── row ${index + 1} · key ${row.key} ${row.failures ? '· QUARANTINED' : '· ok'}\n`);
  const left = Object.entries(row.source).map(
    ([k, v]) => `${k} = ${v === null ? 'null' : JSON.stringify(v)}`,
  );
  const right = row.license
    ? flatten(row.license, '', []).map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    : ['(no license)'];
  const width = Math.min(60, Math.max(20, ...left.map(displayWidth)));
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const shown = cut(left[i] ?? '', width);
    out.write(`  ${shown}${' '.repeat(Math.max(0, width - displayWidth(shown)))}  │ ${right[i] ?? ''}\n`);
  }
  for (const f of row.failures ?? []) {
    const where = [f.path, f.column ? `column ${f.column}` : undefined, f.location]
      .filter(Boolean)
      .join(', ');
    out.write(
      `  ✗ ${f.code}${where ? ` (${where})` : ''}${f.value === undefined ? '' : ` value ${f.value}`}\n`,
    );
    out.write(`      ${f.message}\n`);
  }
  out.write('\n');
}

export function registerPreviewCommand(program: Command): void {
  program
    .command('preview')
    .description('map the first rows of a pipeline and show source and license side by side; writes nothing')
    .argument('<pipeline>', 'the pipeline to preview')
    .option('--limit <n>', 'rows to show (1-1000)', '10')
    .option('--offset <n>', 'rows to skip first, to reach rows past the first 1000', '0')
    .option(
      '--file <name>',
      'xml-files sources: the records of this export file (read or not), in document order',
    )
    .option('--json', 'print JSON')
    .option('--show-personal', 'show names and ID numbers unmasked (they are masked by default)')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        pipeline: string,
        opts: { limit: string; offset: string; file?: string; json?: boolean; showPersonal?: boolean },
        cmd,
      ) => {
        const limit = wholeNumber('--limit', opts.limit, 1, 1000);
        const offset = wholeNumber('--offset', opts.offset, 0, Number.MAX_SAFE_INTEGER);
        const config = await loadCommandConfig(cmd);
        const p = config.pipelines[pipeline];
        if (!p) {
          const known = Object.keys(config.pipelines).join(', ') || 'none';
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `preview: unknown pipeline \`${pipeline}\` (defined: ${known})`,
          );
        }
        const [catalog, mapping] = await Promise.all([
          loadCatalog(config.catalog),
          compileMapping(p.mapping),
        ]);
        const mapper = createLicenseMapper({
          pipeline,
          sourceName: p.source,
          mapping,
          catalog,
          licenseType: p.licenseType,
          issuer: p.issuer,
          configFile: config.file,
          ...(p.areaCode === undefined ? {} : { areaCode: p.areaCode }),
          // As a run maps them: a license past its date is previewed as expired (derived expiry).
          ...(p.expiry === false ? {} : { today: lifecycleToday(config) }),
        });
        const show = Boolean(opts.showPersonal);
        const personal = new Set(mapping.personalColumns);
        // A source column is masked the way the license path it feeds is (names keep one char).
        const feeds = (column: string): string =>
          Object.entries(mapping.origins).find(([, o]) => o.column?.split(',').includes(column))?.[0] ??
          column;
        const rows: PreviewRow[] = (
          await readRows(config, pipeline, {
            limit,
            offset,
            ...(opts.file === undefined ? {} : { file: opts.file }),
          })
        ).map((row) => {
          const source: Record<string, string | null> = {};
          for (const column of mapping.columns) {
            const value = row.values[column];
            if (value === undefined) continue;
            const text = showValue(column, value, false) ?? null;
            source[column] =
              !show && personal.has(column) && text !== null && value !== null
                ? maskPersonal(feeds(column), text)
                : text;
          }
          const result = mapper(row, 'preview');
          if (!result.ok) {
            // Reasons keep values masked (the ledger stores them); --show-personal shows the row's own.
            const failures = show
              ? result.reasons.map((r) => unmasked(r, row.values, mapping.origins))
              : result.reasons;
            return { key: row.key, source, failures };
          }
          const license = result.candidate.build(1) as unknown as Record<string, unknown>;
          const idType = (license.holder as { idType?: unknown } | undefined)?.idType;
          const shown = Object.fromEntries(
            flatten(license, '', []).map(([k, v]) => [k, masked(k, v, show, idType)]),
          );
          return { key: row.key, source, license: shown };
        });
        const quarantined = rows.filter((r) => r.failures).length;
        const counts = { read: rows.length, ok: rows.length - quarantined, quarantined };
        if (opts.json) {
          process.stdout.write(
            `${terminalJson({ pipeline, catalogVersion: catalog.version, mappingVersion: mapping.version, counts, rows })}\n`,
          );
          return;
        }
        rows.forEach(printRow);
        process.stdout.write(
          `${pipeline}: ${counts.read} row(s) read, ${counts.ok} map to licenses, ${counts.quarantined} would be quarantined; nothing was written\n`,
        );
      },
    );
}
