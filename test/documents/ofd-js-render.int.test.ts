// An independent OFD reader opens a licbridge license file: ofd.js (npm) in headless Chromium
// parses the package, draws the face and shows the seal picture it finds in the SES_Signature at
// the StampAnnot's box. The test reads positions from the reader's own DOM and compares them with
// the template. With LICBRIDGE_UPDATE_DOCS_IMAGES=1 it refreshes docs/images/ofd-license-food.png.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxText, type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { makeTempDir } from '../signers/helpers.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { ROOT } from '../support/cli.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const HARNESS = `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#f2f2f2"><div id="out"></div>
<script src="/ofd.umd.min.js"></script>
<script>
window.result = null;
fetch('/license.ofd').then((r) => r.arrayBuffer()).then((buf) => {
  ofd.parseOfdDocument({
    ofd: buf,
    success(res) {
      try {
        for (const div of ofd.renderOfd(1123, res[0])) document.getElementById('out').appendChild(div);
        window.result = 'ok';
      } catch (e) { window.result = 'render error: ' + e; }
    },
    fail(e) { window.result = 'parse error: ' + e; },
  });
});
</script>`;

describe('ofd.js renders a sealed license file', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!chromiumAvailable())
      throw new Error('Chromium is missing: apt-get install -y chromium (see .ci/run)');
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const seal = kit.sealSigner();
    await seal.open();
    const [file] = (await issueLicenseFiles([{ license: foodLicense(), template: foodTemplate }], seal)) as [
      Buffer,
    ];
    await seal.close();
    const files: Record<string, Buffer | string> = {
      '/index.html': HARNESS,
      '/ofd.umd.min.js': readFileSync(join(ROOT, 'node_modules/ofd.js/lib/ofd.umd.min.js')),
      '/license.ofd': file,
    };
    server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.statusCode = body === undefined ? 404 : 200;
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    cleanup();
  });

  it('draws the face text and the seal image where the template puts them', async () => {
    const page = await browser.newPage({ viewport: { width: 1180, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/index.html`);
    await page.waitForFunction('window.result !== null', null, { timeout: 60_000 });
    expect(await page.evaluate('window.result')).toBe('ok');
    expect(errors).toEqual([]);

    // The reader's page box: its width over the template's gives px per mm.
    const pageBox = (await page.evaluate(
      `(() => { const r = document.getElementById('out').firstElementChild.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`,
    )) as number[];
    const [px0, py0, pw, ph] = pageBox as [number, number, number, number];
    const scale = pw / foodTemplate.page.width;
    expect(ph / scale).toBeCloseTo(foodTemplate.page.height, 0);
    const near = (a: number, b: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(1.5);

    // The seal: ofd.js takes the picture out of SignedValue.dat (SES_Signature → SESeal →
    // picture) and places it at the StampAnnot boundary.
    const seals = (await page.evaluate(
      `[...document.querySelectorAll('[name=seal_img_div]')].map((e) => { const r = e.getBoundingClientRect(); const img = e.querySelector('image'); return [r.x, r.y, r.width, r.height, img ? img.getAttribute('xlink:href') || img.getAttribute('href') : '']; })`,
    )) as [number, number, number, number, string][];
    expect(seals).toHaveLength(1);
    const [sx, sy, sw, sh, href] = seals[0] as [number, number, number, number, string];
    const s = foodTemplate.seal;
    near(sx - px0, s.x * scale);
    near(sy - py0, s.y * scale);
    near(sw, s.width * scale);
    near(sh, s.height * scale);
    expect(href).toBe(`data:image/png;base64,${kit.image.toString('base64')}`);
    // Chromium decodes that picture: 240 × 240 pixels, as drawn.
    const size = await page.evaluate(
      `new Promise((ok) => { const i = new Image(); i.onload = () => ok([i.naturalWidth, i.naturalHeight]); i.onerror = () => ok(null); i.src = ${JSON.stringify(href)}; })`,
    );
    expect(size).toEqual([240, 240]);

    // Every text box: the reader's text object shows the template's text at its position.
    const texts = (await page.evaluate(
      `[...document.querySelectorAll('#out svg')].filter((e) => e.querySelector('text')).map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, e.textContent]; })`,
    )) as [number, number, string][];
    const license = foodLicense();
    for (const box of foodTemplate.texts) {
      const expected = boxText(box, license);
      const shown = texts.find(
        ([, , t]) => expected.startsWith(t) && t.length >= Math.min(expected.length, 8),
      );
      expect(shown, `text "${expected}"`).toBeDefined();
      const [tx, ty] = shown as [number, number, string];
      if (box.align !== 'center') near(tx - px0, box.x * scale);
      near(ty - py0, box.y * scale);
    }
    expect(texts.map(([, , t]) => t).join('')).toContain('经营者名称：青岛海韵餐饮管理有限公司第1分店');

    // Every glyph of a line at the layout's advance: the reader expands DeltaX's `g <count> <value>` runs.
    const line = layoutFace(foodTemplate, license).lines.find((l) =>
      l.text.startsWith('经营者名称'),
    ) as LaidLine;
    const glyphs = (await page.evaluate(
      `(() => { const svg = [...document.querySelectorAll('#out svg')].find((e) => (e.textContent || '').startsWith('经营者名称')); return [...svg.querySelectorAll('text')].map((t) => [t.getBoundingClientRect().x, t.textContent]); })()`,
    )) as [number, string][];
    expect(glyphs.map(([, t]) => t).join('')).toBe(line.text);
    let x = line.x;
    glyphs.forEach(([gx], i) => {
      near(gx - px0, x * scale);
      x += line.deltas[i] ?? 0;
    });

    if (process.env.LICBRIDGE_UPDATE_DOCS_IMAGES === '1') {
      const shot = await page.screenshot({ clip: { x: px0, y: py0, width: pw, height: ph } });
      writeFileSync(join(ROOT, 'docs/images/ofd-license-food.png'), shot);
    }
    await page.close();
  });
});
