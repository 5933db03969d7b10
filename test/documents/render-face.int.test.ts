// `licbridge render`: the face picture is drawn from the same layout as the OFD. The PNG is read
// back pixel by pixel (test/support/png-decode.ts): every glyph's cell holds ink where the layout
// puts it, the QR modules are dark and light as the code says, the seal's own picture fills the
// seal box, and a ledger license draws exactly as the same license given directly.
// A full face costs 1-1.5 s of CPU to draw (resvg reads the CJK font for every glyph): it is drawn
// once, for the sample; the ledger license is drawn on a copy of the template cut to the holder's
// line, as what is checked there is which version is drawn and that it matches a direct drawing.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaceLayout, layoutFace } from '../../adapters/documents/face/layout.js';
import { renderFacePng } from '../../adapters/documents/picture/face-png.js';
import { contentHash } from '../../catalog/canonical.js';
import { type CatalogEntry, loadCatalog } from '../../catalog/catalog.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  faceTemplateOf,
  renderLicenseFace,
  sampleLicense,
  sampleValue,
} from '../../pipelines/render-face.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge, ROOT } from '../support/cli.js';
import { decodePng, type Pixels } from '../support/png-decode.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const CATALOG = join(ROOT, 'examples/west-coast/catalog');
const FOOD = '11370200MB12345674001';
const DPI = 120;
const PX = DPI / 25.4;

const dark = ([r, g, b]: number[]) => (r as number) + (g as number) + (b as number) < 300;
const red = ([r, g, b]: number[]) => (r as number) > 150 && (g as number) < 110 && (b as number) < 110;

/** How many pixels of the box (mm) pass the test. */
function count(
  p: Pixels,
  x: number,
  y: number,
  w: number,
  h: number,
  test: (px: number[]) => boolean,
): number {
  let n = 0;
  for (let py = Math.ceil(y * PX); py < Math.floor((y + h) * PX); py++)
    for (let px = Math.ceil(x * PX); px < Math.floor((x + w) * PX); px++) if (test(p.at(px, py))) n++;
  return n;
}

/** The ink of one glyph cell as a string of 0/1: two different characters must differ. */
function cellInk(p: Pixels, x: number, top: number, size: number): string {
  let out = '';
  for (let py = Math.ceil(top * PX); py < Math.floor((top + size) * PX); py++)
    for (let px = Math.ceil(x * PX); px < Math.floor((x + size) * PX); px++)
      out += dark(p.at(px, py)) ? 1 : 0;
  return out;
}

function expectDrawnAsLaidOut(p: Pixels, layout: FaceLayout): void {
  expect(p.width).toBe(Math.round(297 * PX));
  expect(p.height).toBe(Math.round((p.width * 210) / 297));
  // Every glyph but spaces has ink in its own cell (x from the OFD's DeltaX, one em high).
  for (const line of layout.lines) {
    let x = line.x;
    const glyphs = [...line.text];
    glyphs.forEach((ch, i) => {
      const advance = i < line.deltas.length ? (line.deltas[i] as number) : line.width - (x - line.x);
      if (ch.trim() !== '') {
        expect(
          count(p, x, line.top, advance, line.size * 1.1, dark),
          `glyph ${i} "${ch}" of "${line.text}"`,
        ).toBeGreaterThan(0);
      }
      x += advance;
    });
    // Nothing drawn just past the line's end on its row (the next box starts further right).
    const after = count(p, line.x + line.width + 1, line.top, 2, line.size, dark);
    if (line.x + line.width + 3 < layout.seal.x || line.top > layout.seal.y + layout.seal.height)
      expect(after).toBe(0);
  }
  // Real glyphs, not a fallback box for every character: 经 and 营 look different.
  const owner = layout.lines.find((l) => l.text.startsWith('经营者名称'));
  expect(owner).toBeDefined();
  const o = owner as FaceLayout['lines'][number];
  const first = cellInk(p, o.x, o.top, o.size);
  const second = cellInk(p, o.x + (o.deltas[0] as number), o.top, o.size);
  expect(first).not.toBe(second);
  // The QR code: each module's centre is dark exactly when the code says so.
  const q = layout.qr;
  const unit = q.size / q.modules.length;
  q.modules.forEach((row, r) => {
    row.forEach((on, c) => {
      const centre = p.at((q.x + (c + 0.5) * unit) * PX, (q.y + (r + 0.5) * unit) * PX);
      expect(dark(centre), `QR module ${r},${c}`).toBe(on);
    });
  });
}

describe('licbridge render', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let config: string;
  /** The same, over a catalog whose food face holds only the holder's name. */
  let holderLineConfig: string;
  let holderLineCatalog: string;
  const licenseId = `${foodLicense(7).identifier.slice(0, -6)}`;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
    config = join(dir, 'licbridge.yaml');
    holderLineConfig = join(dir, 'holder-line.yaml');
    holderLineCatalog = join(dir, 'holder-line-catalog');
    const entry = readFileSync(join(CATALOG, 'food-business-license.yaml'), 'utf8');
    const kept = entry.split('\n').filter((l) => /^ {4}- \{ field: holder\.name,/.test(l));
    expect(kept).toHaveLength(1);
    const holderLine = entry.replace(
      /\n {2}texts:\n[\s\S]*?\n {2}seal:/,
      `\n  texts:\n${kept.join('\n')}\n  seal:`,
    );
    expect(holderLine).not.toBe(entry);
    mkdirSync(holderLineCatalog);
    writeFileSync(join(holderLineCatalog, 'food-business-license.yaml'), holderLine);
    const configText = (catalog: string) =>
      [
        `ledger: { url: "${ledgerUrl}" }`,
        `catalog: ${catalog}`,
        'log: { level: warn }',
        'sources: { market-food: { kind: sqlite, path: ./legacy.db } }',
        'pipelines:',
        '  food:',
        '    source: market-food',
        '    stream: { table: T, key: ID }',
        `    mapping: ${join(ROOT, 'examples/west-coast/mappings/food-business-license.yaml')}`,
        `    licenseType: ${FOOD}`,
        '    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }',
        '    signer: district',
        '    targets: [province]',
        'targets: { province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } } }',
        `signers: { district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 } }`,
        `seals: { district-seal: { file: ${kit.sealFile}, signer: district } }`,
        '',
      ].join('\n');
    writeFileSync(config, configText(CATALOG));
    writeFileSync(holderLineConfig, configText(holderLineCatalog));
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    await ledger.migrate();
    await ledger.startRun({ runId: 'seed', pipeline: 'food', mode: 'full' });
    const l = foodLicense(7);
    // Two versions: the picture shows the latest (a changed holder name).
    for (const [v, name] of [
      [1, '青岛海韵餐饮管理有限公司第7分店'],
      [2, '青岛海韵餐饮管理有限公司黄岛店'],
    ] as const) {
      const license = { ...l, holder: { ...l.holder, name } };
      await ledger.commitPage({
        pipeline: 'food',
        runId: 'seed',
        checkpoint: encodeKeyPosition({ cursor: null, key: String(v) }),
        rowsRead: 1,
        candidates: [
          {
            licenseId,
            sourceKey: '7',
            contentHash: contentHash(license),
            status: 'valid' as const,
            lineage: {
              pipeline: 'food',
              source: 'market-food',
              sourceKey: '7',
              runId: 'seed',
              catalogVersion: 'c',
              mappingVersion: 'm',
            },
            build: (n: number) => ({
              ...license,
              identifier: `${licenseId}.${String(n).padStart(3, '0')}.F`,
            }),
          },
        ],
        quarantined: [],
      });
    }
    await ledger.close();
  });
  afterAll(() => cleanup());

  it('draws a sample of a type with the seal picture where the template puts it', async () => {
    const png = join(dir, 'sample.png');
    const r = await licbridge([
      'render',
      '--sample',
      '食品经营许可证',
      '--seal',
      'district-seal',
      '--dpi',
      String(DPI),
      '--today',
      '2026-03-01',
      '--png',
      png,
      '-c',
      config,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('食品经营许可证 (sample)');
    const p = decodePng(readFileSync(png));
    const catalog = await loadCatalog(CATALOG);
    const entry = catalog.get(FOOD);
    const license = sampleLicense(
      entry as NonNullable<typeof entry>,
      { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
      '2026-03-01',
    );
    // The layout only: drawing it again would cost a second render (resvg reads the CJK font per glyph).
    const layout = layoutFace(faceTemplateOf(catalog, FOOD), license);
    expectDrawnAsLaidOut(p, layout);
    // The seal's red picture fills its box, and nothing red lies outside the box and the frame.
    const s = foodTemplate.seal;
    expect(count(p, s.x, s.y, s.width, s.height, red)).toBeGreaterThan(
      ((s.width * s.height * PX * PX) / 10) | 0,
    );
    expect(count(p, 20, 20, 150, 170, red)).toBe(0);
    if (process.env.LICBRIDGE_UPDATE_DOCS_IMAGES === '1') {
      writeFileSync(join(ROOT, 'docs/images/render-food-sample.png'), readFileSync(png));
      const road = await loadCatalog(join(ROOT, 'examples/west-coast/road-transport/catalog'));
      const type = road.entries()[0] as CatalogEntry;
      const sample = sampleLicense(
        type,
        { name: '青岛西海岸新区交通运输局', code: '11370211MB12345672' },
        '2026-03-01',
      );
      const picture = await renderLicenseFace(road, sample, {
        dpi: 100,
        seal: { type: 'png', data: kit.image },
      });
      writeFileSync(join(ROOT, 'docs/images/render-road-transport-sample.png'), picture.png);
    }
  });

  it("draws a ledger license's latest version, exactly as the same license given directly", async () => {
    const png = join(dir, 'license.png');
    const r = await licbridge([
      'render',
      licenseId,
      '--dpi',
      String(DPI),
      '--png',
      png,
      '-c',
      holderLineConfig,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { licenseType: string; sample: boolean; overflows: string[] };
    expect(out).toMatchObject({ licenseType: FOOD, sample: false, overflows: [] });
    const l = foodLicense(7);
    const latest = {
      ...l,
      identifier: `${licenseId}.002.F`,
      holder: { ...l.holder, name: '青岛海韵餐饮管理有限公司黄岛店' },
    };
    const direct = await renderLicenseFace(await loadCatalog(holderLineCatalog), latest, { dpi: DPI });
    expect(Buffer.compare(readFileSync(png), direct.png)).toBe(0);
    // The face holds the holder's name and ID number: readable by its owner only.
    expect(statSync(png).mode & 0o777).toBe(0o600);
    const p = decodePng(direct.png);
    expectDrawnAsLaidOut(p, direct.layout);
    expect(direct.layout.lines.map((x) => x.text)).toEqual(['经营者名称：青岛海韵餐饮管理有限公司黄岛店']);
    // Without a seal the box is outlined in red: its edges hold red, its middle band does not.
    const s = foodTemplate.seal;
    expect(count(p, s.x - 0.3, s.y - 0.3, s.width + 0.6, 0.6, red)).toBeGreaterThan(0);
    expect(count(p, s.x + 2, s.y + 2, s.width - 4, s.height / 3, red)).toBe(0);
  });

  it('names what is wrong: an unknown license, an unknown type, both or neither given', async () => {
    const png = join(dir, 'x.png');
    const missing = await licbridge(['render', `${licenseId}9`, '--png', png, '-c', config]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`no license \`${licenseId}9\` in the ledger`);
    const type = await licbridge(['render', '--sample', '营业执照', '--png', png, '-c', config]);
    expect(type.status).toBe(2);
    expect(type.stderr).toContain('no license type `营业执照` in the catalog (known: ');
    expect(type.stderr).toContain(`${FOOD} (食品经营许可证)`);
    const both = await licbridge(['render', licenseId, '--sample', FOOD, '--png', png, '-c', config]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('pass a license id or --sample <type>, not both');
    const seal = await licbridge(['render', '--sample', FOOD, '--seal', 'nope', '--png', png, '-c', config]);
    expect(seal.stderr).toContain('no seal `nope` in the config (defined: district-seal)');
  });
});

describe('the face picture', () => {
  it("puts each glyph at the layout's advance, not the font's", async () => {
    // Three glyphs 10 mm apart at 4 mm size: a renderer using its own advances would set them side by side.
    const layout: FaceLayout = {
      page: { width: 297, height: 210 },
      border: undefined,
      lines: [
        {
          x: 20,
          top: 20,
          baseline: 23.52,
          size: 4,
          font: '宋体',
          color: '#000000',
          text: '一二三',
          deltas: [10, 10],
          width: 24,
        },
      ],
      seal: { x: 200, y: 140, width: 42, height: 42 },
      qr: { x: 30, y: 150, size: 30, content: 'x', modules: [[true]] },
      overflows: [],
    };
    const p = decodePng((await renderFacePng(layout, { dpi: DPI })).png);
    for (const at of [20, 30, 40])
      expect(count(p, at, 20, 4, 4.4, dark), `glyph at ${at} mm`).toBeGreaterThan(0);
    for (const gap of [24.5, 34.5]) expect(count(p, gap, 19, 5, 6, dark), `gap at ${gap} mm`).toBe(0);
  });
});

describe('sample licenses', () => {
  it('fill each face field from its schema: example, enum, caption from the description, dates', () => {
    expect(sampleValue('premises', { type: 'string', description: '经营场所' }, '2026-03-01')).toBe(
      '〔经营场所〕',
    );
    expect(sampleValue('form', { type: 'string', description: '主体业态, e.g. 食品销售经营者' }, 'x')).toBe(
      '〔主体业态〕',
    );
    expect(sampleValue('rep', { type: 'string', description: '法定代表人（负责人）' }, 'x')).toBe(
      '〔法定代表人〕',
    );
    expect(sampleValue('plate', { type: 'string' }, 'x')).toBe('〔plate〕');
    expect(sampleValue('kind', { type: 'string', enum: ['甲', '乙'] }, 'x')).toBe('甲');
    expect(sampleValue('kind', { type: 'string', examples: ['热食类'] }, 'x')).toBe('热食类');
    expect(sampleValue('on', { type: 'string', format: 'date' }, '2026-03-01')).toBe('2026-03-01');
    expect(sampleValue('seats', { type: 'integer', minimum: 4 }, 'x')).toBe(4);
    expect(
      sampleValue('items', { type: 'array', items: { type: 'string', description: '经营项目' } }, 'x'),
    ).toEqual(['〔经营项目1〕', '〔经营项目2〕']);
    expect(
      sampleValue('items', { type: 'array', description: '经营项目', items: { type: 'string' } }, 'x'),
    ).toEqual(['〔经营项目1〕', '〔经营项目2〕']);
    expect(sampleValue('items', { type: 'array', minItems: 3, items: { type: 'integer' } }, 'x')).toEqual([
      1, 1, 1,
    ]);
  });

  it("carry a well-formed identifier and a validity from the type's `validity`", async () => {
    const catalog = await loadCatalog(CATALOG);
    const entry = catalog.get(FOOD) as NonNullable<ReturnType<typeof catalog.get>>;
    const issuer = { name: '发证机关', code: '11370211MB12345672' };
    const l = sampleLicense(entry, issuer, '2024-02-29');
    expect(l.validFrom).toBe('2024-02-29');
    expect(l.validTo).toBe('2029-02-28'); // 5年 from a leap day: the day before 1 March 2029
    expect(sampleLicense(entry, issuer, '2026-03-01').validTo).toBe('2031-02-28');
    expect(sampleLicense({ ...entry, validity: '长期' }, issuer, '2026-03-01').validTo).toBeNull();
    expect(l.identifier).toMatch(
      /^1\.2\.156\.3005\.2\.11370200MB12345674001\.11370211MB12345672\.0{20}\.001\.[0-9A-Z]$/,
    );
    expect(catalog.validate(l).filter((p) => p.path?.startsWith('surface'))).toEqual([]);
  });
});
