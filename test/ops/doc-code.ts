/**
 * The code users copy from the docs: every fenced block and every inline code span of
 * docs/*.md and README.md, with the file and line it sits on, so a docs guard can say where a
 * wrong line is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface DocFile {
  /** Path from the repository root, as a reader names it: `docs/sync.md`. */
  readonly file: string;
  readonly text: string;
}

export interface CodeBlock {
  readonly file: string;
  /** Line of the block's first content line. */
  readonly line: number;
  /** The info string's first word: `sh`, `yaml`, `` for none. */
  readonly lang: string;
  readonly body: string;
}

export interface CodeSpan {
  readonly file: string;
  readonly line: number;
  /** The span's content, table pipes unescaped, a wrapped span's newlines read as spaces. */
  readonly code: string;
}

/** README.md and every docs/*.md file. */
export function docFiles(root = ROOT): DocFile[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), ...docs].map((path) => ({
    file: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;

/**
 * Each doc's split, kept by the doc read: `codeBlocks` and `codeSpans` both split every doc, and a
 * guard may call them more than once over the same docs (1 MB of docs/*.md and README.md).
 */
const splits = new WeakMap<DocFile, { blocks: CodeBlock[]; prose: string }>();

function splitFences(doc: DocFile): { blocks: CodeBlock[]; prose: string } {
  let split = splits.get(doc);
  if (!split) {
    split = splitFencesOnce(doc);
    splits.set(doc, split);
  }
  return split;
}

/** A doc's fenced blocks, and its prose with each block's lines blanked (line numbers kept). */
function splitFencesOnce(doc: DocFile): { blocks: CodeBlock[]; prose: string } {
  const lines = doc.text.split('\n');
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) {
      prose.push(lines[i] as string);
      continue;
    }
    const marker = open[2] as string;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trimStart().startsWith(marker) && line.trim().replaceAll(marker[0] as string, '') === '')
        break;
      body.push(line.slice(Math.min(open[1]?.length ?? 0, line.length - line.trimStart().length)));
    }
    blocks.push({ file: doc.file, line: start + 2, lang: open[3] ?? '', body: body.join('\n') });
    for (let j = start; j <= Math.min(i, lines.length - 1); j++) prose.push('');
  }
  return { blocks, prose: prose.join('\n') };
}

export function codeBlocks(docs: readonly DocFile[]): CodeBlock[] {
  return docs.flatMap((d) => splitFences(d).blocks);
}

/** Inline code spans (CommonMark: a run of N backticks closed by a run of exactly N). */
export function codeSpans(docs: readonly DocFile[]): CodeSpan[] {
  return docs.flatMap(spansOf);
}

/** Each doc's spans, kept by the doc read, as its split is. */
const spans = new WeakMap<DocFile, CodeSpan[]>();

function spansOf(doc: DocFile): CodeSpan[] {
  let found = spans.get(doc);
  if (!found) {
    found = readSpans(doc);
    spans.set(doc, found);
  }
  return found;
}

function readSpans(doc: DocFile): CodeSpan[] {
  const out: CodeSpan[] = [];
  const { prose } = splitFences(doc);
  // A span never crosses a blank line (a paragraph's end).
  const re = /(?<!`)(`+)(?!`)((?:(?!\n\s*\n)[\s\S])+?)(?<!`)\1(?!`)/g;
  // Lines counted on from the previous span, not from the top again for each: the docs hold
  // some 10,000 spans in 1 MB, and counting from the top was over a second a call.
  let line = 1;
  let counted = 0;
  for (const m of prose.matchAll(re)) {
    for (; counted < m.index; counted++) if (prose.charCodeAt(counted) === 10) line++;
    const raw = (m[2] as string).replace(/\s*\n\s*/g, ' ');
    const code = raw.length > 2 && raw.startsWith(' ') && raw.endsWith(' ') ? raw.slice(1, -1) : raw;
    out.push({ file: doc.file, line, code: code.replaceAll('\\|', '|') });
  }
  return out;
}
