/**
 * What the latest-record rule costs an export-folder read: the xml-files connector reading a
 * folder whole (two passes: find each key's newest record, then page out only those) against the
 * same files parsed once by the same record parser, with every record kept (the baseline: one
 * pass, no choice of record). The folder holds `files` daily exports; each key appears in about
 * `repeat` of them, as a licence changed and exported again would.
 * `node dist-bench/bench/xml-latest.js [keys] [files] [repeat]` — local files only, no network.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecords } from '../connectors/xml-files/records.js';
import { readExportMs } from './support/xml-read.js';

const KEYS = Number(process.argv[2] ?? 20_000);
const FILES = Number(process.argv[3] ?? 10);
const REPEAT = Number(process.argv[4] ?? 2);
const RECORD_PATH = 'Root/Records/Record';

function exportFile(day: number): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<Root><Records>\n'];
  for (let k = 1; k <= KEYS; k++) {
    // Key k is in REPEAT of the FILES files, spread over the days.
    if ((k + day) % Math.max(1, Math.floor(FILES / REPEAT)) !== 0) continue;
    out.push(
      `<Record><ID>${k}</ID><XKZBH>JY${String(k).padStart(14, '0')}</XKZBH><JYZMC>青岛海滨食品有限公司${k}</JYZMC><JYCS>青岛市黄岛区长江中路${k}号</JYCS><ZT>1</ZT><GXSJ>2026-11-${String(day + 1).padStart(2, '0')} 08:00:00</GXSJ></Record>\n`,
    );
  }
  out.push('</Records></Root>\n');
  return out.join('');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-bench-xml-'));
  try {
    const texts: string[] = [];
    for (let d = 0; d < FILES; d++) {
      const text = exportFile(d);
      texts.push(text);
      await writeFile(join(dir, `YSXK_202611${String(d + 1).padStart(2, '0')}.xml`), text);
    }
    const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };
    const runs = 3;
    let baselineMs = Number.POSITIVE_INFINITY;
    let records = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      records = 0;
      for (const text of texts) {
        const parsed = parseRecords(text, RECORD_PATH.split('/'), () => true);
        if (parsed.ok) records += parsed.file.records.length;
      }
      baselineMs = Math.min(baselineMs, performance.now() - t0);
    }
    const { ms: latestMs, rows } = await readExportMs(dir, RECORD_PATH, stream, runs);
    const recordsPerSec = Math.round(records / (latestMs / 1000));
    const ratio = Math.round((baselineMs / latestMs) * 100) / 100;
    console.log(
      `xml-files read with the latest-record rule (${FILES} files, ${records} records, ${rows} distinct keys)`,
    );
    console.log(`cores ${availableParallelism()}, load ${loadavg()[0]?.toFixed(1)}; best of ${runs}`);
    console.log('| what | ms | records/s |');
    console.log('| --- | --- | --- |');
    console.log(
      `| baseline: parse every file once, keep every record | ${baselineMs.toFixed(0)} | ${Math.round(records / (baselineMs / 1000))} |`,
    );
    console.log(
      `| connector: two passes, newest record per key | ${latestMs.toFixed(0)} | ${recordsPerSec} |`,
    );
    console.log(`| ratio (baseline time / connector time) | ${ratio} | |`);
    console.log(
      JSON.stringify({
        files: FILES,
        records,
        distinctKeys: rows,
        baselineMs: Math.round(baselineMs),
        latestMs: Math.round(latestMs),
        recordsPerSec,
        ratio,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
