/** Where a loaded config's values are written: for problems named by file, line and reference. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { editorLineCounter } from '../core/yaml-line-counter.js';
import { buildTree, dottedPath, type NodeInfo } from './yaml-tree.js';

/** The files a scalar's `${file:…}` references read, as paths from the config's folder. */
export function referencedFiles(ref: string, baseDir: string): string[] {
  return [...ref.matchAll(/\$\{file:([^}]+)\}/g)].map((m) => resolve(baseDir, m[1] ?? ''));
}

/** The config file's values by dotted path, with their positions and references as written. */
export function configNodes(file: string, env: NodeJS.ProcessEnv): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out; // Named without line and reference then; the config loaded, so this is rare.
  }
  const lines = editorLineCounter(text);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  for (const node of buildTree(doc, lines, { env, baseDir: dirname(file) }).nodes.values())
    out.set(dottedPath(node.segments), node);
  return out;
}
