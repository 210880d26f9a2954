import { readFile } from 'node:fs/promises';

import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';

import type { MeteorUserDocument } from '../../../packages/hydra-oauth/lib/accounts/meteorUsers';
import { shared } from '../shared';
import { rateLimiterHarness } from './ddp-rate-limiter';

type MethodHandler = (this: MethodInvocation, ...args: unknown[]) => unknown;

interface MethodInvocation {
  userId: string | null;
  connection: { id: string; clientAddress: string } | null;
  isSimulation: boolean;
  unblock(): void;
}

/** Meteor.Error: the error a method's caller sees with its `error` and `reason`. */
class MeteorError extends Error {
  constructor(
    readonly error: string | number,
    readonly reason?: string,
    readonly details?: string,
  ) {
    super(reason ? `${reason} [${error}]` : `[${error}]`);
  }
}

const state = shared('meteor', () => ({
  methods: new Map<string, MethodHandler>(),
  startupCallbacks: [] as Array<() => void | Promise<void>>,
  users: undefined as Collection<MeteorUserDocument> | undefined,
  db: undefined as Db | undefined,
}));
const { methods } = state;

function usersCollection(): Collection<MeteorUserDocument> {
  if (!state.users) throw new Error('meteor harness: call meteorHarness.useDatabase first');
  return state.users;
}

export const Meteor = shared('Meteor', () => ({
  settings: { public: {} } as { public: Record<string, unknown>; [key: string]: unknown },
  isServer: true,
  isClient: false,
  Error: MeteorError,

  startup(callback: () => void | Promise<void>): void {
    state.startupCallbacks.push(callback);
  },

  /** As in Meteor, a second method of the same name is an error. */
  methods(map: Record<string, MethodHandler>): void {
    for (const [name, handler] of Object.entries(map)) {
      if (methods.has(name)) throw new Error(`A method named '${name}' is already defined`);
      methods.set(name, handler);
    }
  },

  /** `ROOT_URL` with `path` appended; the harness serves on loopback. */
  absoluteUrl(path = ''): string {
    const root = process.env.ROOT_URL ?? 'http://127.0.0.1:3000/';
    return `${root.endsWith('/') ? root : `${root}/`}${path}`;
  },

  users: {
    async findOneAsync(
      selector: Record<string, unknown>,
      options?: { fields?: Record<string, 0 | 1> },
    ) {
      const found = await usersCollection().findOne(selector as Filter<MeteorUserDocument>, {
        projection: options?.fields,
      });
      return found ?? undefined;
    },
    /** Like Meteor's: resolves how many documents changed. */
    async updateAsync(selector: Record<string, unknown>, modifier: Record<string, unknown>) {
      const result = await usersCollection().updateOne(
        selector as Filter<MeteorUserDocument>,
        modifier as UpdateFilter<MeteorUserDocument>,
      );
      return result.modifiedCount;
    },
  },
}));

/** The harness's own controls, standing in for what Meteor's tool and DDP do. */
export const meteorHarness = {
  /** `meteor run --settings <file>`. */
  async useSettingsFile(file: string): Promise<void> {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    Meteor.settings = { public: {}, ...parsed };
  },

  /** The app's MongoDB (`MONGO_URL`): `Meteor.users` and Accounts read its `users`. */
  useDatabase(db: Db): void {
    state.users = db.collection<MeteorUserDocument>('users');
    state.db = db;
  },

  usersCollection,

  /** The app's database, as `MongoInternals` hands it out. */
  database(): Db {
    if (!state.db) throw new Error('meteor harness: call meteorHarness.useDatabase first');
    return state.db;
  },

  /** What Meteor does once every module has loaded: runs the startup callbacks in order. */
  async runStartup(): Promise<void> {
    const pending = state.startupCallbacks;
    state.startupCallbacks = [];
    for (const callback of pending) await callback();
  },

  /** A DDP method call from a client on `connectionId`, signed in as `userId` (or not). */
  async call(
    name: string,
    caller: { userId: string | null; connectionId: string },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = methods.get(name);
    if (!handler) throw new MeteorError(404, `Method '${name}' not found`);
    rateLimiterHarness.count({ type: 'method', name, ...caller, clientAddress: '127.0.0.1' });

    const invocation: MethodInvocation = {
      userId: caller.userId,
      connection: { id: caller.connectionId, clientAddress: '127.0.0.1' },
      isSimulation: false,
      unblock: () => undefined,
    };
    return handler.apply(invocation, args);
  },

  hasMethod: (name: string) => methods.has(name),

  /** Forgets methods and startup callbacks, as a fresh server process would. */
  reset(): void {
    methods.clear();
    state.startupCallbacks = [];
    Meteor.settings = { public: {} };
  },
};
