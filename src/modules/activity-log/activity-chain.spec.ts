import { canonicalJson, entryHash, GENESIS_HASH, plainDetails } from './activity-chain.js';

const content = {
  id: '65f000000000000000000001',
  seq: 1,
  key: 'user.banned:65f000000000000000000002:1700000000000',
  actor: { id: '65f000000000000000000003', role: 'moderator' },
  action: 'user.banned',
  target: { type: 'user', id: '65f000000000000000000002' },
  details: { reason: 'spam' },
  ip: '127.0.0.1',
  createdAt: new Date('2026-11-01T10:00:00.000Z'),
};

describe(canonicalJson.name, () => {
  it('should sort the keys of every object, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 3, e: 4 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":4,"f":3}]},"b":1}',
    );
  });

  it('should write dates as ISO strings and leave undefined members out', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.006Z'), gone: undefined })).toBe(
      '{"at":"2026-01-02T03:04:05.006Z"}',
    );
  });
});

describe(entryHash.name, () => {
  it('should be the sha256 of the previous hash, a newline and the canonical JSON', () => {
    // the expected hash computed apart: printf '%s\n%s' "$GENESIS" "$JSON" | sha256sum
    const json = canonicalJson(content);
    expect(json).toBe(
      '{"action":"user.banned","actor":{"id":"65f000000000000000000003","role":"moderator"},' +
        '"createdAt":"2026-11-01T10:00:00.000Z","details":{"reason":"spam"},' +
        '"id":"65f000000000000000000001","ip":"127.0.0.1",' +
        '"key":"user.banned:65f000000000000000000002:1700000000000","seq":1,' +
        '"target":{"id":"65f000000000000000000002","type":"user"}}',
    );
    expect(entryHash(GENESIS_HASH, content)).toBe(
      '4a684b02e7f56d9a8469d9d9247ba9ba736484f2781dbc505c6eefe87149f5fd',
    );
  });

  it('should not depend on the order the fields come back in', () => {
    const reordered = {
      createdAt: content.createdAt,
      target: { id: content.target.id, type: content.target.type },
      details: { ...content.details },
      ip: content.ip,
      action: content.action,
      actor: { role: content.actor.role, id: content.actor.id },
      key: content.key,
      seq: content.seq,
      id: content.id,
    };
    expect(entryHash(GENESIS_HASH, reordered)).toBe(entryHash(GENESIS_HASH, content));
  });

  it('should change with any recorded field and with the previous hash', () => {
    const hash = entryHash(GENESIS_HASH, content);
    expect(entryHash(GENESIS_HASH, { ...content, details: { reason: 'Spam' } })).not.toBe(hash);
    expect(entryHash(GENESIS_HASH, { ...content, seq: 2 })).not.toBe(hash);
    expect(entryHash(GENESIS_HASH, { ...content, ip: null })).not.toBe(hash);
    expect(entryHash('f'.repeat(64), content)).not.toBe(hash);
  });
});

describe(plainDetails.name, () => {
  it('should turn dates into strings and drop undefined members', () => {
    expect(plainDetails({ at: new Date('2026-01-02T00:00:00.000Z'), gone: undefined })).toEqual({
      at: '2026-01-02T00:00:00.000Z',
    });
  });
});
