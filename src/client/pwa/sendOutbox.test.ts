import { beforeEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../local-first/outbox';
import { FakeClient } from '../local-first/testing/fakes';
import { openTestDb, type TestDb } from '../local-first/testing/testDb';
import { sendOutbox } from './sendOutbox';

const MOOD = 'alice/user/mood';

let test: TestDb;
let client: FakeClient;

beforeEach(async () => {
  test = await openTestDb();
  client = new FakeClient();
  await createOutbox({ db: test.db, user: 'alice' }).enqueue(MOOD, [
    { t: 10, d: 1 },
    { t: 20, d: 2 },
  ]);
});

const deps = () => ({ client, openDb: () => test.openAnother() });

describe('sendOutbox (Background Sync in the service worker)', () => {
  it('sends the outbox of whoever the session cookie belongs to', async () => {
    expect(await sendOutbox(deps())).toMatchObject({ outcome: 'done', savedPoints: 2 });
    expect(client.points(MOOD)).toEqual([
      { t: 10, d: 1 },
      { t: 20, d: 2 },
    ]);
    expect(await test.db.outbox.count()).toBe(0);
  });

  it('sends nothing when nobody is logged in, or someone else is', async () => {
    client.identity = 'nobody';
    expect(await sendOutbox(deps())).toBeUndefined();
    client.identity = 'bob/user';
    expect(await sendOutbox(deps())).toMatchObject({ savedPoints: 0 });
    expect(client.requests).toEqual([]);
    expect(await test.db.outbox.count()).toBe(1);
  });

  it('fails without a network, so that the browser fires the sync again later', async () => {
    client.answer = () => 'offline';
    await expect(sendOutbox(deps())).rejects.toThrow(/network_error/);
    expect(await test.db.outbox.count()).toBe(1);
  });
});
