import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { startEmbeddedEngine } from '../../src/database/engine/embedded-engine.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { ENGINE_DIR } from '../../src/database/engine/project-paths.js';
import { createTestApp } from '../support/test-app.js';

const quiet = () => undefined;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

async function withClient<T>(
  uri: string,
  work: (client: mongo.MongoClient) => Promise<T>,
): Promise<T> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.close();
  }
}

describe('the embedded database engine', () => {
  it('should keep data across a restart on its file storage (npm start)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'engine-data-'));
    const options = { storage: 'file' as const, dataDir, log: quiet, warn: quiet };
    try {
      const first = await startEmbeddedEngine(options);
      await withClient(first.uri, (client) =>
        client.db('craftsmen').collection('things').insertOne({ name: 'kept' }),
      );
      await first.stop();

      const second = await startEmbeddedEngine(options);
      const found = await withClient(second.uri, (client) =>
        client.db('craftsmen').collection('things').findOne({ name: 'kept' }),
      );
      await second.stop();

      expect(found).toMatchObject({ name: 'kept' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('should report MongoDB 4.4 (wire version 9), as the driver requires', async () => {
    const engine = await startEmbeddedEngine({
      storage: 'memory',
      dataDir: '',
      log: quiet,
      warn: quiet,
    });
    try {
      const [isMaster, buildInfo] = await withClient(engine.uri, (client) =>
        Promise.all([
          client.db('admin').command({ isMaster: 1 }),
          client.db('admin').command({ buildInfo: 1 }),
        ]),
      );
      expect(isMaster.maxWireVersion).toBe(9);
      expect(buildInfo.version).toBe('4.4.0');
    } finally {
      await engine.stop();
    }
  });

  it('should stop when the process that started it is killed', async () => {
    // a parent that starts the engine the way the app does (stdin piped), then is SIGKILLed
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         const java = spawn('java', ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', process.argv[1] + '/classes:' + process.argv[1] + '/lib/*',
           'EmbeddedMongo', 'memory', '-', '127.0.0.1', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
         java.stdout.once('data', () => console.log('JAVA ' + java.pid));
         setInterval(() => {}, 1000);`,
        ENGINE_DIR,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const javaPid = await new Promise<number>((resolve) =>
      parent.stdout.on('data', (chunk: Buffer) => {
        const match = /JAVA (\d+)/.exec(chunk.toString());
        if (match) {
          resolve(Number(match[1]));
        }
      }),
    );
    expect(isAlive(javaPid)).toBe(true);

    parent.kill('SIGKILL');

    expect(await waitUntilGone(javaPid, 10_000)).toBe(true);
  });

  it('should be stopped when the app closes', async () => {
    const t = await createTestApp({ env: { MONGODB_URI: '' } });
    const engine = t.app.get<DatabaseEngine>(DATABASE_ENGINE);
    expect(engine.kind).toBe('embedded');
    expect(isAlive(engine.pid!)).toBe(true);

    await t.app.close();

    expect(await waitUntilGone(engine.pid!, 10_000)).toBe(true);
  });
});
