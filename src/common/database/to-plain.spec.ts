import { Types } from 'mongoose';
import { toPlain } from './to-plain.js';

describe(toPlain.name, () => {
  it('should expose id instead of _id and drop __v, at every depth', () => {
    const userId = new Types.ObjectId();
    const jobId = new Types.ObjectId();
    const createdAt = new Date('2026-01-02T03:04:05.000Z');

    const plain = toPlain<Record<string, unknown>>({
      _id: jobId,
      __v: 3,
      title: 'Fix the sink',
      client: { _id: userId, __v: 0, firstName: 'Mona' },
      photos: [{ _id: new Types.ObjectId('65a1b2c3d4e5f60718293a4b'), url: 'x' }],
      invitedIds: [userId],
      createdAt,
    });

    expect(plain).toEqual({
      id: jobId.toHexString(),
      title: 'Fix the sink',
      client: { id: userId.toHexString(), firstName: 'Mona' },
      photos: [{ id: '65a1b2c3d4e5f60718293a4b', url: 'x' }],
      invitedIds: [userId.toHexString()],
      createdAt,
    });
    expect(JSON.stringify(plain)).not.toMatch(/_id|__v/);
  });

  it('should leave null and primitives alone', () => {
    expect(toPlain({ _id: 'a', craftsman: null, count: 0 })).toEqual({
      id: 'a',
      craftsman: null,
      count: 0,
    });
  });
});
