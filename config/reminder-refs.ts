import type { Problem } from '../core/errors.js';
import { didYouMean, listWords } from './suggest.js';
import { asRecord, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A `notify` target sends reminders, not licenses: each `lifecycle.reminders` entry must name one,
 * and no pipeline may deliver licenses to one. Either slip would only show at run time (a tick
 * with nowhere to send, or every delivery of a pipeline failing), so both are config problems.
 */
export function reminderReferenceProblems(tree: YamlTree, file: string): Problem[] {
  const root = asRecord(tree.data);
  if (!root) return [];
  const targets = asRecord(root.targets) ?? {};
  const notify = Object.keys(targets).filter((t) => asRecord(targets[t])?.kind === 'notify');
  const problems: Problem[] = [];
  const at = (segments: (string | number)[], message: string): void => {
    problems.push(problemAtPath(tree, file, segments, message));
  };
  const reminders = asRecord(asRecord(root.lifecycle)?.reminders) ?? {};
  for (const [type, value] of Object.entries(reminders)) {
    const target = asRecord(value)?.target;
    if (typeof target !== 'string' || notify.includes(target)) continue;
    const known =
      notify.length === 0 ? 'no notify targets are defined' : `notify targets: ${listWords(notify, 'and')}`;
    const what =
      target in targets ? `target \`${target}\` is not a notify target` : `unknown target \`${target}\``;
    at(['lifecycle', 'reminders', type, 'target'], `${what}; ${known}${didYouMean(target, notify)}`);
  }
  for (const [name, value] of Object.entries(asRecord(root.pipelines) ?? {})) {
    const list = asRecord(value)?.targets;
    if (!Array.isArray(list)) continue;
    list.forEach((t, i) => {
      if (typeof t === 'string' && notify.includes(t)) {
        at(
          ['pipelines', name, 'targets', i],
          `target \`${t}\` is a notify target: it sends reminders to holders, not licenses; name it in lifecycle.reminders`,
        );
      }
    });
  }
  return problems;
}
