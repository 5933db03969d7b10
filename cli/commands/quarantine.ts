/**
 * `licbridge quarantine list|show|export`: the source rows that did not become licenses, as they
 * stand now, for the department to fix at the source (and `resolve`, quarantine-resolve.ts, for a
 * license at version 999). Values are shown as the ledger keeps them: masked where personal.
 */
import type { Command } from 'commander';
import { didYouMean } from '../../config/suggest.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { timeZoneProblem } from '../../core/time-zone.js';
import { writeOwnerOnlyFile } from '../../pipelines/owner-only-file.js';
import { worklistCsv, worklistHtml } from '../../pipelines/quarantine-export.js';
import { quarantineKeyHistory, quarantineWorklist, type Worklist } from '../../pipelines/quarantine-list.js';
import { explainedCodes, reasonText } from '../../pipelines/quarantine-reasons.js';
import { localTime } from '../../pipelines/reconcile/local-time.js';
import { reconcileSettings } from '../../pipelines/reconcile/settings.js';
import { loadCommandConfig } from '../context.js';
import { registerQuarantineResolve } from './quarantine-resolve.js';

interface ListOpts {
  pipeline?: string;
  reason?: string;
  json?: boolean;
  csv?: boolean;
  html?: boolean;
  tz?: string;
  lang: 'zh' | 'en';
}

/** The option's zone, by the rule and in the words of every zone check (core/time-zone.ts). */
function zoneOption(v: string): string {
  const problem = timeZoneProblem(v, '--tz');
  if (problem !== undefined) throw new LicbridgeError(ErrorCodes.USAGE, `quarantine: ${problem}`);
  return v;
}

/** Checked as the option is read, so a wrong value is refused whatever the output, before the config. */
function langOption(v: string): 'zh' | 'en' {
  if (v === 'zh' || v === 'en') return v;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `quarantine: expected \`--lang\` to be zh or en, got \`${terminalLine(v)}\``,
  );
}

/** One output at a time: with two, the first in the code's order won and the other was dropped unsaid. */
function checkOneOutput(opts: ListOpts): void {
  const given = (['json', 'csv', 'html'] as const).filter((k) => opts[k]).map((k) => `\`--${k}\``);
  if (given.length > 1)
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine list: ${given.join(' and ')} cannot be given together: choose one output`,
    );
}

function worklistJson(list: Worklist): unknown {
  return {
    count: list.entries.length,
    byReason: list.byReason,
    entries: list.entries.map((e) => ({
      ...e,
      firstSeen: e.firstSeen.toISOString(),
      lastSeen: e.lastSeen.toISOString(),
    })),
  };
}

/** The worklist for a terminal: one block per key, reasons in the chosen language. */
function worklistText(list: Worklist, zone: string, lang: 'zh' | 'en'): string {
  const out: string[] = [];
  for (const e of list.entries) {
    const seen =
      lang === 'zh'
        ? `首次 ${localTime(e.firstSeen, zone)}，最近 ${localTime(e.lastSeen, zone)}，共 ${e.timesSeen} 次`
        : `first ${localTime(e.firstSeen, zone)}, last ${localTime(e.lastSeen, zone)}, ${e.timesSeen}×`;
    // The pipeline and reason codes as the ledger holds them (another config's or version's, or an
    // edited ledger's): shown inert.
    out.push(`${terminalLine(e.sourceKey)}  (${terminalLine(e.pipeline)}; ${seen})`);
    for (const r of e.reasons) {
      const where = r.column ?? r.path;
      const value = r.value !== undefined ? ` = ${terminalLine(r.value)}` : '';
      out.push(
        `  ${terminalLine(r.code)}${where ? ` [${terminalLine(where)}${value}]` : ''}: ${lang === 'zh' ? r.zh : r.en}`,
      );
    }
  }
  const counts = Object.entries(list.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([code, n]) =>
        `  ${terminalLine(code)} ${n}  ${lang === 'zh' ? reasonText(code).zh : reasonText(code).en}`,
    );
  out.push(
    lang === 'zh'
      ? `共 ${list.entries.length} 条待处理的问题数据；按原因：`
      : `${list.entries.length} source rows to fix; by reason:`,
    ...counts,
  );
  return `${out.join('\n')}\n`;
}

/**
 * The worklist the filters select. `--reason` with a code licbridge gives no row for and no row on
 * the worklist holds (a typo: LB_HOLDERID_CHECK) is refused: an empty list read as "nothing to fix
 * for that reason". A code licbridge gives (or a schema code) with no row is an empty list.
 */
async function filteredWorklist(
  config: Readonly<Config>,
  opts: Pick<ListOpts, 'pipeline' | 'reason'>,
  command: string,
  keys: 'masked' | 'whole' = 'masked',
): Promise<Worklist> {
  const list = await quarantineWorklist(config, {
    ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
    keys,
  });
  if (!opts.reason || list.entries.length > 0) return list;
  const code = opts.reason.trim().toUpperCase();
  const known = explainedCodes();
  if (known.includes(code) || code.startsWith('LB_SCHEMA')) return list;
  // Any pipeline's rows: a code another pipeline's rows hold is a real one.
  const held = Object.keys((await quarantineWorklist(config, {})).byReason);
  if (held.some((c) => c.toUpperCase() === code)) return list;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `${command}: unknown \`--reason\` \`${terminalLine(opts.reason)}\`: no reason code licbridge gives, and no row on the worklist holds it${didYouMean(code, [...known, ...held])}`,
  );
}

function addFilters(cmd: Command): Command {
  return cmd
    .option('--pipeline <name>', 'only this pipeline')
    .option('--reason <code>', 'only rows with this reason code, e.g. LB_HOLDER_ID_CHECK')
    .option(
      '--tz <zone>',
      'time zone for the times shown (default: reconcile.timeZone, Asia/Shanghai)',
      zoneOption,
    )
    .option('--lang <lang>', 'language of the reasons on the terminal: zh or en', langOption, 'zh')
    .option('-c, --config <file>', 'config file');
}

export function registerQuarantineCommand(program: Command): void {
  const q = program
    .command('quarantine')
    .description('the worklist of source rows that did not become licenses, with what to fix at the source');

  addFilters(
    q
      .command('list')
      .description(
        'list the quarantined source rows as they stand now (one per source key), with counts by reason',
      )
      .option('--json', 'print JSON on stdout')
      .option('--csv', 'print CSV (UTF-8 with BOM, for Excel and WPS) on stdout')
      .option('--html', 'print a self-contained HTML page on stdout'),
  ).action(async (opts: ListOpts, cmd: Command) => {
    checkOneOutput(opts);
    const config = await loadCommandConfig(cmd);
    const zone = opts.tz ?? reconcileSettings({ config }).timeZone;
    const list = await filteredWorklist(config, opts, 'quarantine list');
    if (opts.json) process.stdout.write(`${terminalJson(worklistJson(list), 2)}\n`);
    else if (opts.csv) process.stdout.write(worklistCsv(list, zone));
    else if (opts.html) process.stdout.write(worklistHtml(list, zone));
    else process.stdout.write(worklistText(list, zone, opts.lang));
  });

  addFilters(
    q
      .command('export')
      .description(
        'write the worklist to a file for the department: CSV (default), HTML or JSON by --format or the file name',
      )
      .argument('<file>', 'file to write, e.g. quarantine.csv or quarantine.html')
      .option('--format <format>', 'csv, html or json (default: from the file name, else csv)'),
  ).action(async (file: string, opts: ListOpts & { format?: string }, cmd: Command) => {
    const config = await loadCommandConfig(cmd);
    const zone = opts.tz ?? reconcileSettings({ config }).timeZone;
    const format = opts.format ?? (/\.html?$/i.test(file) ? 'html' : /\.json$/i.test(file) ? 'json' : 'csv');
    if (!['csv', 'html', 'json'].includes(format)) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `quarantine export: expected \`--format\` csv, html or json, got \`${format}\``,
      );
    }
    // The department's file, owner-only: keys whole, to find each row by (the HTML page masks them).
    const list = await filteredWorklist(config, opts, 'quarantine export', 'whole');
    const body =
      format === 'csv'
        ? worklistCsv(list, zone)
        : format === 'html'
          ? worklistHtml(list, zone)
          : `${JSON.stringify(worklistJson(list), null, 2)}\n`;
    await writeOwnerOnlyFile(file, body, 'quarantine export');
    process.stdout.write(`${list.entries.length} rows written to ${terminalLine(file)}\n`);
  });

  q.command('show')
    .description("one source key's quarantine history, newest first, and whether it is on the list now")
    .argument('<key>', 'the source key')
    .option('--pipeline <name>', 'only this pipeline')
    .option(
      '--tz <zone>',
      'time zone for the times shown (default: reconcile.timeZone, Asia/Shanghai)',
      zoneOption,
    )
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (key: string, opts: { pipeline?: string; tz?: string; json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const zone = opts.tz ?? reconcileSettings({ config }).timeZone;
      const history = await quarantineKeyHistory(config, {
        sourceKey: key,
        ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
      });
      if (opts.json) {
        const records = history.records.map((r) => ({
          ...r,
          createdAt: r.createdAt.toISOString(),
          resolvedAt: r.resolvedAt?.toISOString() ?? null,
        }));
        process.stdout.write(`${terminalJson({ open: history.open, records }, 2)}\n`);
        return;
      }
      const lines = [
        `${terminalLine(key)}: ${history.open ? '待处理 (on the worklist)' : '已解决 (resolved: it maps cleanly now)'}`,
      ];
      for (const r of history.records) {
        const resolved = r.resolvedAt ? `, resolved ${localTime(r.resolvedAt, zone)}` : '';
        lines.push(
          `${localTime(r.createdAt, zone)}  run ${terminalLine(r.runId)} (${terminalLine(r.pipeline)})${resolved}`,
        );
        for (const reason of r.reasons) {
          const where = reason.column ?? reason.path;
          const value = reason.value !== undefined ? ` = ${terminalLine(reason.value)}` : '';
          lines.push(
            `  ${terminalLine(reason.code)}${where ? ` [${terminalLine(where)}${value}]` : ''}: ${reason.zh}`,
          );
          lines.push(`    ${reason.en}`);
          lines.push(`    ${terminalLine(reason.message)}`);
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  registerQuarantineResolve(q);
}
