import { shared } from '../shared';

/**
 * DDPRateLimiter's rules as the harness applies them to method calls: a rule counts the calls
 * whose fields all match, per distinct value of the fields it names, within its window.
 */
interface CallInput {
  type: 'method' | 'subscription';
  name: string;
  userId: string | null;
  connectionId: string;
  clientAddress: string;
}

type Matcher = Partial<Record<keyof CallInput, unknown>>;

interface Rule {
  id: string;
  matcher: Matcher;
  numRequests: number;
  timeInterval: number;
  calls: Map<string, number[]>;
}

const rules = shared('rateLimitRules', (): Rule[] => []);

class TooManyRequestsError extends Error {
  readonly error = 'too-many-requests';
}

export const DDPRateLimiter = {
  addRule(matcher: Matcher, numRequests: number, timeInterval: number): string {
    const id = `rule-${rules.length + 1}`;
    rules.push({ id, matcher, numRequests, timeInterval, calls: new Map() });
    return id;
  },
};

function fieldMatches(expected: unknown, actual: unknown): boolean {
  return typeof expected === 'function' ? expected(actual) === true : expected === actual;
}

function ruleApplies(rule: Rule, input: CallInput): boolean {
  return Object.entries(rule.matcher).every(([field, expected]) =>
    fieldMatches(expected, input[field as keyof CallInput]));
}

export const rateLimiterHarness = {
  /** Records one call; throws as Meteor answers the caller once a rule's limit is passed. */
  count(input: CallInput, now = Date.now()): void {
    for (const rule of rules.filter((candidate) => ruleApplies(candidate, input))) {
      const key = Object.keys(rule.matcher).map((f) => input[f as keyof CallInput]).join('|');
      const recent = (rule.calls.get(key) ?? []).filter((t) => now - t < rule.timeInterval);
      recent.push(now);
      rule.calls.set(key, recent);
      if (recent.length > rule.numRequests) {
        throw new TooManyRequestsError(`too many requests for ${input.name}; slow down`);
      }
    }
  },

  rules: () => rules.map(({ id, matcher, numRequests, timeInterval }) =>
    ({ id, matcher, numRequests, timeInterval })),

  reset(): void {
    rules.length = 0;
  },
};
