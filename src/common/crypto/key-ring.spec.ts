import { randomBytes } from 'node:crypto';
import { parseKeyRing } from './key-ring.js';

const key32 = () => randomBytes(32).toString('base64');

describe(parseKeyRing.name, () => {
  it('should read comma-separated <id>:<base64> entries, newest first, around spaces', () => {
    const [k2, k1] = [key32(), key32()];

    const { keys, problems } = parseKeyRing(` k2:${k2} , k1:${k1}`);

    expect(problems).toEqual([]);
    expect(keys.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(keys[0].key).toEqual(Buffer.from(k2, 'base64'));
    expect(keys[1].key).toHaveLength(32);
  });

  it('should name each malformed entry by its position, without repeating it', () => {
    const secret = key32();

    const { keys, problems } = parseKeyRing(
      `${secret},bad id:${key32()},${'x'.repeat(33)}:${key32()}`,
    );

    expect(keys).toEqual([]);
    expect(problems).toEqual([
      expect.stringMatching(/^entry 1 is not <keyId>:<base64 of 32 bytes>/),
      expect.stringMatching(/^entry 2 is not/),
      expect.stringMatching(/^entry 3 is not/),
    ]);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('should refuse a key that is not base64 or not exactly 32 bytes', () => {
    const { problems } = parseKeyRing(
      `short:${randomBytes(16).toString('base64')},long:${randomBytes(33).toString('base64')},text:not*base64,empty:`,
    );

    expect(problems).toEqual([
      'key "short" is 16 bytes, not 32 (e.g. `openssl rand -base64 32`)',
      'key "long" is 33 bytes, not 32 (e.g. `openssl rand -base64 32`)',
      'key "text" is not base64',
      'key "empty" is not base64',
    ]);
  });

  it('should refuse an id used twice', () => {
    const { keys, problems } = parseKeyRing(`k1:${key32()},k1:${key32()}`);

    expect(keys).toHaveLength(1);
    expect(problems).toEqual(['key id "k1" is used twice: each key needs an id of its own']);
  });
});
