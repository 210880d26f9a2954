/**
 * The part of Meteor's `check` the glue uses: the three primitive constructors, `Match.Where`
 * and `Match.Maybe`. A failed check throws `Match.Error`, as Meteor's does.
 */
type Pattern =
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | { kind: 'where'; test: (value: unknown) => boolean }
  | { kind: 'maybe'; inner: Pattern };

class MatchError extends Error {
  override name = 'Match.Error';
}

export const Match = {
  Error: MatchError,
  Where: (test: (value: unknown) => boolean): Pattern => ({ kind: 'where', test }),
  Maybe: (inner: Pattern): Pattern => ({ kind: 'maybe', inner }),
};

export function check(value: unknown, pattern: Pattern): void {
  if (!matches(value, pattern)) throw new MatchError('Match error: failed the argument check');
}

function matches(value: unknown, pattern: Pattern): boolean {
  if (pattern === String) return typeof value === 'string';
  if (pattern === Number) return typeof value === 'number';
  if (pattern === Boolean) return typeof value === 'boolean';
  if ('kind' in pattern && pattern.kind === 'where') return pattern.test(value);
  if ('kind' in pattern && pattern.kind === 'maybe') {
    return value === undefined || value === null || matches(value, pattern.inner);
  }
  return false;
}
