/**
 * Another job's writes, staged at one exact point of the code under test instead of by timing:
 * `target` (a ledger, a platform adapter) with `methods` wrapped so that the first call of any of
 * them (that `when` takes) runs `step` once — after the call returned (what the code read, or the
 * platform's answer, is in hand and not yet acted on) or, with `before`, ahead of it (the code
 * decided from an earlier read and is about to write). A `step` that throws fails that call, as
 * the ledger or the platform failing there would. Every other property is the target's own.
 */
export interface MeanwhileOptions {
  /** Run `step` ahead of the call rather than after it. @defaultValue false */
  before?: boolean;
  /** Rewrites what each call of a wrapped method returns (a platform's answer, say). */
  result?: (out: unknown) => unknown;
  /**
   * Which call runs `step`, by its arguments: the first one this holds for (a write that carries
   * outcomes, say, not an empty one made before). @defaultValue the first call
   */
  when?: (...args: unknown[]) => boolean;
}

export function meanwhile<T extends object>(
  target: T,
  methods: keyof T | readonly (keyof T)[],
  step: () => Promise<unknown>,
  options: MeanwhileOptions = {},
): T {
  const wrapped = new Set<PropertyKey>(Array.isArray(methods) ? methods : [methods as keyof T]);
  let once: (() => Promise<unknown>) | undefined = step;
  const runOnce = async (args: unknown[]): Promise<void> => {
    if (options.when && !options.when(...args)) return;
    const run = once;
    once = undefined;
    await run?.();
  };
  return new Proxy(target, {
    get(t, p) {
      const v: unknown = Reflect.get(t, p, t);
      if (typeof v !== 'function') return v;
      if (!wrapped.has(p)) return v.bind(t);
      return async (...args: unknown[]) => {
        if (options.before) await runOnce(args);
        const out: unknown = await v.apply(t, args);
        if (!options.before) await runOnce(args);
        return options.result ? options.result(out) : out;
      };
    },
  });
}

/**
 * `target` with `overrides` in place of its methods of those names; every other method runs on the
 * target itself, as in {@link meanwhile} (a ledger keeps its state in private fields, which a
 * copy or a spread would not carry).
 */
export function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, p) {
      if (Object.hasOwn(overrides, p)) return Reflect.get(overrides, p);
      const v: unknown = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}
