import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { fileRefsIn, type RefContext, resolveRefs } from './refs.js';
import { SECRET_KEYS, urlWithPassword } from './secret-keys.js';
import { buildTree, dottedPath } from './yaml-tree.js';

/**
 * A password, token, secret or private key kept in a file and read with `${file:…}` is only as
 * secret as the file: one group or others can read is reported by `config check`, with the line
 * and the file's mode. (A local seal key so read is refused outright, by the signer and the check.)
 * A secret is a value under a secret's key, or a URL holding a password (`postgres://lb:PW@db`):
 * a password kept in a file and put into a URL, or a whole URL read from a file.
 */
export function openSecretFiles(text: string, file: string, env: NodeJS.ProcessEnv): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const baseDir = dirname(file);
  const tree = buildTree(doc, lines, { env, baseDir });
  const out: string[] = [];
  for (const node of tree.nodes.values()) {
    const last = node.segments[node.segments.length - 1];
    if (node.ref === undefined) continue;
    const secret =
      (typeof last === 'string' && SECRET_KEYS.has(last)) ||
      urlWithPassword(valueAt(tree.data, node.segments));
    if (!secret) continue;
    // Each reference by itself: the scalar as written may hold inline text of the secret.
    for (const ref of fileRefsIn(node.ref)) {
      const paths: string[] = [];
      const noting: RefContext = {
        env,
        baseDir,
        readFile: (path) => {
          paths.push(path);
          return '';
        },
      };
      resolveRefs(ref, noting);
      for (const path of paths) {
        let mode: number;
        try {
          mode = statSync(path).mode & 0o777;
        } catch {
          continue; // A missing or unreadable file is already a config problem of its own.
        }
        // POSIX permission bits only; Windows reports 0o666 for every file.
        if (process.platform === 'win32' || (mode & 0o077) === 0) continue;
        out.push(
          `${file}:${node.value.line}:${node.value.column}: ${dottedPath(node.segments)}: \`${ref}\` reads ${path}, open to group or others (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 on it`,
        );
      }
    }
  }
  return out;
}

function valueAt(data: unknown, segments: readonly (string | number)[]): unknown {
  let value = data;
  for (const s of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[s];
  }
  return value;
}
