import type { Problem } from '../core/errors.js';
import { didYouMean, listWords } from './suggest.js';
import { asRecord, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A `notify` target sends reminders, not licenses: each `lifecycle.reminders` entry must name one,
 * and no pipeline may deliver licenses to one. Each entry's key must be the license type of a
 * pipeline, or its reminders would never go out. Either slip would only show at run time (a tick
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
  const pipelines = asRecord(root.pipelines) ?? {};
  const issued = [
    ...new Set(
      Object.values(pipelines).flatMap((p) => {
        const type = asRecord(p)?.licenseType;
        return typeof type === 'string' ? [type] : [];
      }),
    ),
  ];
  for (const [type, value] of Object.entries(reminders)) {
    // A code no pipeline issues (one character off in 21) would send no reminder, ever, and say
    // nothing: the tick finds no license of it.
    if (!issued.includes(type)) {
      const known =
        issued.length === 0 ? 'no pipeline is defined' : `pipelines issue ${listWords(issued, 'and')}`;
      at(
        ['lifecycle', 'reminders', type],
        `no pipeline issues license type \`${type}\`, so no holder would be reminded; ${known}${didYouMean(type, issued)}`,
      );
    }
    const target = asRecord(value)?.target;
    if (typeof target !== 'string' || notify.includes(target)) continue;
    const known =
      notify.length === 0 ? 'no notify targets are defined' : `notify targets: ${listWords(notify, 'and')}`;
    const what =
      // Own names only: the targets as read have the prototype every object has (`constructor`).
      Object.hasOwn(targets, target)
        ? `target \`${target}\` is not a notify target`
        : `unknown target \`${target}\``;
    at(['lifecycle', 'reminders', type, 'target'], `${what}; ${known}${didYouMean(target, notify)}`);
  }
  for (const [name, value] of Object.entries(pipelines)) {
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
