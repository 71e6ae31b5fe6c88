// Records the histories the replay test guards (test/fixtures/histories). Not part of `npm test`: run it with
// `npm run record:histories` when a path changes on purpose, and commit what it writes.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { FIXTURE_PAYLOAD_KEYS } from '../support/fixture-key';
import { http, pathwayRequest, startStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporal } = require('../../scripts/ensure-temporal.js') as { ensureTemporal: () => string };

const OUT = path.join(__dirname, '..', 'fixtures', 'histories');

async function save(stack: TestStack, pathwayId: string, name: string): Promise<void> {
  // The CLI writes the same JSON form `temporal workflow show -o json` gives anyone debugging a pathway.
  const json = execFileSync(ensureTemporal(), [
    'workflow',
    'show',
    '--address',
    stack.temporal.address,
    '--namespace',
    stack.temporal.namespace,
    '--workflow-id',
    `pathway-${pathwayId}`,
    '--output',
    'json',
  ]);
  writeFileSync(path.join(OUT, `${name}.json`), json);
}

describe('record histories', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ payloadKeys: FIXTURE_PAYLOAD_KEYS });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('contact to assessment, a 16-year-old', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name: 'Fixture Person' }));
    expect(created.status).toBe(201);
    const [first, ...rest] = created.body.tasks;
    expect((await http(stack, 'POST', `/tasks/${first.id}/complete`, { outcome: 'Udført' })).status).toBe(200);
    expect((await http(stack, 'POST', `/tasks/${first.id}/complete`, { outcome: 'Igen' })).status).toBe(409);
    for (const task of rest) await http(stack, 'POST', `/tasks/${task.id}/complete`, { outcome: 'Udført' });
    expect((await http(stack, 'GET', `/pathways/${created.body.id}`)).body.stage).toBe('ASSESSMENT');
    await save(stack, created.body.id, 'contact-to-assessment');
  });
});
