import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestReads } from '../../src/common/database/request-reads.js';
import { User } from '../../src/modules/users/schemas/user.schema.js';
import { UsersRepository } from '../../src/modules/users/users.repository.js';
import { CommandRecorder, describeCommands } from '../support/command-recorder.js';
import { newClient, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The request's identity map (src/common/database/request-reads.ts) on the real engine: what it
 * saves, and that a write is never hidden from the reads after it.
 */
describe('A request reads a document once', () => {
  let t: TestApp;
  let recorder: CommandRecorder;
  let users: UsersRepository;
  let model: Model<User>;
  let user: Session;

  beforeAll(async () => {
    t = await createTestApp({ env: { MONGODB_MONITOR_COMMANDS: 'true' } });
    recorder = new CommandRecorder(t);
    users = t.app.get(UsersRepository);
    model = t.app.get<Model<User>>(getModelToken(User.name));
    user = await newClient(t, { firstName: 'Mona' });
  });

  afterAll(async () => {
    await t.close();
  });

  /** The commands `work` sends, once the app is quiet. */
  async function commandsOf(work: () => Promise<unknown>): Promise<string> {
    await recorder.quiet();
    return describeCommands(await recorder.during(async () => void (await work())));
  }

  it('should read a document once however often the request asks for it', async () => {
    const names: string[] = [];

    const sent = await commandsOf(() =>
      RequestReads.run(async () => {
        for (let n = 0; n < 3; n += 1) {
          names.push((await users.findById(user.user.id))!.firstName);
        }
      }),
    );

    expect(sent).toBe('find users');
    expect(names).toEqual(['Mona', 'Mona', 'Mona']);
  });

  it('should read it again after a write, and see the write', async () => {
    const names: string[] = [];

    const sent = await commandsOf(() =>
      RequestReads.run(async () => {
        names.push((await users.findById(user.user.id))!.firstName);
        await model.updateOne({ _id: user.user.id }, { $set: { firstName: 'Mina' } }).exec();
        names.push((await users.findById(user.user.id))!.firstName);
      }),
    );

    expect(sent).toBe('find users, update users, find users');
    expect(names).toEqual(['Mona', 'Mina']);
  });

  it('should read it again after a write that names no single id', async () => {
    const names: string[] = [];

    const sent = await commandsOf(() =>
      RequestReads.run(async () => {
        names.push((await users.findById(user.user.id))!.firstName);
        await model.updateMany({ firstName: 'Mina' }, { $set: { firstName: 'Mona' } }).exec();
        names.push((await users.findById(user.user.id))!.firstName);
      }),
    );

    expect(sent).toBe('find users, update users, find users');
    expect(names).toEqual(['Mina', 'Mona']);
  });

  it('should keep what a write answered with, with no read of its own', async () => {
    let channels: unknown;

    const sent = await commandsOf(() =>
      RequestReads.run(async () => {
        await users.setNotificationPreferences(user.user.id, {
          'quote:submitted': { inApp: true, push: false, email: false },
        });
        channels = (await users.findById(user.user.id))!.notificationPreferences;
      }),
    );

    expect(sent).toBe('findAndModify users');
    expect(channels).toEqual({ 'quote:submitted': { inApp: true, push: false, email: false } });
  });

  it('should keep nothing outside a request', async () => {
    const sent = await commandsOf(async () => {
      await users.findById(user.user.id);
      await users.findById(user.user.id);
    });

    expect(sent).toBe('find users ×2');
  });

  it('should keep nothing from one request to the next', async () => {
    await RequestReads.run(() => users.findById(user.user.id));

    const sent = await commandsOf(() => RequestReads.run(() => users.findById(user.user.id)));

    expect(sent).toBe('find users');
  });
});
