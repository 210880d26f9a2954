import { createHash } from 'node:crypto';

import * as argon2 from 'argon2';
import bcrypt from 'bcrypt';
import { expect } from 'chai';

import {
  candidateDigests,
  createMeteorPasswordChecker,
  DUMMY_ARGON2_HASH,
  DUMMY_BCRYPT_HASH,
  EmptyPasswordError,
  hashMeteorPassword,
  type HashVerifier,
  meteorPasswordDigest,
  PasswordTooLongError,
  recogniseStoredHash,
  type StoredHash,
  utf8PasswordDigest,
  verifyMeteorPassword,
  verifyWithNativeHasher,
} from '../../packages/hydra-oauth/lib/accounts/meteorPassword';
import {
  generateMeteorId,
  METEOR_ID_ALPHABET,
  MissingIdentifierError,
  newMeteorUserDocument,
  toAccountUser,
  type MeteorUserDocument,
} from '../../packages/hydra-oauth/lib/accounts/meteorUsers';

/** The digest Meteor's client sends, computed here with Node's own SHA-256, not the module's. */
function sha256Hex(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

/** `services.password` as Meteor (bcrypt package, `$2b$`) writes it. */
async function meteorBcryptService(password: string, rounds: number) {
  return { bcrypt: await bcrypt.hash(sha256Hex(password), rounds) };
}

/** `services.password` as Meteor 3.2+ with `argon2Enabled` writes it (library's own order). */
async function meteorArgon2Service(password: string) {
  const hash = await argon2.hash(sha256Hex(password), {
    type: argon2.argon2id,
    timeCost: 2,
    memoryCost: 19456,
    parallelism: 1,
  });
  return { argon2: hash };
}

/** Counts calls and remembers which hashes were compared, then does the real comparison. */
function recordingVerifier() {
  const calls: { stored: StoredHash; digest: string }[] = [];
  const verifyHash: HashVerifier = async (stored, digest) => {
    calls.push({ stored, digest });
    return verifyWithNativeHasher(stored, digest);
  };
  return { calls, verifyHash };
}

describe('Meteor password digest', () => {
  // Expected values from `echo -n <password> | sha256sum` (the first is also the example in
  // Meteor's `sha` package README).
  it('is the lower-case hex SHA-256 of an ASCII password', () => {
    expect(meteorPasswordDigest('meteor')).to.equal(
      '647d177cca8601046a3cb39e12f55bec5790bfcbc42199dd5fcf063200fac1d0');
    expect(meteorPasswordDigest('correct horse battery staple')).to.equal(
      'c4bbcb1fbec99d65bf59d85c8cb62ee2db963f0fe106f483d9afa73bd4e39a8a');
  });

  it('hashes two- and three-byte characters as UTF-8', () => {
    // printf 'pa\xc3\x9f\xe2\x82\xac' | sha256sum
    expect(meteorPasswordDigest('paß€')).to.equal(
      '9316a640f72c8626010ade9563ddf3a3e4c8d1bdd9be481385afad9f30a5b895');
  });

  it('encodes an astral character as two surrogates, like Meteor\'s hand-written SHA-256', () => {
    // printf 'x\xed\xa0\xbd\xed\xb8\x80' | sha256sum   (CESU-8 of "x😀")
    expect(meteorPasswordDigest('x😀')).to.equal(
      '76f56d703cb5a07102204e74203b10a0ddfb5ca717698e6275435647f327d87a');
    // printf 'x\xf0\x9f\x98\x80' | sha256sum           (UTF-8 of "x😀")
    expect(utf8PasswordDigest('x😀')).to.equal(
      'c3cd6bb319af3bee70c1785e45c723dace589613fd6984677911fb23798a35df');
  });

  it('tries both encodings only for passwords with astral characters', () => {
    expect(candidateDigests('meteor')).to.have.length(1);
    expect(candidateDigests('x😀')).to.deep.equal([
      '76f56d703cb5a07102204e74203b10a0ddfb5ca717698e6275435647f327d87a',
      'c3cd6bb319af3bee70c1785e45c723dace589613fd6984677911fb23798a35df',
    ]);
  });
});

describe('verifyMeteorPassword', () => {
  it('accepts a bcrypt hash of the digest at Meteor\'s default cost 10', async () => {
    const service = await meteorBcryptService('s3cret pass', 10);
    expect(service.bcrypt.startsWith('$2b$10$')).to.equal(true);
    expect(await verifyMeteorPassword(service, 's3cret pass')).to.equal(true);
  });

  it('accepts bcrypt hashes of other costs (4 and 12)', async () => {
    expect(await verifyMeteorPassword(await meteorBcryptService('low cost', 4), 'low cost'))
      .to.equal(true);
    expect(await verifyMeteorPassword(await meteorBcryptService('high cost', 12), 'high cost'))
      .to.equal(true);
  });

  it('accepts the $2a$ prefix older Meteor releases wrote', async () => {
    const { bcrypt: hash } = await meteorBcryptService('old meteor', 4);
    const service = { bcrypt: hash.replace(/^\$2b\$/, '$2a$') };
    expect(await verifyMeteorPassword(service, 'old meteor')).to.equal(true);
  });

  it('accepts an argon2id hash made with Meteor\'s parameters', async () => {
    const service = await meteorArgon2Service('argon pass');
    expect(await verifyMeteorPassword(service, 'argon pass')).to.equal(true);
    expect(await verifyMeteorPassword(service, 'argon pasS')).to.equal(false);
  });

  it('checks argon2 rather than bcrypt when a document has both, as Meteor does', async () => {
    const service = {
      ...(await meteorBcryptService('the bcrypt one', 4)),
      ...(await meteorArgon2Service('the argon2 one')),
    };
    expect(await verifyMeteorPassword(service, 'the argon2 one')).to.equal(true);
    expect(await verifyMeteorPassword(service, 'the bcrypt one')).to.equal(false);
  });

  it('rejects a wrong password', async () => {
    const service = await meteorBcryptService('right password', 10);
    expect(await verifyMeteorPassword(service, 'wrong password')).to.equal(false);
    expect(await verifyMeteorPassword(service, 'Right password')).to.equal(false);
  });

  it('accepts a password of exactly 256 characters', async () => {
    const longest = 'a'.repeat(256);
    expect(await verifyMeteorPassword(await meteorBcryptService(longest, 4), longest))
      .to.equal(true);
  });

  it('rejects a password over 256 characters without hashing anything', async () => {
    const tooLong = 'a'.repeat(257);
    const { calls, verifyHash } = recordingVerifier();
    const checker = createMeteorPasswordChecker({ verifyHash });

    expect(await checker.verify(await meteorBcryptService(tooLong, 4), tooLong)).to.equal(false);
    expect(await checker.verify(undefined, tooLong)).to.equal(false);
    expect(calls).to.have.length(0);
  });

  it('accepts a password with an emoji whichever SHA-256 encoding made the hash', async () => {
    const cesuService = { bcrypt: await bcrypt.hash(meteorPasswordDigest('key🔑'), 4) };
    const utf8Service = { bcrypt: await bcrypt.hash(sha256Hex('key🔑'), 4) };
    expect(await verifyMeteorPassword(cesuService, 'key🔑')).to.equal(true);
    expect(await verifyMeteorPassword(utf8Service, 'key🔑')).to.equal(true);
  });

  describe('when there is nothing to check against', () => {
    const cases: [string, unknown][] = [
      ['an unknown user (no services at all)', undefined],
      ['a passwordless user (services.password absent)', {}],
      ['a user whose bcrypt field is empty', { bcrypt: '' }],
      ['a user whose stored hash is unreadable', { bcrypt: 'plaintext?' }],
    ];
    for (const [situation, service] of cases) {
      it(`compares against the dummy hash for ${situation} and fails`, async () => {
        const { calls, verifyHash } = recordingVerifier();
        const checker = createMeteorPasswordChecker({ verifyHash });

        expect(await checker.verify(service, 'any password')).to.equal(false);
        expect(calls).to.deep.equal([
          { stored: { scheme: 'bcrypt', hash: DUMMY_BCRYPT_HASH },
            digest: meteorPasswordDigest('any password') },
        ]);
      });
    }

    it('fails an empty password after the dummy comparison, even for a real user', async () => {
      const { calls, verifyHash } = recordingVerifier();
      const checker = createMeteorPasswordChecker({ verifyHash });
      const service = await meteorBcryptService('', 4);

      expect(await checker.verify(service, '')).to.equal(false);
      expect(calls.map((call) => call.stored.hash)).to.deep.equal([DUMMY_BCRYPT_HASH]);
    });

    it('uses the configured dummy hash (argon2 for apps that enable it)', async () => {
      const { calls, verifyHash } = recordingVerifier();
      const checker = createMeteorPasswordChecker({ verifyHash, dummyHash: DUMMY_ARGON2_HASH });

      expect(await checker.checkAgainstDummyHash('whatever')).to.equal(false);
      expect(calls.map((call) => call.stored)).to.deep.equal([
        { scheme: 'argon2', hash: DUMMY_ARGON2_HASH },
      ]);
    });

    it('does as many comparisons as a wrong password does for a real user', async () => {
      const wrong = recordingVerifier();
      const missing = recordingVerifier();
      const service = await meteorBcryptService('real 🔑', 4);

      await createMeteorPasswordChecker({ verifyHash: wrong.verifyHash }).verify(service, 'x😀');
      await createMeteorPasswordChecker({ verifyHash: missing.verifyHash }).verify({}, 'x😀');
      expect(wrong.calls.map((call) => call.digest))
        .to.deep.equal(missing.calls.map((call) => call.digest));
      expect(wrong.calls).to.have.length(2);
    });

    it('refuses a dummy hash that is not a bcrypt or argon2 hash', () => {
      expect(() => createMeteorPasswordChecker({ dummyHash: 'nope' })).to.throw(TypeError);
    });
  });
});

describe('hashMeteorPassword', () => {
  it('writes bcrypt of the digest at cost 10 by default, as Meteor checks it', async () => {
    const hashed = await hashMeteorPassword('for meteor');
    if (!('bcrypt' in hashed)) throw new Error('expected a bcrypt hash');

    expect(hashed.bcrypt).to.match(/^\$2b\$10\$[./A-Za-z0-9]{53}$/);
    expect(await bcrypt.compare(sha256Hex('for meteor'), hashed.bcrypt)).to.equal(true);
  });

  it('uses the bcrypt cost it is given', async () => {
    const hashed = await hashMeteorPassword('cheap', { bcryptRounds: 4 });
    expect('bcrypt' in hashed && hashed.bcrypt.startsWith('$2b$04$')).to.equal(true);
  });

  it('writes argon2id with Meteor\'s parameters in the m,t,p order Meteor parses', async () => {
    const hashed = await hashMeteorPassword('for meteor 3.2', { algorithm: 'argon2' });
    if (!('argon2' in hashed)) throw new Error('expected an argon2 hash');

    expect(hashed.argon2.split('$').slice(1, 4)).to.deep.equal(
      ['argon2id', 'v=19', 'm=19456,t=2,p=1']);
    expect(await argon2.verify(hashed.argon2, sha256Hex('for meteor 3.2'))).to.equal(true);
    expect(await verifyMeteorPassword(hashed, 'for meteor 3.2')).to.equal(true);
  });

  it('refuses a password over 256 characters and an empty one', async () => {
    let tooLong: unknown;
    await hashMeteorPassword('b'.repeat(257)).catch((error: unknown) => { tooLong = error; });
    expect(tooLong).to.be.instanceOf(PasswordTooLongError);

    let empty: unknown;
    await hashMeteorPassword('').catch((error: unknown) => { empty = error; });
    expect(empty).to.be.instanceOf(EmptyPasswordError);
  });

  it('refuses a bcrypt cost outside 4..31', async () => {
    let error: unknown;
    await hashMeteorPassword('x', { bcryptRounds: 3 }).catch((caught: unknown) => {
      error = caught;
    });
    expect(error).to.be.instanceOf(RangeError);
  });

  it('recognises only bcrypt and argon2 hashes', () => {
    expect(recogniseStoredHash(DUMMY_BCRYPT_HASH)?.scheme).to.equal('bcrypt');
    expect(recogniseStoredHash(DUMMY_ARGON2_HASH)?.scheme).to.equal('argon2');
    expect(recogniseStoredHash('$1$md5crypt$abc')).to.equal(undefined);
    expect(recogniseStoredHash('$2b$10$tooshort')).to.equal(undefined);
  });
});

describe('Meteor user documents', () => {
  it('generates 17-character ids from Meteor\'s Random.id alphabet', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateMeteorId()));
    expect(ids.size).to.equal(1000);
    const meteorId = new RegExp(`^[${METEOR_ID_ALPHABET}]{17}$`);
    expect([...ids].filter((id) => !meteorId.test(id))).to.deep.equal([]);
  });

  it('builds the document Accounts.createUser inserts', async () => {
    const doc = await newMeteorUserDocument({
      email: 'Ada@Example.com', username: 'ada', password: 'analytical', name: 'Ada Lovelace',
      bcryptRounds: 4,
    });

    expect(Object.keys(doc)).to.deep.equal(
      ['createdAt', '_id', 'services', 'username', 'emails', 'profile']);
    expect(doc.createdAt).to.be.instanceOf(Date);
    expect(doc.username).to.equal('ada');
    expect(doc.emails).to.deep.equal([{ address: 'Ada@Example.com', verified: false }]);
    expect(doc.profile).to.deep.equal({ name: 'Ada Lovelace' });
    expect(Object.keys(doc.services?.password ?? {})).to.deep.equal(['bcrypt']);
    expect(await bcrypt.compare(sha256Hex('analytical'), doc.services?.password?.bcrypt ?? ''))
      .to.equal(true);
  });

  it('leaves services empty when no password is given, as Meteor does', async () => {
    const doc = await newMeteorUserDocument({ username: 'nopass' });
    expect(doc.services).to.deep.equal({});
    expect(doc).not.to.have.property('emails');
  });

  it('refuses a user with neither username nor e-mail address', async () => {
    let error: unknown;
    await newMeteorUserDocument({ password: 'x' }).catch((caught: unknown) => { error = caught; });
    expect(error).to.be.instanceOf(MissingIdentifierError);
  });

  it('reads a document into an AccountUser without services or malformed fields', () => {
    const doc = {
      _id: 'a2b3c4d5e6f7g8h9i',
      createdAt: new Date(0),
      username: 'grace',
      emails: [
        { address: 'grace@example.com', verified: true },
        { address: 42, verified: true },
        { address: 'old@example.com' },
      ],
      services: { password: { bcrypt: DUMMY_BCRYPT_HASH }, resume: { loginTokens: [] } },
      profile: { name: 'Grace Hopper', givenName: 7, avatar: 'x.png' },
    } as unknown as MeteorUserDocument;

    expect(toAccountUser(doc)).to.deep.equal({
      id: 'a2b3c4d5e6f7g8h9i',
      username: 'grace',
      emails: [
        { address: 'grace@example.com', verified: true },
        { address: 'old@example.com', verified: false },
      ],
      profile: { name: 'Grace Hopper' },
    });
  });
});
