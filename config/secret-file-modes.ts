import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDocument } from 'yaml';
import { editorLineCounter } from '../core/yaml-line-counter.js';
import { fileRefsIn, type RefContext, resolveRefs } from './refs.js';
import { SECRET_KEYS, urlWithPassword } from './secret-keys.js';
import { valueAt } from './value-at.js';
import { buildTree, dottedPath } from './yaml-tree.js';

/**
 * A password, token, secret or private key kept in a file and read with `${file:…}` is only as
 * secret as the file: one group or others can read is reported by `config check`, with the line
 * and the file's mode. (A local seal key so read is refused outright, by the signer and the check.)
 * A secret is a value under a secret's key, or a URL holding a password (`postgres://lb:PW@db`):
 * a password kept in a file and put into a URL, or a whole URL read from a file.
 *
 * So is a PEM private key written in the config file itself (a signer's `key: |`, or the default
 * of an `${env:…}` reference), when the config file is open to group or others: the key is as
 * open as the file. Named by its setting and the file's mode, never quoted.
 */
export function openSecretFiles(text: string, file: string, env: NodeJS.ProcessEnv): string[] {
  const lines = editorLineCounter(text);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const baseDir = dirname(file);
  const tree = buildTree(doc, lines, { env, baseDir });
  const out: string[] = [];
  const configMode = openMode(file);
  for (const node of tree.nodes.values()) {
    const last = node.segments[node.segments.length - 1];
    // As written, before references: a key read with `${file:…}` is not in this file.
    const written = node.ref ?? valueAt(tree.data, node.segments);
    if (configMode !== undefined && typeof written === 'string' && PEM_PRIVATE_KEY.test(written)) {
      out.push(
        `${file}:${node.value.line}:${node.value.column}: ${dottedPath(node.segments)}: a private key written in the config file, open to group or others (mode ${configMode}); move the key to a file of mode 0600 read with \`\${file:…}\`, or run chmod 600 on ${file}`,
      );
    }
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
        const mode = openMode(path);
        if (mode === undefined) continue;
        out.push(
          `${file}:${node.value.line}:${node.value.column}: ${dottedPath(node.segments)}: \`${ref}\` reads ${path}, open to group or others (mode ${mode}); run chmod 600 on it`,
        );
      }
    }
  }
  return out;
}

/** The header of a PEM private key, plain, encrypted or SEC1 (`EC PRIVATE KEY`). */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** The mode of `path` as four octal digits when group or others have any access to it; else undefined. */
function openMode(path: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return undefined; // A missing or unreadable file is already a config problem of its own.
  }
  // POSIX permission bits only; Windows reports 0o666 for every file.
  if (process.platform === 'win32' || (mode & 0o077) === 0) return undefined;
  return mode.toString(8).padStart(4, '0');
}
