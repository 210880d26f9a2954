import type { ClientChange, FieldChange, Plan } from './plan';

const MARKS: Record<ClientChange['kind'], string> = {
  create: '+ create',
  update: '~ update',
  unchanged: '= unchanged',
  delete: '- delete',
};

/** The plan as lines for a terminal. Secrets are never shown, only that they change. */
export function renderPlan(plan: Plan): string[] {
  const lines: string[] = [];
  for (const change of plan.changes) {
    lines.push(`${MARKS[change.kind]} ${change.clientId}`);
    if (change.kind === 'create' && change.declared) lines.push(...describeCreate(change));
    for (const field of change.fields) lines.push(`    ${describeField(field)}`);
  }
  const counts = countKinds(plan);
  lines.push(
    `${counts.create} to create, ${counts.update} to update, ` +
      `${counts.delete} to delete, ${counts.unchanged} unchanged`,
  );
  return lines;
}

function describeCreate(change: ClientChange): string[] {
  return Object.keys(change.declared ?? {})
    .filter((field) => field !== 'client_id')
    .map((field) =>
      field === 'client_secret'
        ? '    client_secret: (set)'
        : `    ${field}: ${JSON.stringify((change.declared as Record<string, unknown>)[field])}`,
    );
}

function describeField(change: FieldChange): string {
  if (change.secret) return `${change.field}: (changed; not shown)`;
  return `${change.field}: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`;
}

export function countKinds(plan: Plan): Record<ClientChange['kind'], number> {
  const counts = { create: 0, update: 0, unchanged: 0, delete: 0 };
  for (const change of plan.changes) counts[change.kind] += 1;
  return counts;
}
