// The font files face pictures are cut from are read once and held loaded in HarfBuzz's memory
// from one picture to the next (each picture read 26 MB and 19 MB again and copied them in); a
// file whose size or modification time changed is read again; no more than HELD_FONT_BYTES are
// held, the least recently used let go first; and after an idle while the files and HarfBuzz's
// 64 MiB go. Needs the Noto CJK fonts (fonts-noto-cjk), as the other face picture tests do.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const reads = new Map<string, number>();
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: (async (path: Parameters<typeof real.readFile>[0], ...rest: unknown[]) => {
      reads.set(String(path), (reads.get(String(path)) ?? 0) + 1);
      return (real.readFile as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof real.readFile,
  };
});

// Cuts HarfBuzz could not make (no room beside the files held, as it turned out here).
const refused = { cuts: 0 };
vi.mock('../../adapters/documents/picture/hb-subset.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../adapters/documents/picture/hb-subset.js')>();
  return {
    ...real,
    loadFontFile: async (data: Uint8Array) => {
      const loaded = await real.loadFontFile(data);
      return {
        faceCount: loaded.faceCount,
        subset: (index: number, codePoints: Iterable<number>) => {
          const font = loaded.subset(index, codePoints);
          if (!font) refused.cuts++;
          return font;
        },
        close: () => loaded.close(),
      };
    },
  };
});

const { subsetFontsFor } = await import('../../adapters/documents/picture/face-font-subset.js');
const { withHeldFonts, releaseHeldFonts, RELEASE_AFTER_IDLE_MS } = await import(
  '../../adapters/documents/picture/held-fonts.js'
);
const { subsetterMemoryBytes } = await import('../../adapters/documents/picture/hb-subset.js');
const { readFaceNames } = await import('../../adapters/documents/picture/sfnt-info.js');

const NOTO = '/usr/share/fonts/opentype/noto';
const SERIF = `${NOTO}/NotoSerifCJK-Regular.ttc`;
const SANS = `${NOTO}/NotoSansCJK-Regular.ttc`;
const SERIF_BOLD = `${NOTO}/NotoSerifCJK-Bold.ttc`;
const SANS_BOLD = `${NOTO}/NotoSansCJK-Bold.ttc`;
const RUNS = [
  { fontFamily: "'Noto Serif CJK SC'", text: '青岛西海岸新区' },
  { fontFamily: "'Noto Sans CJK SC'", text: '食品经营许可证' },
];

const TMP = mkdtempSync(join(tmpdir(), 'licbridge-held-fonts-test-'));
const fontconfigBefore = process.env.FONTCONFIG_FILE;
afterEach(async () => {
  vi.useRealTimers();
  await releaseHeldFonts();
  reads.clear();
  refused.cuts = 0;
  if (fontconfigBefore === undefined) delete process.env.FONTCONFIG_FILE;
  else process.env.FONTCONFIG_FILE = fontconfigBefore;
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

async function cut(runs: typeof RUNS): Promise<number | undefined> {
  const subset = await subsetFontsFor(runs, [], 'Noto Serif CJK SC');
  await subset?.dispose();
  return subset?.files.length;
}

describe('font files held between face pictures', () => {
  it('are read once for three pictures', async () => {
    for (let i = 0; i < 3; i++) expect(await cut(RUNS)).toBe(2);
    expect(reads.get(SERIF)).toBe(1);
    expect(reads.get(SANS)).toBe(1);
  }, 60_000);

  it('are read again when the file changes', async () => {
    // The only font installed: a copy of DejaVu Sans Mono in a folder of this test.
    const dir = join(TMP, 'fonts');
    rmSync(dir, { recursive: true, force: true });
    const conf = join(TMP, 'fonts.conf');
    writeFileSync(conf, `<?xml version="1.0"?><fontconfig><dir>${dir}</dir></fontconfig>`);
    process.env.FONTCONFIG_FILE = conf;
    const font = join(dir, 'mono.ttf');
    mkdirSync(dir);
    copyFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', font);
    const runs = [{ fontFamily: "'DejaVu Sans Mono'", text: 'licence 42' }];
    expect(await cut(runs)).toBe(1);
    expect(await cut(runs)).toBe(1);
    expect(reads.get(font)).toBe(1);
    utimesSync(font, new Date(), new Date(Date.now() + 60_000));
    expect(await cut(runs)).toBe(1);
    expect(reads.get(font)).toBe(2);
  }, 60_000);

  it('are read again when the file is replaced by one of the same size and modification time', async () => {
    // `cp -p`, `rsync -a`, `install -p` and package managers keep a file's modification time: a
    // font replaced so, by one of the same size, is still another font. Here the family is renamed
    // in place (DejaVu Sans Mono → Mone, as many bytes), the file written beside it and moved over it.
    const dir = join(TMP, 'fonts');
    rmSync(dir, { recursive: true, force: true });
    const conf = join(TMP, 'fonts.conf');
    writeFileSync(conf, `<?xml version="1.0"?><fontconfig><dir>${dir}</dir></fontconfig>`);
    process.env.FONTCONFIG_FILE = conf;
    mkdirSync(dir);
    const font = join(dir, 'mono.ttf');
    const original = readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf');
    writeFileSync(font, original);
    const when = new Date('2024-05-01T08:00:00Z');
    utimesSync(font, when, when);
    const familiesCut = async (family: string) => {
      const subset = await subsetFontsFor([{ fontFamily: `'${family}'`, text: 'licence 42' }], [], family);
      try {
        return subset ? readFaceNames(subset.files[0] as string)[0]?.families : null;
      } finally {
        await subset?.dispose();
      }
    };
    expect(await familiesCut('DejaVu Sans Mono')).toContain('DejaVu Sans Mono');
    // The name table holds the family in Mac Roman (one byte a character) and UTF-16BE.
    const encodings = (name: string) => [Buffer.from(name, 'latin1'), Buffer.from(name, 'utf16le').swap16()];
    const [olds, news] = [encodings('DejaVu Sans Mono'), encodings('DejaVu Sans Mone')];
    const renamed = Buffer.from(original);
    olds.forEach((from, i) => {
      for (let at = renamed.indexOf(from); at >= 0; at = renamed.indexOf(from, at + 1))
        (news[i] as Buffer).copy(renamed, at);
    });
    expect(renamed.equals(original)).toBe(false);
    writeFileSync(`${font}.new`, renamed);
    utimesSync(`${font}.new`, when, when);
    renameSync(`${font}.new`, font);
    expect(await familiesCut('DejaVu Sans Mone')).toContain('DejaVu Sans Mone');
    expect(reads.get(font)).toBe(2);
  }, 60_000);

  it('are held up to HELD_FONT_BYTES, the least recently used let go first to make room', async () => {
    // 26 MB + 19 MB held, then a 27 MB file: 64 MiB cannot hold all three.
    const cutFrom = (path: string) =>
      withHeldFonts(async (held) => (await held.file(path)).subset(2, [0x9752])?.byteLength);
    for (const path of [SERIF, SANS, SERIF_BOLD, SERIF_BOLD, SERIF])
      expect(await cutFrom(path), path).toBeGreaterThan(0);
    expect(reads.get(SERIF_BOLD)).toBe(1);
    expect(reads.get(SERIF)).toBe(2);
  }, 60_000);

  it('leave a cut its room: files past HELD_FONT_BYTES are let go before it, not after it failed', async () => {
    // Noto Sans CJK Bold and Regular (20 MB, 19 MB) held, then Noto Serif CJK (26 MB): the three
    // fit in HarfBuzz's 64 MiB, with too little room left for cutting from the last.
    const text = [...'青岛西海岸新区市场监督管理局食品经营许可证'].map((ch) => ch.codePointAt(0) as number);
    const cutFrom = (path: string) =>
      withHeldFonts(async (held) => (await held.file(path)).subset(2, text)?.byteLength);
    for (const path of [SANS_BOLD, SANS, SERIF]) expect(await cutFrom(path), path).toBeGreaterThan(0);
    expect(refused.cuts).toBe(0);
  }, 60_000);

  it('keep no process alive while they wait to be let go', async () => {
    // `licbridge render` draws one picture and must exit then, not 30 s later.
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      expect(await cut(RUNS)).toBe(2);
      const idle = timers.mock.results.filter((_, i) => timers.mock.calls[i]?.[1] === RELEASE_AFTER_IDLE_MS);
      expect(idle).toHaveLength(1);
      expect((idle[0]?.value as NodeJS.Timeout | undefined)?.hasRef()).toBe(false);
    } finally {
      timers.mockRestore();
    }
  }, 60_000);

  it('are let go, with the memory HarfBuzz holds, after an idle while', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect(await cut(RUNS)).toBe(2);
    expect(subsetterMemoryBytes()).toBeGreaterThanOrEqual(64 * 2 ** 20);
    vi.advanceTimersByTime(RELEASE_AFTER_IDLE_MS - 1);
    await withHeldFonts(async () => undefined);
    expect(subsetterMemoryBytes()).toBeGreaterThan(0);
    vi.advanceTimersByTime(RELEASE_AFTER_IDLE_MS);
    // The release waits its turn behind any cut: this one runs after it.
    await withHeldFonts(async () => undefined);
    expect(subsetterMemoryBytes()).toBe(0);
    expect(await cut(RUNS)).toBe(2);
    expect(reads.get(SERIF)).toBe(2);
  }, 60_000);
});
