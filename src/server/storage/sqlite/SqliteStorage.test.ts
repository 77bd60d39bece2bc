import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageContract } from '../testing/storageContract';
import { SqliteStorage } from './SqliteStorage';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'tributary-sqlite-')), 'tributary.db');

describeStorageContract('sqlite, chunked', () => new SqliteStorage({ filename: tempFile() }));
describeStorageContract(
  'sqlite, row per datapoint',
  () => new SqliteStorage({ filename: tempFile(), layout: 'rows' }),
);
