/**
 * The font faces resvg would load, as it loads them (fontdb 0.14 inside @resvg/resvg-js 2.6.2):
 * the given font files first, then every `.ttf/.ttc/.otf/.otc` under the directories fontconfig's
 * configuration names. Each face is known by what fontdb matches on: its family names (the
 * typographic family, else the family) and its style. Faces are read once per process and file
 * (again when the file changes or another takes its place: file-stamp.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileStamp } from './file-stamp.js';
import { readFaceNames } from './sfnt-info.js';

export interface FontFace {
  file: string;
  index: number;
  families: readonly string[];
  /** Weight 400, upright, normal width: what a face's text asks for, as no style is set. */
  regular: boolean;
}

// fontdb takes these extensions, in either case but not mixed.
const FONT_EXT = new Set(['.ttf', '.ttc', '.otf', '.otc', '.TTF', '.TTC', '.OTF', '.OTC']);

function expandHome(path: string): string {
  return path.startsWith('~') ? join(process.env.HOME ?? homedir(), path.slice(1)) : path;
}

/** `<dir>` and `<include>` of a fontconfig file, includes followed (a folder: its `*.conf`). */
function configDirs(file: string, out: string[], seen: Set<string>): boolean {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  if (seen.has(file)) return true;
  seen.add(file);
  const home = process.env.HOME ?? homedir();
  const xdgData = process.env.XDG_DATA_HOME ?? join(home, '.local/share');
  const xdgConfig = process.env.XDG_CONFIG_HOME ?? join(home, '.config');
  for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(dir|include)\b([^>]*)>([^<]*)<\/\1>/g)) {
    const [, tag, attrs = '', raw = ''] = m;
    const path = raw.trim();
    const xdg = /prefix\s*=\s*"xdg"/.test(attrs);
    if (tag === 'dir') {
      out.push(xdg ? join(xdgData, path) : resolve(expandHome(path)));
      continue;
    }
    const target = xdg ? join(xdgConfig, path) : resolve(dirname(file), expandHome(path));
    let entries: string[] | null = null;
    try {
      if (statSync(target).isDirectory()) entries = readdirSync(target).filter((n) => n.endsWith('.conf'));
    } catch {
      continue;
    }
    if (entries) for (const name of entries.sort()) configDirs(join(target, name), out, seen);
    else configDirs(target, out, seen);
  }
  return true;
}

/** The directories fontdb's `load_system_fonts` reads on Linux, in its order of configs. */
export function systemFontDirs(): string[] {
  const dirs: string[] = [];
  const seen = new Set<string>();
  const home = process.env.HOME ?? homedir();
  if (process.env.FONTCONFIG_FILE) {
    configDirs(process.env.FONTCONFIG_FILE, dirs, seen);
  } else {
    const userConfig = join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'fontconfig/fonts.conf');
    if (!configDirs(userConfig, dirs, seen)) configDirs('/etc/fonts/local.conf', dirs, seen);
    configDirs('/etc/fonts/fonts.conf', dirs, seen);
  }
  return [...new Set(dirs)];
}

function fontFilesUnder(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile() && FONT_EXT.has(extname(name))) out.push(path);
      else if (st.isDirectory()) fontFilesUnder(path, out);
    } catch {}
  }
}

const cache = new Map<string, { stamp: string; faces: FontFace[] }>();

function facesOf(file: string): FontFace[] {
  let stamp: string;
  try {
    stamp = fileStamp(statSync(file));
  } catch {
    return [];
  }
  const known = cache.get(file);
  if (known?.stamp === stamp) return known.faces;
  let faces: FontFace[] = [];
  try {
    faces = readFaceNames(file).flatMap((f) => (f ? [{ file, ...f }] : []));
  } catch {
    // An unreadable file: fontdb skips it too.
  }
  cache.set(file, { stamp, faces });
  return faces;
}

/** The faces resvg's font database holds, in its order: `fontFiles`, then the system's. */
export function fontFaces(fontFiles: readonly string[]): FontFace[] {
  const files: string[] = [...fontFiles];
  for (const dir of systemFontDirs()) fontFilesUnder(dir, files);
  return files.flatMap(facesOf);
}
