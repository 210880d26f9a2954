/**
 * One instance per process of each harness module's state. Mocha may load a test (and what it
 * imports) as CommonJS while the glue is imported as ESM, which gives a module two instances;
 * keeping the state on `globalThis` makes both see the same Meteor.
 */
export function shared<T>(key: string, make: () => T): T {
  const registry = globalThis as unknown as Record<symbol, T | undefined>;
  const symbol = Symbol.for(`meteor-harness:${key}`);
  return (registry[symbol] ??= make());
}
