import debug from 'debug';

/**
 * Namespaced loggers, one line per event in `key=value` form. Enable with
 * `DEBUG=hydra-oauth:*`. Never pass passwords, tokens, cookies or whole challenges here: use
 * {@link redact} for a challenge so log lines can still be matched up.
 */
export const log = {
  login: debug('hydra-oauth:login'),
  consent: debug('hydra-oauth:consent'),
  logout: debug('hydra-oauth:logout'),
  account: debug('hydra-oauth:account'),
  mail: debug('hydra-oauth:mail'),
  hydra: debug('hydra-oauth:hydra'),
  http: debug('hydra-oauth:http'),
  error: debug('hydra-oauth:error'),
};

/** The first characters of a challenge: enough to follow one flow, useless to replay it. */
export function redact(challenge: string): string {
  return `${challenge.slice(0, 8)}…`;
}
