/**
 * CPU per face picture (PNG at 150 dpi) of the demo food license's sample face: resvg handed fonts
 * cut to the face's characters (what `renderFacePng` does) against resvg given every installed
 * font (as before), the two taking turns in the same run. The first cut picture of the process is
 * counted apart: it pays for compiling HarfBuzz's WebAssembly (on V8's background threads, counted
 * here as they are this process's CPU) and for reading the font names. Both draw the same pixels
 * (checked each round). Then `pictures` cut pictures drawn one after another, as a process drawing
 * many does: their CPU and wall time in all. CPU time is the process's, user + system. Ends with
 * one JSON line. `node dist-bench/bench/face-picture.js [rounds] [pictures]`.
 */
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { layoutFace } from '../adapters/documents/face/layout.js';
import { DEFAULT_DPI, renderFacePng } from '../adapters/documents/picture/face-png.js';
import { faceSvg } from '../adapters/documents/picture/face-svg.js';
import { loadCatalog } from '../catalog/catalog.js';
import { faceTemplateOf, sampleLicense } from '../pipelines/render-face.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const PICTURES = Number(process.argv[3] ?? 200);
const FOOD = '11370200MB12345674001';

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const catalog = await loadCatalog(join(import.meta.dirname, '../../examples/west-coast/catalog'));
const entry = catalog.get(FOOD);
if (!entry) throw new Error(`bench: ${FOOD} is not in the demo catalog`);
const license = sampleLicense(
  entry,
  { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
  '2026-03-01',
);
const layout = layoutFace(faceTemplateOf(catalog, FOOD), license);
const widthPx = Math.max(1, Math.round((layout.page.width / 25.4) * DEFAULT_DPI));

function everyFont(): Buffer {
  return new Resvg(faceSvg(layout, null, widthPx), {
    background: '#FFFFFF',
    fitTo: { mode: 'width', value: widthPx },
    font: {
      loadSystemFonts: true,
      fontFiles: [],
      defaultFontFamily: 'Noto Serif CJK SC',
      serifFamily: 'Noto Serif CJK SC',
      sansSerifFamily: 'Noto Sans CJK SC',
    },
  })
    .render()
    .asPng();
}

async function timed<T>(draw: () => T | Promise<T>): Promise<{ ms: number; out: T }> {
  const start = cpuMs();
  const out = await draw();
  return { ms: cpuMs() - start, out };
}

const cold = await timed(() => renderFacePng(layout));
const cut: number[] = [];
const every: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const a = await timed(everyFont);
  const b = await timed(() => renderFacePng(layout));
  if (!a.out.equals(b.out.png)) throw new Error(`bench: round ${round}: the two pictures differ`);
  every.push(a.ms);
  cut.push(b.ms);
}
const inARow = { cpu: cpuMs(), wall: performance.now() };
for (let i = 0; i < PICTURES; i++) await renderFacePng(layout);
const rowCpuMs = cpuMs() - inARow.cpu;
const rowWallMs = performance.now() - inARow.wall;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const everyMs = median(every);
const cutMs = median(cut);
console.table([
  { what: 'every installed font (before)', 'CPU ms (median)': everyMs.toFixed(0) },
  {
    what: 'fonts cut to the face',
    'CPU ms (median)': cutMs.toFixed(0),
    ratio: `${(everyMs / cutMs).toFixed(1)}× less`,
  },
  { what: 'fonts cut, first picture of the process', 'CPU ms (median)': cold.ms.toFixed(0) },
]);
console.table([
  {
    what: `${PICTURES} cut pictures in a row`,
    'CPU ms': rowCpuMs.toFixed(0),
    'wall ms': rowWallMs.toFixed(0),
    'CPU ms a picture': (rowCpuMs / Math.max(1, PICTURES)).toFixed(1),
  },
]);
console.log(
  JSON.stringify({
    rounds: ROUNDS,
    everyFontCpuMs: Math.round(everyMs),
    cutFontsCpuMs: Math.round(cutMs),
    cutFontsFirstCpuMs: Math.round(cold.ms),
    pictures: PICTURES,
    picturesCpuMs: Math.round(rowCpuMs),
    picturesWallMs: Math.round(rowWallMs),
    ratio: Number((everyMs / cutMs).toFixed(1)),
  }),
);
