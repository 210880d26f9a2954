/**
 * One thing the doctor noticed. `error` breaks sign-in (or sign-out); `warning` is risky but
 * may be intended; `info` is a fact worth printing (Hydra's version) and never fails a run.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable, dotted; scripts and tests match on it. */
  id: string;
  severity: Severity;
  /** What is wrong, with the values involved. */
  what: string;
  /** Why it breaks sign-in. */
  why: string;
  /** What to change, and where. */
  fix: string;
}

export function finding(
  id: string,
  severity: Severity,
  text: { what: string; why: string; fix: string },
): Finding {
  return { id, severity, ...text };
}

export function info(id: string, what: string): Finding {
  return { id, severity: 'info', what, why: '', fix: '' };
}
