/**
 * What can go wrong while declaring or applying clients, one class each. The CLI maps each to
 * an exit code, so scripts can tell a bad file from an unreachable Hydra.
 */
export abstract class ClientsError extends Error {}

/** The client file cannot be read or does not describe valid clients; names the bad entry. */
export class ClientFileError extends ClientsError {
  override name = 'ClientFileError';
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${file}: ${path}: ${problem}` : `${file}: ${problem}`);
  }
}

/** No answer from Hydra's admin API at all (refused, timed out, DNS). */
export class HydraUnreachableError extends ClientsError {
  override name = 'HydraUnreachableError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Hydra's admin API at ${url} does not answer: ${reason}`);
  }
}

/** Hydra answered but refused the request; carries Hydra's own explanation. */
export class HydraRejectedError extends ClientsError {
  override name = 'HydraRejectedError';
  constructor(
    readonly action: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Hydra refused to ${action} (HTTP ${status}): ${detail}`);
  }
}

/** `get` or `delete` of a client id that Hydra does not know. */
export class ClientNotFoundError extends ClientsError {
  override name = 'ClientNotFoundError';
  constructor(readonly clientId: string) {
    super(`Hydra has no client ${JSON.stringify(clientId)}`);
  }
}
