import type { ClientsAdmin } from './admin';
import type { ClientChange, Plan } from './plan';

/**
 * Carries out a plan, one client at a time, in the plan's order. Stops at the first refusal:
 * the changes made so far stay, and a second apply picks up from where Hydra now is.
 */
export async function applyPlan(admin: ClientsAdmin, plan: Plan): Promise<ClientChange[]> {
  const done: ClientChange[] = [];
  for (const change of plan.changes) {
    await applyChange(admin, change);
    done.push(change);
  }
  return done;
}

async function applyChange(admin: ClientsAdmin, change: ClientChange): Promise<void> {
  if (change.kind === 'create' && change.declared) await admin.create(change.declared);
  if (change.kind === 'update' && change.declared) await admin.replace(change.declared);
  if (change.kind === 'delete') await admin.remove(change.clientId);
}
