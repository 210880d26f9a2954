import {
  ClientFileError,
  ClientNotFoundError,
  HydraRejectedError,
  HydraUnreachableError,
} from '../lib/clients';
import { StorefrontViewError } from '../lib/doctor';
import { SettingsError } from '../lib/settings';

/**
 * Exit codes scripts can rely on; the README lists the same table.
 *
 * 0  done; for doctor: no errors found
 * 1  doctor found errors (or warnings with --strict); `clients apply --check` found changes
 * 2  usage or input error: bad arguments, unreadable or invalid settings, client or storefront file
 * 3  Hydra does not answer
 * 4  Hydra answered but refused the request (including an unknown client id)
 * 5  anything else: a bug in this tool; the message is on stderr
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, unreachable: 3, refused: 4, bug: 5 } as const;

/** Marks a problem with what the user typed; always exits with the usage code. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof HydraUnreachableError) return EXIT.unreachable;
  if (error instanceof HydraRejectedError || error instanceof ClientNotFoundError) {
    return EXIT.refused;
  }
  const inputErrors = [UsageError, ClientFileError, SettingsError, StorefrontViewError];
  if (inputErrors.some((type) => error instanceof type)) return EXIT.usage;
  return EXIT.bug;
}
