/**
 * What the xml-files written-order check holds and costs when it is on (files whose names and
 * modification times disagree): one entry per key of the files read, beside the read's own map of
 * each key's latest record (order.ts), the baseline measured in the same run on the same parsed
 * records. Prints heap bytes per key held after a full GC, and CPU ns per record added.
 * `node dist-bench/bench/xml-written-order.js [keys]` — parsing only, no files, no network.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { recordCursor, recordKey } from '../connectors/xml-files/record-rows.js';
import { parseRecords, type XmlRecord } from '../connectors/xml-files/records.js';
import { WrittenTies } from '../connectors/xml-files/written-order.js';

const KEYS = Number(process.argv[2] ?? 200_000);
const PER_FILE = 20_000;
const stream = { table: 'Root/Records/Record', key: 'ID', cursor: 'GXSJ' };

setFlagsFromString('--expose-gc');
const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

function exportFile(from: number, to: number): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<Root><Records>\n'];
  for (let k = from; k < to; k++) {
    out.push(
      `<Record><ID>${k}</ID><XKZBH>JY${String(k).padStart(14, '0')}</XKZBH><JYZMC>青岛海滨食品有限公司${k}</JYZMC><JYCS>青岛市黄岛区长江中路${k}号</JYCS><ZT>1</ZT><GXSJ>2026-11-01 08:00:00</GXSJ></Record>\n`,
    );
  }
  out.push('</Records></Root>\n');
  return out.join('');
}

// Files named against their written order, as the check sees them when it is on.
const files: { file: { name: string; mtimeMs: number }; records: readonly XmlRecord[] }[] = [];
for (let f = 0; f * PER_FILE < KEYS; f++) {
  const parsed = parseRecords(
    exportFile(f * PER_FILE, Math.min(KEYS, (f + 1) * PER_FILE)),
    stream.table.split('/'),
    () => true,
  );
  if (!parsed.ok) throw new Error(`bench: ${parsed.reason}`);
  files.push({ file: { name: `SPXK_${f}.xml`, mtimeMs: 1_000_000 - f }, records: parsed.file.records });
}

/** Heap held by what `fill` builds from every record, and the CPU it took. */
function held(fill: (file: { name: string; mtimeMs: number }, r: XmlRecord) => void, size: () => number) {
  const before = heap();
  const cpu = process.cpuUsage();
  for (const { file, records } of files) for (const r of records) fill(file, r);
  const used = process.cpuUsage(cpu);
  const bytes = heap() - before;
  if (size() !== KEYS) throw new Error(`bench: ${size()} keys held, not ${KEYS}`);
  return { bytes, used };
}

const rows: [string, ReturnType<typeof held>][] = [];
for (let round = 0; round < 2; round++) {
  let latest: Map<string, { cursor: string | null; file: string; index: number; sha256: string }> | null =
    new Map();
  rows.push([
    "the read's latest-record map (baseline)",
    held(
      (file, r) => {
        const key = recordKey(stream, file.name, r);
        latest?.set(key, {
          cursor: recordCursor(stream, r),
          file: file.name,
          index: r.index,
          sha256: file.name,
        });
      },
      () => latest?.size ?? 0,
    ),
  ]);
  latest = null;
  let ties: WrittenTies | null = new WrittenTies();
  rows.push([
    'the written-order check',
    held(
      (file, r) => {
        ties?.add(recordKey(stream, file.name, r), recordCursor(stream, r), file, r);
      },
      () => ties?.size ?? 0,
    ),
  ]);
  ties = null;
}

const perKey = (bytes: number) => (bytes / KEYS).toFixed(0);
const perRecord = (u: NodeJS.CpuUsage) => (((u.user + u.system) * 1000) / KEYS).toFixed(0);
console.log(`keys ${KEYS.toLocaleString('en')}`);
console.log('| what (round 1, round 2) | heap bytes/key | CPU ns/record |');
console.log('| --- | ---: | ---: |');
for (const [what, { bytes, used }] of rows)
  console.log(`| ${what} | ${perKey(bytes)} | ${perRecord(used)} |`);
