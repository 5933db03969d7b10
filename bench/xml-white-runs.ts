/**
 * Values with a long run of white space in the middle (`x`, then `run` spaces, then `x`: a blank
 * fixed-width memo, padding pasted into a field), read from an XML export by the xml-files
 * connector. The white space at a value's ends was found by regular expressions anchored at the
 * end (`/^[ \t\r\n]+|[ \t\r\n]+$/g`, `/ +$/`, and `/\s+$/` for where a truncated file ends), which
 * take time quadratic in such a run; it is now found by index (connectors/xml-files/white-ends.ts).
 * The baseline, kept here, is those patterns run over the very strings a read trims (an element's
 * text, a CDATA section's content, a truncated copy of the file), in the same run, against the
 * index code over the same strings (the two must agree); then the connector's whole read of the
 * export, at `run` and at 4 × `run` (time linear in the run grows at most 4×, quadratic 16×).
 * `node dist-bench/bench/xml-white-runs.js [run] [values] [plain]` — local files only; the
 * baseline takes seconds (one round).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecords } from '../connectors/xml-files/records.js';
import {
  withoutSpacesAtEnd,
  withoutXmlWhiteAtEnd,
  withoutXmlWhiteAtEnds,
  withXmlWhiteAtEndsEscaped,
} from '../connectors/xml-files/white-ends.js';
import { readExportMs } from './support/xml-read.js';

const RUN = Number(process.argv[2] ?? 10_000);
/** Records holding a long run (one in an element's text, one in a CDATA section each). */
const VALUES = Number(process.argv[3] ?? 4);
/** Ordinary records around them. */
const PLAIN = Number(process.argv[4] ?? 2_000);
const RECORD_PATH = 'Root/Records/Record';
const ROUNDS = 5;

// The patterns as they were (record-values.ts, records.ts).
const LAYOUT_AT_ENDS = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const PADDING_AT_END = / +$/;
const WHITE_AT_ENDS = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const FILE_END = /\s+$/;

/** The raw strings of one long-run record as the read trims them. */
function longValues(run: number): { text: string; cdata: string } {
  const white = ' '.repeat(run);
  return { text: `\n      x${white}x${white}\n    `, cdata: ` 经营范围${white}x ` };
}

function exportText(run: number): string {
  const { text, cdata } = longValues(run);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<Root><Records>\n'];
  const every = Math.max(1, Math.floor(PLAIN / Math.max(1, VALUES)));
  let id = 0;
  for (let v = 0; v < VALUES; v++) {
    out.push(`<Record><ID>${++id}</ID><BZ>${text}</BZ><JYFW><![CDATA[${cdata}]]></JYFW></Record>\n`);
    for (let p = 0; p < every && id < VALUES + PLAIN; p++)
      out.push(
        `<Record><ID>${++id}</ID><JYZMC>青岛海滨食品有限公司${id}</JYZMC><BZ>  </BZ><JYFW><![CDATA[　　预包装食品销售]]></JYFW></Record>\n`,
      );
  }
  out.push('</Records></Root>\n');
  return out.join('');
}

/** What the read did to one record's long values, the old way. */
function valuesOld(text: string, cdata: string): string[] {
  const element = text.replace(LAYOUT_AT_ENDS, '').replace(PADDING_AT_END, '');
  const escaped = cdata.replace(WHITE_AT_ENDS, (w) => w.replace(/./gs, (c) => `&#${c.charCodeAt(0)};`));
  return [element, escaped.replace(LAYOUT_AT_ENDS, '').replace(PADDING_AT_END, '')];
}

/** The same, by index. */
function valuesNew(text: string, cdata: string): string[] {
  const element = withoutSpacesAtEnd(withoutXmlWhiteAtEnds(text));
  return [element, withoutSpacesAtEnd(withoutXmlWhiteAtEnds(withXmlWhiteAtEndsEscaped(cdata)))];
}

function timed<T>(f: () => T): { ms: number; out: T } {
  const t0 = performance.now();
  const out = f();
  return { ms: performance.now() - t0, out };
}

/** Milliseconds of the connector reading the export in `dir` whole, best of ROUNDS; rows read. */
const readMs = (dir: string) => readExportMs(dir, RECORD_PATH, { table: RECORD_PATH, key: 'ID' }, ROUNDS);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-bench-xml-white-'));
  const dir4 = await mkdtemp(join(tmpdir(), 'licbridge-bench-xml-white-'));
  try {
    const text = exportText(RUN);
    await writeFile(join(dir, 'YSXK_20261201.xml'), text);
    await writeFile(join(dir4, 'YSXK_20261201.xml'), exportText(RUN * 4));
    // Cut short in the last long record's CDATA section, as an export still being written is.
    const truncated = text.slice(0, text.lastIndexOf('x ]]>'));
    const { text: raw, cdata } = longValues(RUN);

    // Baseline: the old patterns, one round. The file's end is now found without U+3000 and U+00A0,
    // which this export does not end in: the same text either way.
    const old = timed(() => {
      const out: string[] = [];
      for (let v = 0; v < VALUES; v++) out.push(...valuesOld(raw, cdata));
      return out;
    });
    const oldEnd = timed(() => truncated.replace(FILE_END, ''));
    let now = { ms: Number.POSITIVE_INFINITY, out: [] as string[] };
    let nowEnd = { ms: Number.POSITIVE_INFINITY, out: '' };
    for (let r = 0; r < ROUNDS; r++) {
      const t = timed(() => {
        const out: string[] = [];
        for (let v = 0; v < VALUES; v++) out.push(...valuesNew(raw, cdata));
        return out;
      });
      if (t.ms < now.ms) now = t;
      const e = timed(() => withoutXmlWhiteAtEnd(truncated));
      if (e.ms < nowEnd.ms) nowEnd = e;
    }
    if (JSON.stringify(old.out) !== JSON.stringify(now.out) || oldEnd.out !== nowEnd.out)
      throw new Error('bench: the index code trims otherwise than the patterns did');

    const read = await readMs(dir);
    const read4 = await readMs(dir4);
    const located = timed(() => parseRecords(truncated, RECORD_PATH.split('/'), () => true));
    if (located.out.ok) throw new Error('bench: the truncated copy read as well-formed');
    const expected = VALUES + PLAIN;
    if (read.rows !== expected || read4.rows !== expected)
      throw new Error(`bench: read ${read.rows} and ${read4.rows} rows, not ${expected}`);

    const ratio = Math.round((old.ms / now.ms) * 10) / 10;
    const growth = Math.round((read4.ms / read.ms) * 100) / 100;
    console.log(
      `xml-files: ${VALUES} values with a run of ${RUN} spaces in the middle (and a CDATA section each), ${PLAIN} ordinary records; export ${(text.length / 1e6).toFixed(2)} M characters`,
    );
    console.log(
      `cores ${availableParallelism()}, load ${loadavg()[0]?.toFixed(1)}; baseline one round, the rest best of ${ROUNDS}`,
    );
    console.log('| what | ms |');
    console.log('| --- | --- |');
    console.log(
      `| baseline: the old patterns over the long values as the read trims them | ${old.ms.toFixed(1)} |`,
    );
    console.log(`| index code over the same values | ${now.ms.toFixed(3)} |`);
    console.log(`| ratio (patterns / index code) | ${ratio} |`);
    console.log(`| baseline: \`/\\s+$/\` off the truncated copy's end | ${oldEnd.ms.toFixed(1)} |`);
    console.log(`| index code off the same end | ${nowEnd.ms.toFixed(3)} |`);
    console.log(`| connector: the export read whole, runs of ${RUN} | ${read.ms.toFixed(1)} |`);
    console.log(
      `| connector: the export read whole, runs of ${RUN * 4} (×${growth}; linear ≈ ×4 at most) | ${read4.ms.toFixed(1)} |`,
    );
    console.log(`| the truncated copy located (not well-formed, where it ends) | ${located.ms.toFixed(1)} |`);
    console.log(
      JSON.stringify({
        run: RUN,
        values: VALUES,
        plain: PLAIN,
        baselineTrimMs: Math.round(old.ms * 10) / 10,
        trimMs: Math.round(now.ms * 1000) / 1000,
        ratio,
        baselineFileEndMs: Math.round(oldEnd.ms * 10) / 10,
        fileEndMs: Math.round(nowEnd.ms * 1000) / 1000,
        readMs: Math.round(read.ms * 10) / 10,
        read4xRunMs: Math.round(read4.ms * 10) / 10,
        readGrowth4xRun: growth,
        truncatedLocateMs: Math.round(located.ms * 10) / 10,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(dir4, { recursive: true, force: true });
  }
}

await main();
