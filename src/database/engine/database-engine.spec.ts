import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseNameFor } from '../database-name.js';
import { chooseEngine } from './database-engine.js';
import { findOnPath } from './start-database-engine.js';

describe(chooseEngine.name, () => {
  it('should use MONGODB_URI first, even with a mongod on PATH', () => {
    expect(chooseEngine({ uri: 'mongodb://db:27017', mongodPath: '/usr/bin/mongod' })).toBe('uri');
  });

  it('should start a mongod found on PATH next', () => {
    expect(chooseEngine({ mongodPath: '/usr/bin/mongod' })).toBe('mongod');
  });

  it('should fall back to the embedded engine', () => {
    expect(chooseEngine({})).toBe('embedded');
  });
});

describe(findOnPath.name, () => {
  it('should find an executable file in one of the PATH directories', () => {
    const empty = mkdtempSync(join(tmpdir(), 'path-a-'));
    const withIt = mkdtempSync(join(tmpdir(), 'path-b-'));
    const mongod = join(withIt, 'mongod');
    writeFileSync(mongod, '#!/bin/sh\n');
    chmodSync(mongod, 0o755);

    expect(findOnPath('mongod', `${empty}:${withIt}`)).toBe(mongod);
    expect(findOnPath('mongod', empty)).toBeUndefined();
  });
});

describe(databaseNameFor.name, () => {
  it('should prefer MONGODB_DB_NAME, then the URI’s database, then "craftsmen"', () => {
    expect(databaseNameFor('mongodb://h:1/fromUri', 'configured')).toBe('configured');
    expect(databaseNameFor('mongodb://h:1/fromUri?retryWrites=true')).toBe('fromUri');
    expect(databaseNameFor('mongodb+srv://u:p@cluster.example.net/app')).toBe('app');
    expect(databaseNameFor('mongodb://h:1')).toBe('craftsmen');
    expect(databaseNameFor('mongodb://h:1/?authSource=admin')).toBe('craftsmen');
  });
});
