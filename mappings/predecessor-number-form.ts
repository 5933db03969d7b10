import type { MapEnv } from './condition.js';
import type { Draft, Field } from './mapping-field.js';
import type { TransformRegistry } from './transforms.js';
import type { MapValue, TransformStep } from './types.js';

/**
 * What the `number` rule does to a number's form (trim, width, case, NFC: FORM_TRANSFORMS), as
 * steps to run on the number a renewal names. The pipeline finds the predecessor by the number it
 * holds, matched exactly (pipelines/lifecycle/predecessors.ts): a reference column read without
 * `halfWidth` or `upper`, typed `ｊｙ…` where the number rule wrote `JY…`, named no license. Only
 * form: the number rule's other steps (`replace`, `pad`, a lookup) rewrite a value as its own
 * column holds it, and the reference column may not. Rules of `number` that disagree on the
 * form (under different `when`s) give none: which applied to the predecessor's row is not known.
 */
export function predecessorNumberForm(
  compiled: readonly Field[],
  transforms: TransformRegistry,
): TransformStep[] | undefined {
  const rules = compiled.find((f) => f.path.text === 'number')?.rules ?? [];
  if (!compiled.some((f) => f.path.text === 'predecessor.number')) return undefined;
  const forms = rules.map((r) => r.forms.join(','));
  const first = rules[0]?.forms;
  if (first === undefined || first.length === 0 || forms.some((f) => f !== forms[0])) return undefined;
  const steps: TransformStep[] = [];
  for (const name of first) {
    const step = transforms.get(name)?.compile(undefined);
    if (typeof step === 'function') steps.push(step);
  }
  return steps;
}

/**
 * The draft's `predecessor.number` in the number rule's form. Text only: what else a rule gave
 * (a list, a number) is successorOf's to refuse or read; a step's failure leaves the text as it
 * was, for the pipeline to report as a number no license holds.
 */
export function toNumberForm(draft: Draft, steps: readonly TransformStep[], env: MapEnv | undefined): void {
  const predecessor = draft.predecessor as Draft | undefined;
  let value = predecessor?.number;
  if (predecessor === undefined || typeof value !== 'string') return;
  for (const step of steps) {
    const r = step(value as MapValue, env);
    if (!r.ok) return;
    value = r.value;
  }
  predecessor.number = value;
}
