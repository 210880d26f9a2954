import type { Command } from 'commander';

import { readClientFile } from '../lib/clients';
import {
  renderReport,
  reportFails,
  runDoctor,
  storefrontView,
  type DoctorInput,
} from '../lib/doctor';
import { readAppSettings, readJsonFile } from './config';
import { EXIT } from './exit';
import type { Output } from './output';

interface DoctorOptions {
  settings?: string;
  clients?: string;
  storefront?: string;
  providerUrl?: string;
  json?: boolean;
  strict?: boolean;
}

/** `doctor`: diagnoses the setup and says, per problem, what, why and how to fix it. */
export function addDoctorCommand(program: Command, out: Output): void {
  program
    .command('doctor')
    .description('check Hydra, the clients and this provider together; explain what is wrong')
    .option('--settings <file>', 'the app\'s Meteor settings.json (else METEOR_SETTINGS); ' +
      'HYDRA_ADMIN_URL and the other overrides apply')
    .option('--clients <file>', 'the client file, to check each declared client')
    .option('--storefront <file>', 'JSON of what the storefront sends: clientId, baseUrl, ' +
      'issuer, redirectUri, postLogoutRedirectUri, tokenEndpointAuthMethod, scopes')
    .option('--provider-url <url>', 'public address of this provider (default: providerUrl)')
    .option('--json', 'print the findings as JSON')
    .option('--strict', 'exit 1 on warnings too')
    .action(async (options: DoctorOptions) => {
      const report = await runDoctor(await doctorInput(options));
      if (options.json) out.json(report);
      else out.lines(renderReport(report));

      if (report.hydraUnreachable) out.exitWith(EXIT.unreachable);
      else if (reportFails(report, options.strict === true)) out.exitWith(EXIT.findings);
    });
}

async function doctorInput(options: DoctorOptions): Promise<DoctorInput> {
  const settings = readAppSettings(options.settings, process.env);
  return {
    settings,
    providerUrl: options.providerUrl ?? settings.providerUrl,
    declared: options.clients ? await readClientFile(options.clients, process.env) : undefined,
    storefront: options.storefront ? storefrontView(readJsonFile(options.storefront)) : undefined,
  };
}
