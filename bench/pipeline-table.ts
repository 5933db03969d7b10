/**
 * What bench/pipeline.ts measures of one ledger's run (`LedgerFigures`), and the table it prints of
 * them, a column per ledger.
 */

export interface LedgerFigures {
  ledger: string;
  licenses: number;
  quarantined: number;
  seconds: number;
  e2ePerSec: number;
  signAlonePerSec: number;
  /** Signer alone before and after the run, signatures/s. */
  signAloneRange: [number, number];
  ratio: number;
  cpuRatio: number;
  ledgerBytes: number;
  ledgerBytesPerLicense: number;
  tableBytesPerLicense: Record<string, number>;
  /** Per index (`<table>.<index>`), already counted in its table's figure. */
  indexBytesPerLicense: Record<string, number>;
  peakRssMb: number;
  redisCommandsPerLicense: number;
  redisTopCommands: Record<string, number>;
  /** Microseconds of CPU per license: process (all threads), main thread by stage, simulator, Redis. */
  cpuUsPerLicense: Record<string, number>;
  duplicates: number;
}

export function printTable(results: LedgerFigures[]): void {
  const f0 = (v: number) => Math.round(v).toLocaleString('en-US');
  const lines: [string, ...string[]][] = [
    ['licenses delivered', ...results.map((r) => f0(r.licenses))],
    ['rows quarantined', ...results.map((r) => f0(r.quarantined))],
    ['seconds', ...results.map((r) => r.seconds.toFixed(1))],
    ['end to end, licenses/s', ...results.map((r) => f0(r.e2ePerSec))],
    ['signer alone (all cores), sign/s, mean', ...results.map((r) => f0(r.signAlonePerSec))],
    [
      '  before / after the run',
      ...results.map((r) => `${f0(r.signAloneRange[0])} / ${f0(r.signAloneRange[1])}`),
    ],
    ['ratio (target ≥ 0.5 sqlite, ≥ 0.4 pg)', ...results.map((r) => r.ratio.toFixed(3))],
    ['ratio if CPU-bound (signing CPU / all CPU)', ...results.map((r) => r.cpuRatio.toFixed(3))],
    ['ledger bytes / license (target ≤ 2,048)', ...results.map((r) => f0(r.ledgerBytesPerLicense))],
    ['peak RSS, MB (target ≤ 400)', ...results.map((r) => r.peakRssMb.toFixed(0))],
    ['Redis commands / license', ...results.map((r) => r.redisCommandsPerLicense.toFixed(2))],
    ['duplicates at the simulator', ...results.map((r) => f0(r.duplicates))],
  ];
  const cpuKeys = [...new Set(results.flatMap((r) => Object.keys(r.cpuUsPerLicense)))];
  for (const k of cpuKeys)
    lines.push([`CPU µs/license: ${k}`, ...results.map((r) => f0(r.cpuUsPerLicense[k] ?? 0))]);
  const tables = [...new Set(results.flatMap((r) => Object.keys(r.tableBytesPerLicense)))];
  for (const t of tables) {
    lines.push([`bytes/license: ${t}`, ...results.map((r) => f0(r.tableBytesPerLicense[t] ?? 0))]);
    // Its indexes of 5 bytes a license or more, each under it (included in the line above); an
    // index of one empty page is 3 bytes a license at 3,000 rows, and would only be noise.
    const own = [...new Set(results.flatMap((r) => Object.keys(r.indexBytesPerLicense)))].filter(
      (i) => i.startsWith(`${t}.`) && results.some((r) => (r.indexBytesPerLicense[i] ?? 0) >= 5),
    );
    for (const i of own)
      lines.push([
        `bytes/license:   index ${i.slice(t.length + 1)}`,
        ...results.map((r) => f0(r.indexBytesPerLicense[i] ?? 0)),
      ]);
  }
  const cmds = [...new Set(results.flatMap((r) => Object.keys(r.redisTopCommands)))];
  for (const c of cmds)
    lines.push([`Redis ${c}/license`, ...results.map((r) => String(r.redisTopCommands[c] ?? '-'))]);
  const header: [string, ...string[]] = ['', ...results.map((r) => r.ledger)];
  const w0 = Math.max(...[header, ...lines].map((l) => l[0].length));
  const w = results.map((_, i) => Math.max(...[header, ...lines].map((l) => (l[i + 1] ?? '').length)));
  for (const l of [header, ...lines]) {
    console.log(
      `${l[0].padEnd(w0)}  ${l
        .slice(1)
        .map((c, i) => c.padStart(w[i] ?? 0))
        .join('  ')}`,
    );
  }
}
