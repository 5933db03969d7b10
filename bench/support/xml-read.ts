/** An export folder read whole through the xml-files connector, as the benches time it. */
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';

/**
 * Milliseconds of the connector reading the export in `dir` whole (`trim: all`, pages of 500),
 * best of `rounds`; and the rows the read gave.
 */
export async function readExportMs(
  dir: string,
  recordPath: string,
  stream: { table: string; key: string; cursor?: string },
  rounds: number,
): Promise<{ ms: number; rows: number }> {
  let best = Number.POSITIVE_INFINITY;
  let rows = 0;
  for (let r = 0; r < rounds; r++) {
    const source = openXmlFilesSource('bench', {
      kind: 'xml-files',
      path: dir,
      recordPath,
      trim: 'all',
      pageSize: 500,
    });
    const t0 = performance.now();
    rows = 0;
    for await (const page of source.read({ stream, after: null, pageSize: 500, record: false }))
      rows += page.rows.length;
    best = Math.min(best, performance.now() - t0);
    await source.close();
  }
  return { ms: best, rows };
}
