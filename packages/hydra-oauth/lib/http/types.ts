import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request as the core handlers read it: Node's own, plus what a host may already have
 * parsed. Express fills `body` and `cookies`; Meteor's WebApp fills neither, so the core parses
 * them itself when they are missing.
 */
export interface CoreRequest extends IncomingMessage {
  body?: unknown;
  cookies?: Record<string, string>;
}

export type CoreResponse = ServerResponse;
export type Next = (error?: unknown) => void;

/** A handler that runs unchanged on Meteor's WebApp (Express 4 or 5) and on plain Express 5. */
export type CoreHandler = (req: CoreRequest, res: CoreResponse, next: Next) => void;
