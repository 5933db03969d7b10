// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { dirname } from 'node:path';
import { parseDocument } from 'yaml';
import { editorLineCounter } from '../core/yaml-line-counter.js';
import { configSchema } from './schema.js';
import { secretQueryParam, urlWithPassword } from './secret-keys.js';
import { valueAt } from './value-at.js';
import { buildTree, dottedPath } from './yaml-tree.js';

/**
 * Secrets come from `${env:…}` or `${file:…}` references, never from the config file, which is
 * the file most likely committed. A secret setting (marked `writeOnly` in the schema:
 * config/schema/builders.ts `secret`) whose value holds no reference at all is reported by
 * `config check` as a warning, at its file, line and column, with the setting and the fix, never
 * the value. A warning, not a refusal: configs written so load as before. A value holding a
 * reference anywhere counts as a reference, `${env:NAME:-default}` too: its default is used only
 * when the variable is unset, as the demo's configs rely on. So is a URL whose password is written
 * in it (`ledger.url: postgres://lb:PW@db/…`): a password as much as a `password:` is.
 */
export function inlineSecrets(text: string, file: string, env: NodeJS.ProcessEnv): string[] {
  const lines = editorLineCounter(text);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const tree = buildTree(doc, lines, { env, baseDir: dirname(file) });
  const out: { line: number; column: number; text: string }[] = [];
  for (const node of tree.nodes.values()) {
    const value = valueAt(tree.data, node.segments);
    const at = `${file}:${node.value.line}:${node.value.column}: ${dottedPath(node.segments)}`;
    let text: string;
    if (isSecretSetting(node.segments)) {
      // Nothing written (`password: ""`), or no text (a mapping where a secret goes): no secret to move.
      if (node.ref !== undefined || value === '' || value === null || typeof value === 'object') continue;
      text = `${at}: a secret written inline in the config file (not shown), which is likely committed; write it as \`\${env:NAME}\` or \`\${file:/path}\` and keep the value out of the file`;
    } else {
      const written = node.ref ?? value;
      const held = typeof written === 'string' ? inlineUrlSecrets(written) : [];
      if (held.length === 0) continue;
      const which = held.length > 1 ? 'each' : held[0] === PASSWORD ? 'the password' : 'its value';
      text = `${at}: a URL holding ${held.join(' and ')} written inline in the config file (not shown), which is likely committed; write ${which} as \`\${env:NAME}\` or \`\${file:/path}\`, or the whole URL, and keep the value out of the file`;
    }
    out.push({ ...node.value, text });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column).map((w) => w.text);
}

const PASSWORD = 'a password';

/**
 * What a URL as written holds inline, holding no reference: its password (`postgres://lb:PW@db`)
 * and each query parameter naming a secret (`?access_token=…`, config/secret-keys.ts). Each `${…}`
 * is put aside first, so a reference in the user name (`${env:USER}@db`, whose `:` is the
 * reference's) is not read as a password. A `$${` is a literal `${`, no reference.
 */
function inlineUrlSecrets(written: string): string[] {
  const marked = written
    .replaceAll('$${', 'x')
    .replace(/\$\{[^}]*\}/g, REF)
    .trim();
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(marked)) return [];
  const held: string[] = [];
  const password = urlWithPassword(marked)
    ? (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^@\s:]*:([^@\s]*)@/.exec(marked)?.[1] ?? '')
    : '';
  if (password !== '' && !password.includes(REF)) held.push(PASSWORD);
  const query = marked.split('#')[0]?.split('?').slice(1).join('?') ?? '';
  for (const [, name = '', value = ''] of `&${query}`.matchAll(/&([^=&]*)=([^&]*)/g)) {
    if (value !== '' && !value.includes(REF) && secretQueryParam(name))
      held.push(`the secret query parameter \`${name}\``);
  }
  return held;
}

/** Stands for a reference in a URL as written: no character of a URL's user, password or `@`. */
const REF = '\u0000';

/** A setting's path in the schema; `null` stands for any name of a map or index of a list. */
type SettingPath = readonly (string | null)[];

let secretPaths: readonly SettingPath[] | undefined;

/** Whether `segments` (as the config writes them) is a setting the schema marks secret. */
export function isSecretSetting(segments: readonly (string | number)[]): boolean {
  secretPaths ??= markedPaths(configSchema, []);
  return secretPaths.some(
    (path) => path.length === segments.length && path.every((s, i) => s === null || s === segments[i]),
  );
}

/** The paths of every property marked `writeOnly`, through maps, lists and variants. */
function markedPaths(schema: unknown, at: SettingPath, out: SettingPath[] = []): SettingPath[] {
  if (schema === null || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
    const path = [...at, name];
    if ((sub as { writeOnly?: unknown } | null)?.writeOnly === true) out.push(path);
    markedPaths(sub, path, out);
  }
  for (const sub of Object.values((s.patternProperties ?? {}) as Record<string, unknown>))
    markedPaths(sub, [...at, null], out);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const)
    for (const sub of (s[key] ?? []) as unknown[]) markedPaths(sub, at, out);
  markedPaths(s.items, [...at, null], out);
  for (const key of ['then', 'else'] as const) markedPaths(s[key], at, out);
  return out;
}
