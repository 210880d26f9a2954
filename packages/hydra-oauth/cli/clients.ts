import type { Command } from 'commander';

import {
  applyPlan,
  clientsAdmin,
  hasChanges,
  planClients,
  readClientFile,
  renderPlan,
} from '../lib/clients';
import { adminUrlFrom } from './config';
import { EXIT } from './exit';
import type { Output } from './output';

interface ApplyOptions {
  dryRun?: boolean;
  prune?: boolean;
  check?: boolean;
}

interface AdminOptions {
  adminUrl?: string;
  settings?: string;
}

/** `clients apply|list|get|delete`: the client file made true in Hydra, and a look inside. */
export function addClientsCommands(program: Command, out: Output): void {
  const clients = program
    .command('clients')
    .description("manage OAuth clients through Hydra's admin API")
    .option('--admin-url <url>', "Hydra's admin API (default: HYDRA_ADMIN_URL, then --settings)")
    .option('--settings <file>', 'a Meteor settings.json to take hydra.adminUrl from');

  clients
    .command('apply')
    .description('create and update clients to match FILE; shows the difference first')
    .argument('<file>', 'client file (JSON, or YAML for .yaml/.yml)')
    .option('--dry-run', 'show the difference only; change nothing')
    .option('--prune', 'also delete clients that Hydra holds and FILE does not declare')
    .option('--check', 'exit 1 when Hydra differs from FILE (use with --dry-run in CI)')
    .action(async (file: string, options: ApplyOptions) => {
      const admin = clientsAdmin(adminUrlFrom(clients.opts<AdminOptions>(), process.env));
      const declared = await readClientFile(file, process.env);
      const plan = planClients(declared, await admin.list(), { prune: options.prune === true });

      out.lines(renderPlan(plan));
      if (options.dryRun) out.line('Dry run: nothing changed.');
      else if (hasChanges(plan)) {
        await applyPlan(admin, plan);
        out.line('Applied.');
      }
      if (options.check && hasChanges(plan)) out.exitWith(EXIT.findings);
    });

  clients
    .command('list')
    .description('list the clients Hydra holds (id, name, redirect URIs)')
    .option('--json', 'print Hydra\'s registrations as JSON')
    .action(async (options: { json?: boolean }) => {
      const admin = clientsAdmin(adminUrlFrom(clients.opts<AdminOptions>(), process.env));
      const registered = await admin.list();
      if (options.json) return out.json(registered);
      for (const client of registered) {
        const uris = (client.redirect_uris ?? []).join(' ');
        out.line(`${client.client_id}\t${client.client_name ?? ''}\t${uris}`);
      }
    });

  clients
    .command('get')
    .description("print one client's registration as JSON (Hydra never returns its secret)")
    .argument('<id>', 'client id')
    .action(async (id: string) => {
      const admin = clientsAdmin(adminUrlFrom(clients.opts<AdminOptions>(), process.env));
      out.json(await admin.get(id));
    });

  clients
    .command('delete')
    .description('delete one client; its tokens stop working')
    .argument('<id>', 'client id')
    .action(async (id: string) => {
      const admin = clientsAdmin(adminUrlFrom(clients.opts<AdminOptions>(), process.env));
      await admin.remove(id);
      out.line(`Deleted ${id}.`);
    });
}
