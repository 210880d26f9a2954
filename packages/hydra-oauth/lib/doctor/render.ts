import type { Finding } from './finding';
import type { DoctorReport } from './run';

const LABELS = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' } as const;

/** The report as plain text: each problem with what, why and fix on their own lines. */
export function renderReport(report: DoctorReport): string[] {
  const lines = report.findings.flatMap(renderFinding);
  const problems = report.findings.filter((item) => item.severity !== 'info');
  lines.push(
    problems.length === 0
      ? 'No problems found.'
      : `${count(problems, 'error')} error(s), ${count(problems, 'warning')} warning(s).`,
  );
  return lines;
}

function renderFinding(item: Finding): string[] {
  if (item.severity === 'info') return [`${LABELS.info} ${item.what}`];
  return [
    `${LABELS[item.severity]} [${item.id}] ${item.what}`,
    `       why: ${item.why}`,
    `       fix: ${item.fix}`,
    '',
  ];
}

function count(findings: Finding[], severity: Finding['severity']): number {
  return findings.filter((item) => item.severity === severity).length;
}
