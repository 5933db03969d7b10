/**
 * The `licbridge …` command lines the docs show, as words: from shell blocks (split at pipes,
 * `&&`, `;`, redirections and comments, as a shell would) and from code spans, where a
 * synopsis's `[optional]`, `(a | b)` and `a | b` are read as the words they offer.
 */
import type { CodeBlock, CodeSpan } from './doc-code.js';

export interface DocCommand {
  readonly file: string;
  readonly line: number;
  /** The words after `licbridge`. */
  readonly words: readonly string[];
  /** A synopsis (`a | b`, `[--x]`): alternatives, so no word count is checked. */
  readonly synopsis: boolean;
  /** A line of a shell block, pasted as is: it must be whole (a span may name a command in prose). */
  readonly whole: boolean;
  /** A span naming a command without `licbridge` (`dlq replay --all`): names only are checked. */
  readonly bare?: boolean;
}

/** Blocks whose lines are commands a user types (a block without a language included). */
const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console', 'text']);

/** Words that may stand before `licbridge` in a command line. */
const PREFIXES = new Set(['npx', 'sudo', 'exec', 'time', 'env', 'nohup', '$', '#']);

/** Shell words of one line; operators (`|`, `&&`, `;`, `>`, …) are words of their own. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /\s*(?:(\|\||&&|[|;&<>()]|\d?>>?|\$\()|((?:'[^']*'|"(?:\\.|[^"\\])*"|\\.|[^\s|;&<>()'"\\])+))/g;
  for (const m of line.matchAll(re)) {
    if (m[1] !== undefined) words.push(m[1]);
    else if (m[2] !== undefined) {
      if (m[2].startsWith('#') && words.length > 0) break; // a comment
      words.push(m[2].replace(/^'([^']*)'$|^"(.*)"$/s, '$1$2'));
    }
  }
  return words;
}

/** A bracketed group after a space: `[--json]`, `[pipeline]` — a synopsis, not a shell glob. */
const SYNOPSIS_LINE = /\s\[[^\]]+\]/;

/** `<id>` and `<file>` kept as words: shell words of the line with placeholders not read as redirections. */
function commandWords(line: string): string[] {
  const hidden = line.replace(
    /<([A-Za-z][\w .…-]*)>/g,
    (_, p: string) => `\u2039${p.replaceAll(' ', '\u2423')}\u203a`,
  );
  return shellWords(hidden).map((w) =>
    w.replaceAll('\u2039', '<').replaceAll('\u203a', '>').replaceAll('\u2423', ' '),
  );
}

const OPERATOR = /^(\|\||&&|[|;&<>()]|\d?>>?|\$\()$/;

/** The words after `licbridge` in one shell command, or undefined when it does not run licbridge. */
function licbridgeWords(words: readonly string[]): string[] | undefined {
  let i = 0;
  while (i < words.length) {
    const w = words[i] as string;
    if (PREFIXES.has(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else break;
  }
  const first = words[i];
  let after: string[] | undefined;
  if (first === 'licbridge' || first === 'bin/licbridge' || first === './bin/licbridge')
    after = words.slice(i + 1);
  if (first === 'node' && /(^|\/)dist\/cli\/main\.js$/.test(words[i + 1] ?? '')) after = words.slice(i + 2);
  // Prose about the program (`licbridge` alone) or a log line (`licbridge serve: listening`) is not a command.
  if (after?.[0] === undefined || !/^(-|[a-z][a-z-]*$)/.test(after[0])) return undefined;
  return after;
}

/** Commands of a shell block: continuation lines joined, each line cut into its commands. */
export function blockCommands(block: CodeBlock): DocCommand[] {
  if (!SHELL_LANGS.has(block.lang)) return [];
  const out: DocCommand[] = [];
  const lines = block.body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] as string;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    // A block without a language, or `text`, also holds output: only lines that start as commands count.
    if (
      (block.lang === '' || block.lang === 'text') &&
      !/^\s*(\$\s+)?(\w+=\S*\s+)*(npx\s+)?licbridge\s/.test(line)
    )
      continue;
    // A synopsis in a block (`licbridge dlq list [--target T] [--json]`) is read as one in a span.
    if (SYNOPSIS_LINE.test(line)) {
      const command = spanCommand({
        file: block.file,
        line: block.line + start,
        code: line.replace(/\s#\s.*$/, ''),
      });
      if (command) out.push(command);
      continue;
    }
    let current: string[] = [];
    const commands: string[][] = [];
    for (const w of commandWords(line)) {
      if (OPERATOR.test(w)) {
        commands.push(current);
        // A redirection's target is a file, not a command.
        current = /[<>]/.test(w) ? ['>'] : [];
      } else current.push(w);
    }
    commands.push(current);
    for (const c of commands) {
      if (c[0] === '>') continue;
      const words = licbridgeWords(c);
      if (words)
        out.push({
          file: block.file,
          line: block.line + start,
          words,
          synopsis: false,
          whole: true,
        });
    }
  }
  return out;
}

/** A code span that is a licbridge command line (`licbridge run --all`, `npx licbridge test`). */
export function spanCommand(span: CodeSpan): DocCommand | undefined {
  const code = span.code.trim();
  const synopsis = /[[\]()|]|…/.test(code);
  // In a span, brackets, `|` and `…` are a synopsis's (spans show commands, seldom pipelines).
  const words = synopsis
    ? code
        .replace(/[[\]()]/g, ' ')
        .split(/\s+/)
        .filter((w) => w !== '' && w !== '|')
    : commandWords(code);
  const after = licbridgeWords(words);
  if (after === undefined) return undefined;
  return { file: span.file, line: span.line, words: after, synopsis, whole: false };
}

/**
 * A span that names a command in prose without `licbridge` — `config check --connect`,
 * `source forget`: a command's name, then one of its subcommands or a flag. Prose names a flag
 * alone (`with \`preview --file\``), so only the names are checked, not values or arguments.
 */
export function bareSpanCommand(
  span: CodeSpan,
  isCommandLine: (words: readonly string[]) => boolean,
): DocCommand | undefined {
  const words = commandWords(span.code.trim());
  if (words.length < 2 || words.some((w) => OPERATOR.test(w)) || !isCommandLine(words)) return undefined;
  return { file: span.file, line: span.line, words, synopsis: true, whole: false, bare: true };
}
