/**
 * Every `licbridge …` command line the docs and the README show — in shell blocks and in code
 * spans — names a command, subcommands and flags the program has, gives a flag that takes a value
 * a value, and (in a shell block, which a user pastes) passes the arguments the command takes;
 * a command shown with more than its name shows its required options (`render … --png F`).
 * A command a span names in prose without `licbridge` (`config check --connect`, `dlq replay`)
 * must exist with its flags too. The program is built as `--help` builds it, every command registered and none run.
 */
import type { Command, Option } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import { codeBlocks, codeSpans, type DocFile, docFiles } from './doc-code.js';
import { bareSpanCommand, blockCommands, type DocCommand, spanCommand } from './doc-commands.js';

let program: Command;
beforeAll(async () => {
  program = await buildProgram(['node', 'licbridge'], true);
});

function findOption(chain: readonly Command[], flag: string): Option | undefined {
  for (const c of chain) {
    const o = c.options.find((x) => x.long === flag || x.short === flag);
    if (o) return o;
  }
  return undefined;
}

const path = (c: Command): string => (c.parent ? `${path(c.parent)} ${c.name()}`.trim() : '');

/** What is wrong with one command line, each as a sentence. */
function commandProblems(root: Command, cmd: DocCommand): string[] {
  const problems: string[] = [];
  let node = root;
  let chain: Command[] = [root];
  let positional: string[] = [];
  /** Whether a flag was shown with its value. */
  let valued = false;
  const words = cmd.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--') {
      positional.push(...words.slice(i + 1));
      break;
    }
    if (/^--?[A-Za-z]/.test(w)) {
      const eq = w.indexOf('=');
      const flag = eq > 0 ? w.slice(0, eq) : w;
      if (flag === '--help' || flag === '-h') continue;
      const option = findOption(chain, flag);
      if (!option) {
        problems.push(`\`${path(node) || 'licbridge'}\` has no option \`${flag}\``);
        continue;
      }
      const next = words[i + 1];
      const nextIsValue = next !== undefined && !next.startsWith('-');
      if (option.required || option.optional) {
        valued ||= eq > 0 || nextIsValue;
        if (eq > 0) continue;
        if (option.required && !nextIsValue && !cmd.bare)
          problems.push(`\`${flag}\` takes a value (${option.flags}); none shown`);
        else if (nextIsValue) i++;
        if (option.variadic) while (words[i + 1] !== undefined && !words[i + 1]?.startsWith('-')) i++;
      } else if (eq > 0) problems.push(`\`${flag}\` takes no value (${option.flags}); \`${w}\` shown`);
      continue;
    }
    const sub = node.commands.find((c) => c.name() === w || c.aliases().includes(w));
    // A synopsis lists sibling subcommands: `catalog check | pull <target>`.
    const sibling = cmd.synopsis && node.parent?.commands.find((c) => c.name() === w);
    if (sub && positional.length === 0) {
      node = sub;
      chain = [sub, ...chain];
    } else if (sibling && node.parent) {
      node = sibling;
      chain = [sibling, ...chain.slice(1)];
      positional = [];
    } else if (node.commands.length > 0 && positional.length === 0) {
      problems.push(`\`${path(node) || 'licbridge'}\` has no command \`${w}\``);
      return problems;
    } else positional.push(w);
  }
  if (cmd.synopsis) return problems;
  // A command shown with an argument or a flag's value is a command to run (`licbridge render
  // --sample T --seal S`), not a name in prose (`licbridge objection resolve --upheld`): its
  // required options too.
  if (cmd.whole || (!cmd.bare && (positional.length > 0 || valued))) {
    for (const o of node.options.filter((x) => x.mandatory)) {
      if (!words.some((w) => w === o.long || w === o.short || w.startsWith(`${o.long}=`)))
        problems.push(`\`${path(node)}\` needs \`${o.long}\` (${o.flags}); not shown`);
    }
  }
  if (cmd.whole && node.commands.length > 0)
    problems.push(
      `\`${path(node) || 'licbridge'}\` needs one of its commands (${node.commands.map((c) => c.name()).join(', ')})`,
    );
  const args = node.registeredArguments;
  const required = args.filter((a) => a.required).length;
  if (cmd.whole && positional.length < required)
    problems.push(
      `\`${path(node)}\` needs ${required} argument(s) (${args.map((a) => a.name()).join(', ')}); got ${positional.length}`,
    );
  const variadic = args.some((a) => a.variadic);
  if (!variadic && positional.length > args.length)
    problems.push(
      `\`${path(node)}\` takes ${args.length} argument(s) (${args.map((a) => a.name()).join(', ') || 'none'}); got ${positional.join(' ')}`,
    );
  return problems;
}

/** `dlq replay`, `run --full`: a command's name, then one of its subcommands or a flag. */
function namesCommand(words: readonly string[]): boolean {
  const [first, second = ''] = words;
  const commands = program.commands.filter((c) => c.name() === first);
  return (
    commands.length > 0 &&
    (second.startsWith('-') || commands.some((c) => c.commands.some((s) => s.name() === second)))
  );
}

/** The command lines read from each list of docs: two cases check those of the docs read once. */
const commandsOf = new WeakMap<readonly DocFile[], DocCommand[]>();

/** The command lines of these docs: in shell blocks, in `licbridge …` spans, and named in prose. */
function docCommands(docs: readonly DocFile[]): DocCommand[] {
  let commands = commandsOf.get(docs);
  if (!commands) {
    commands = readCommands(docs);
    commandsOf.set(docs, commands);
  }
  return commands;
}

function readCommands(docs: readonly DocFile[]): DocCommand[] {
  return [
    ...codeBlocks(docs).flatMap(blockCommands),
    ...codeSpans(docs).flatMap((s) => spanCommand(s) ?? bareSpanCommand(s, namesCommand) ?? []),
  ];
}

/** Every problem of the command lines of these docs, as `file:line: command: problem`. */
function docsProblems(docs: readonly DocFile[]): string[] {
  const commands = docCommands(docs);
  return commands.flatMap((c) =>
    commandProblems(program, c).map((p) => `${c.file}:${c.line}: \`licbridge ${c.words.join(' ')}\`: ${p}`),
  );
}

describe('the command lines in docs/*.md and README.md', () => {
  const docs = docFiles();

  it('are found (the guard reads the docs at all)', () => {
    const commands = docCommands(docs);
    expect(commands.length).toBeGreaterThan(300);
    expect(commands.some((c) => c.bare)).toBe(true);
    expect(commands.some((c) => c.file === 'README.md')).toBe(true);
  });

  it('are told apart from wrong ones (a made-up doc)', () => {
    const text = [
      '```sh',
      'licbridge run --pipline food-business-licenses   # misspelt flag',
      'licbridge preview food --limit                   # a flag without its value',
      'LICBRIDGE_CONFIG=a.yaml licbridge dlq            # a command without its subcommand',
      'licbridge quarantine show | head                 # a missing argument',
      'licbridge status --json > status.json',
      '```',
      'Then `licbridge dlq replay <key> --target T --no-wait`, or `licbridge serv`, or',
      '`licbridge render --sample 食品经营许可证 --seal S` (`licbridge render` alone is a name),',
      '`licbridge sign backfill | resign --seal S [--pipeline P]`.',
      'In prose: `dlq replay --all`, `preview --file`, `quarantine --tz`; `run` and `check uscc` are words.',
    ].join('\n');
    expect(docsProblems([{ file: 'made-up.md', text }])).toEqual([
      'made-up.md:2: `licbridge run --pipline food-business-licenses`: `run` has no option `--pipline`',
      'made-up.md:3: `licbridge preview food --limit`: `--limit` takes a value (--limit <n>); none shown',
      'made-up.md:4: `licbridge dlq`: `dlq` needs one of its commands (list, show, replay, discard)',
      'made-up.md:5: `licbridge quarantine show`: `quarantine show` needs 1 argument(s) (key); got 0',
      'made-up.md:8: `licbridge serv`: `licbridge` has no command `serv`',
      'made-up.md:9: `licbridge render --sample 食品经营许可证 --seal S`: `render` needs `--png` (--png <file>); not shown',
      'made-up.md:11: `licbridge quarantine --tz`: `quarantine` has no option `--tz`',
    ]);
  });

  it('name commands and flags the program has, each flag that takes a value shown with one', () => {
    expect(docsProblems(docs)).toEqual([]);
  });
});

describe("the README's command table", () => {
  it('has a row for every command, naming each of its subcommands', async () => {
    const readme = docFiles().find((f) => f.file === 'README.md');
    const rows = (readme?.text ?? '').split('\n').filter((l) => l.startsWith('| `licbridge '));
    const missing: string[] = [];
    for (const c of program.commands) {
      // The name whole: rows of a `signer` command are no rows of `sign`.
      const own = rows.filter((r) => new RegExp(`^\\| \`licbridge ${c.name()}[ \`]`).test(r));
      if (own.length === 0) missing.push(c.name());
      for (const s of c.commands) {
        if (!own.some((r) => new RegExp(`[ |] ?${s.name()}(?![\\w-])`).test(r.split('`')[1] ?? '')))
          missing.push(`${c.name()} ${s.name()}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
