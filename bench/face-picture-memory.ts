/**
 * Memory a process keeps for face pictures drawn from cut fonts: resident set size before any
 * picture (the baseline), after the first and after `pictures` more, and after the held font
 * files and HarfBuzz's WebAssembly memory (a fixed 64 MiB) are let go, as they are after an idle
 * while. Each figure is taken after a full garbage collection, which frees the let-go memory.
 * Ends with one JSON line. `node dist-bench/bench/face-picture-memory.js [pictures]`.
 */
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { layoutFace } from '../adapters/documents/face/layout.js';
import { renderFacePng } from '../adapters/documents/picture/face-png.js';
import { subsetterMemoryBytes } from '../adapters/documents/picture/hb-subset.js';
import { releaseHeldFonts } from '../adapters/documents/picture/held-fonts.js';
import { loadCatalog } from '../catalog/catalog.js';
import { faceTemplateOf, sampleLicense } from '../pipelines/render-face.js';

const PICTURES = Number(process.argv[2] ?? 20);
const FOOD = '11370200MB12345674001';

// Without --expose-gc: V8's flag set at run time, and the function read from a fresh context.
setFlagsFromString('--expose-gc');
const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);

async function rssMiB(): Promise<number> {
  // Twice, a turn apart: a WebAssembly memory is freed once nothing (a pending job) holds it.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

const catalog = await loadCatalog(join(import.meta.dirname, '../../examples/west-coast/catalog'));
const entry = catalog.get(FOOD);
if (!entry) throw new Error(`bench: ${FOOD} is not in the demo catalog`);
const license = sampleLicense(
  entry,
  { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
  '2026-03-01',
);
const layout = layoutFace(faceTemplateOf(catalog, FOOD), license);
// resvg's module loaded before the baseline: it is there whatever fonts are drawn with.
await import('@resvg/resvg-js');

const rows: { what: string; 'RSS MiB': string; 'HarfBuzz MiB': string }[] = [];
const at = async (what: string) => {
  const rss = await rssMiB();
  rows.push({
    what,
    'RSS MiB': rss.toFixed(1),
    'HarfBuzz MiB': (subsetterMemoryBytes() / 2 ** 20).toFixed(0),
  });
  return rss;
};
const before = await at('before any picture (baseline)');
await renderFacePng(layout);
const first = await at('after the first picture');
for (let i = 0; i < PICTURES; i++) await renderFacePng(layout);
const after = await at(`after ${PICTURES} more`);
await releaseHeldFonts();
const released = await at('font files and HarfBuzz let go (idle)');
console.table(rows);
console.log(
  JSON.stringify({
    pictures: PICTURES,
    baselineRssMiB: Math.round(before),
    firstRssMiB: Math.round(first),
    afterRssMiB: Math.round(after),
    releasedRssMiB: Math.round(released),
  }),
);
