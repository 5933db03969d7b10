import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node as YamlNode } from 'yaml';
import type { Problem } from '../core/errors.js';
import { SECRET_KEYS } from './secret-keys.js';
import { dottedPath } from './yaml-tree.js';

/**
 * `password: abc #def` loads the password `abc`: in YAML a ` #` ends an unquoted value and starts a
 * comment, so a secret holding ` #` was cut there without a word, and failed later as a wrong
 * password at whatever it was sent to. Whether the `#` was the secret's or a comment's cannot be
 * told, so an unquoted literal secret followed by a comment on its line is refused, at its file and
 * line: quoting it, or moving the comment to a line of its own, says which was meant (and a literal
 * secret is better an `${env:…}` or `${file:…}` reference). Neither the value nor the comment is
 * shown: the comment may be the secret's tail. A value made of references (`${env:PW} # vault`)
 * is no literal and passes.
 */
export function secretCommentProblems(
  contents: unknown,
  text: string,
  lines: LineCounter,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  const walk = (node: unknown, segments: (string | number)[], depth: number): void => {
    // Deeper than any config: buildTree reports it.
    if (depth > 64) return;
    if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, [...segments, i], depth + 1);
      return;
    }
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      const path = [...segments, name];
      const value = pair.value;
      if (isScalar(value) && SECRET_KEYS.has(name) && !columnKey(segments, name) && cut(value, text)) {
        const at = lines.linePos((value as YamlNode).range?.[0] ?? 0);
        problems.push({
          file,
          line: at.line,
          column: at.col,
          path: dottedPath(path),
          message: `\`${name}\` is a secret written unquoted with a comment after it on its line (not shown): YAML ends the value at \` #\`, so a secret holding \` #\` loads cut short there; quote the secret, or put the comment on a line of its own, or better write it as \`\${env:NAME}\` or \`\${file:path}\``,
        });
        continue;
      }
      walk(value, path, depth + 1);
    }
  };
  walk(contents, [], 0);
  return problems;
}

/** `pipelines.P.stream.key` names a column, not a private key. */
function columnKey(segments: readonly (string | number)[], name: string): boolean {
  return name === 'key' && segments[segments.length - 1] === 'stream';
}

/**
 * A plain (unquoted) scalar of no `${…}` reference, followed by ` #` on its line. A number or a
 * boolean too (`123456 #789` loads 123456): the schema's "quote it" led to `"123456" #789`, cut
 * the same. No value at all (`password: # later`) is the schema's to report.
 */
function cut(value: YamlNode, text: string): boolean {
  if (!isScalar(value) || value.type !== 'PLAIN' || value.value === null) return false;
  if (typeof value.value === 'string' && value.value.includes('${')) return false;
  const end = value.range?.[1];
  return end !== undefined && /^[ \t]+#/.test(text.slice(end, end + 200));
}
