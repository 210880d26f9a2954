/**
 * The few Meteor 3 APIs the package's glue uses, declared here because `@types/meteor` models
 * Meteor 2 (synchronous finders, no `WebApp.handlers`). Only what the glue calls is declared,
 * so a call outside this list, or with the wrong shape, fails `tsc`.
 */

declare module 'meteor/meteor' {
  export namespace Meteor {
    /** `settings.json` as given to `meteor run --settings`; `public` is always present. */
    const settings: { public: Record<string, unknown>; [key: string]: unknown };
    const isServer: boolean;
    const isClient: boolean;

    /** Runs once every package and app module has loaded; the server awaits each callback. */
    function startup(callback: () => void | Promise<void>): void;

    /** `this` inside a method: who called, over which connection. */
    interface MethodThisType {
      userId: string | null;
      connection: { id: string; clientAddress: string } | null;
      isSimulation: boolean;
      unblock(): void;
    }

    type MethodHandler = (this: MethodThisType, ...args: any[]) => unknown;
    function methods(methods: Record<string, MethodHandler>): void;

    /** Client: signs in over DDP; `selector` is a username, or an e-mail when it has '@'. */
    function loginWithPassword(
      selector: string,
      password: string,
      callback?: (error?: globalThis.Error) => void,
    ): void;
    /** The app's URL (`ROOT_URL`) with `path` appended. */
    function absoluteUrl(path?: string): string;
    /** Client and server: calls a method and resolves its result (Meteor 3). */
    function callAsync(name: string, ...args: unknown[]): Promise<unknown>;

    /** The only error whose `error`, `reason` and `details` reach the method's caller. */
    class Error extends globalThis.Error {
      constructor(error: string | number, reason?: string, details?: string);
      error: string | number;
      reason?: string;
      details?: string;
    }

    /** A user document; fields outside the projection asked for are absent. */
    interface User {
      _id: string;
      createdAt?: Date;
      username?: string;
      emails?: Array<{ address: string; verified: boolean }>;
      services?: { password?: { bcrypt?: string; argon2?: string }; [name: string]: unknown };
      profile?: { name?: string; [field: string]: unknown };
    }

    interface FindOptions {
      fields?: Record<string, 0 | 1>;
    }

    /** Meteor 3 made collection reads asynchronous; the synchronous `findOne` is gone. */
    const users: {
      findOneAsync(
        selector: Record<string, unknown>,
        options?: FindOptions,
      ): Promise<User | undefined>;
      /** Resolves how many documents were changed. */
      updateAsync(
        selector: Record<string, unknown>,
        modifier: Record<string, unknown>,
      ): Promise<number>;
    };
  }
}

declare module 'meteor/webapp' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type Next = (error?: unknown) => void;
  type Handler = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

  /** What both Meteor 3's Express app and Meteor 2's connect app offer: prefix mounting. */
  interface HandlerStack {
    use(path: string, handler: Handler): unknown;
  }

  export const WebApp: {
    /** Meteor 3: an Express app (Express 4 on 3.0, Express 5 on 3.1+). */
    handlers?: HandlerStack;
    /** Meteor 2: a connect app; still an alias on Meteor 3.0, gone later. */
    connectHandlers?: HandlerStack;
  };
}

declare module 'meteor/accounts-base' {
  import type { Meteor } from 'meteor/meteor';

  interface FindUserOptions {
    fields?: Record<string, 0 | 1>;
  }

  /** What `_checkPasswordAsync` resolves; `error` is set when the password does not match. */
  interface CheckPasswordResult {
    userId: string;
    error?: Meteor.Error;
  }

  export const Accounts: {
    /** Exact match first, then a case-insensitive one that must be unique. A promise on 3.x. */
    findUserByEmail(email: string, options?: FindUserOptions): Promise<Meteor.User | undefined>;
    findUserByUsername(
      username: string,
      options?: FindUserOptions,
    ): Promise<Meteor.User | undefined>;
    /**
     * Internal to accounts-password, but the only way to check a password as Meteor does
     * (including its argon2 and re-hashing rules). Throws when `services.password` is missing.
     */
    _checkPasswordAsync(user: Meteor.User, password: string): Promise<CheckPasswordResult>;
    /** accounts-password 3.2+: whether new hashes are argon2; absent on older releases. */
    _argon2Enabled?(): boolean;
    /** The bcrypt cost `Accounts.config({ bcryptRounds })` set; absent on very old releases. */
    _bcryptRounds?(): number;
    // TODO(meteor-untested): the three token APIs below are declared from Meteor 3's accounts
    // documentation; no Meteor runs here, so only the Node harness has exercised the glue.
    /**
     * Server, Meteor 3: stores `services.password.reset` = {token, email, when, reason, ...extra}
     * and resolves the token; no mail is sent.
     */
    generateResetToken(
      userId: string,
      email: string,
      reason: string,
      extraTokenData?: Record<string, unknown>,
    ): Promise<{ email: string; user: Meteor.User; token: string }>;
    /** Server, Meteor 3: pushes {token, address, when} onto `services.email.verificationTokens`. */
    generateVerificationToken(
      userId: string,
      email: string,
      extraTokenData?: Record<string, unknown>,
    ): Promise<{ email: string; user: Meteor.User; token: string }>;
    /** Server, Meteor 3: hashes and stores a new password, drops reset tokens; may log out. */
    setPasswordAsync(
      userId: string,
      newPassword: string,
      options?: { logout?: boolean },
    ): Promise<void>;
    /** Server, Meteor 3: hashes the password as accounts-password stores it. */
    createUserAsync(options: {
      username?: string;
      email?: string;
      password?: string;
      profile?: Record<string, unknown>;
    }): Promise<string>;
  };
}

declare module 'meteor/check' {
  type Constructor = StringConstructor | NumberConstructor | BooleanConstructor;
  type Matched<P> = P extends StringConstructor
    ? string
    : P extends NumberConstructor
      ? number
      : P extends BooleanConstructor
        ? boolean
        : P extends Match.Pattern<infer T>
          ? T
          : never;

  export namespace Match {
    /** A pattern built by `Match.*`; the type parameter is what a match narrows to. */
    interface Pattern<T> {
      readonly __matches?: T;
    }
    function Where<T>(condition: (value: unknown) => value is T): Pattern<T>;
    function Maybe<P extends Constructor | Pattern<unknown>>(
      pattern: P,
    ): Pattern<Matched<P> | undefined | null>;
    /** Thrown by `check`; Meteor turns it into a 400 for the method's caller. */
    class Error extends globalThis.Error {}
  }

  export function check<P extends Constructor | Match.Pattern<unknown>>(
    value: unknown,
    pattern: P,
  ): asserts value is Matched<P>;
}

declare module 'meteor/ddp-rate-limiter' {
  /** A matcher field is a value to compare or a predicate; an absent field matches anything. */
  type Field<T> = T | ((value: T) => boolean);

  interface RuleMatcher {
    type?: Field<'method' | 'subscription'>;
    name?: Field<string>;
    userId?: Field<string | null>;
    connectionId?: Field<string>;
    clientAddress?: Field<string>;
  }

  export const DDPRateLimiter: {
    /** At most `numRequests` calls per `timeInterval` ms for each distinct matched key. */
    addRule(matcher: RuleMatcher, numRequests: number, timeInterval: number): string;
  };
}

declare module 'meteor/email' {
  interface EmailOptions {
    from: string;
    to: string;
    subject: string;
    text?: string;
    html?: string;
  }

  export const Email: {
    /** Meteor 2.14+/3: sends through `MAIL_URL`, or prints to stdout when none is set. */
    sendAsync(options: EmailOptions): Promise<void>;
  };
}

declare module 'meteor/mongo' {
  import type { Db } from 'mongodb';

  export const MongoInternals: {
    /** The app's own connection (`MONGO_URL`); `mongo.db` is the driver's `Db`. */
    defaultRemoteCollectionDriver(): { mongo: { db: Db } };
  };
}
