// The canary: a person whose name, birth date and pathway id are written into everything the system holds (a running
// pathway with its tasks and timeline, a read-model pathway in custody being released, a meeting whose member wrote
// the name into an item), and then every operation of the API's own OpenAPI document called as every demo account
// with the STEERING or MANAGER role — the routes the policy table lets it call (each must answer, never a 5xx) and
// the ones it refuses (whose refusal must not give the name back either). PDFs are read back with pdftotext. Which
// routes are called comes from the document, never from a list kept here: a new route is walked the day it exists.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXTERNAL_AGENCY_SEED, normaliseRoles, roleRefusal, type Action, type Actor } from '../../../libs/domain/src';
import { DEV_USERS, type DevUser } from '../../../scripts/dev-stack/dev-accounts';
import { publish, quickJobcenterPlaybook, startDrill } from '../../support/drill';
import { http, startStack, type TestStack } from '../../support/stack';

const CANARY = 'Kanariefugl Styresen';
const CANARY_BIRTH = '2009-05-23';
const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober'];

interface Operation {
  method: string;
  route: string;
  action: Action;
  query: { name: string; values: string[] }[];
}

let stack: TestStack;
let operations: Operation[];
const secrets: string[] = [CANARY, 'Kanariefugl', 'Styresen', CANARY_BIRTH, '23-05-2009', '23.05.2009'];
const seededId = randomUUID();
let drillId: string;
let meetingId: string;

function actorOf(user: DevUser): Actor {
  return {
    userId: user.username,
    displayName: user.name,
    agency: user.agency,
    agencyKind: EXTERNAL_AGENCY_SEED.some((a) => a.code === user.agency) ? 'EXTERNAL' : 'PARTNER',
    roles: normaliseRoles(user.roles),
  };
}

const previousMonth = () => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};

/** A path parameter filled in so that the call reaches the canary where it can: its pathway id for every {id}. */
function fill(route: string, pathwayId: string): string {
  const year = String(new Date().getUTCFullYear());
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'year') return year;
    if (name === 'month') return previousMonth();
    if (name === 'code') return 'SSP';
    if (name === 'version') return '1';
    if (name === 'itemId') return randomUUID();
    return pathwayId;
  });
}

beforeAll(async () => {
  stack = await startStack();
  const quick = quickJobcenterPlaybook('canary drill');
  await publish(stack, quick);
  const drill = await startDrill(stack, { age: 17, playbook: quick, name: CANARY });
  drillId = drill.id;
  secrets.push(drill.id);
  // The person's fields are sealed in the read model: their birth date as a coordinator reads it.
  const read = await http(stack, 'GET', `/pathways/${drill.id}`, undefined, { as: 'koordinator' });
  expect(read.body.person.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  secrets.push(read.body.person.birthDate);
  // A second canary straight in the read model: in custody, released in three weeks, turning 18 within the half year.
  const since = new Date(Date.now() - 40 * 86400_000).toISOString();
  const release = new Date(Date.now() + 21 * 86400_000).toISOString();
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at, expected_release_at, stalled)
     VALUES ($1, $2, 'CUSTODY', 'TINGBJERG', 0, $3, $3, 1, $3, $4, true)`,
    [seededId, `pathway-${seededId}`, since, release],
  );
  await stack.db.query(
    `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
     VALUES ($1, $2, $3, 'POLICE_LOCAL', $4, 'Kontekst')`,
    [seededId, CANARY, CANARY_BIRTH, since],
  );
  secrets.push(seededId);
  // The operative group's meeting, where a member wrote the name: the steering group must not reach it either.
  const meeting = await http(stack, 'POST', '/meetings', { date: '2026-12-09' }, { as: 'operativ-gruppe' });
  await http(
    stack,
    'POST',
    `/meetings/${meeting.body.id}/items`,
    { title: `Samtale med ${CANARY}`, why: `${CANARY} løslades snart`, pathwayId: seededId },
    { as: 'operativ-gruppe' },
  );
  meetingId = meeting.body.id;
  secrets.push(meetingId);

  const doc = (await (await fetch(`${stack.baseUrl}/api/docs-json`)).json()) as {
    paths: Record<
      string,
      Record<string, { 'x-action': Action; parameters?: { name: string; in: string; schema?: { enum?: unknown[] } }[] }>
    >;
  };
  operations = Object.entries(doc.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      route,
      action: op['x-action'],
      query: (op.parameters ?? [])
        .filter((p) => p.in === 'query' && Array.isArray(p.schema?.enum))
        .map((p) => ({ name: p.name, values: (p.schema?.enum ?? []).map(String) })),
    })),
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** What a caller reads from an answer: its headers and body, a PDF as its text. */
async function readable(res: Response): Promise<string> {
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  const body = Buffer.from(await res.arrayBuffer());
  if (!(res.headers.get('content-type') ?? '').includes('application/pdf')) return `${headers}\n${body.toString()}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'exit-canary-'));
  try {
    writeFileSync(path.join(dir, 'answer.pdf'), body);
    return `${headers}\n${execFileSync('pdftotext', [path.join(dir, 'answer.pdf'), '-'], { encoding: 'utf8' })}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ACCOUNTS = DEV_USERS.filter((u) => u.roles.some((r) => r === 'STEERING' || r === 'MANAGER'));

describe('the canary: the steering group and managers never receive a person', () => {
  it('has steering and manager accounts to try, and the document names an action for every operation', () => {
    expect(ACCOUNTS.map((u) => u.roles).flat()).toEqual(expect.arrayContaining(['STEERING', 'MANAGER']));
    for (const op of operations)
      expect({ op: `${op.method} ${op.route}`, action: typeof op.action }).toEqual({
        op: `${op.method} ${op.route}`,
        action: 'string',
      });
  });

  it.each(ACCOUNTS.map((u) => [u.username, u] as const))(
    '%s: no route it may call (nor any it may not) gives back the canary',
    async (_, user) => {
      const actor = actorOf(user);
      const token = await stack.tokenFor(user.username);
      const called: string[] = [];
      const failures: string[] = [];
      for (const op of operations) {
        const allowed = roleRefusal(op.action, actor) === undefined;
        // Every {id} as each canary's pathway (and the meeting's id on the meeting routes).
        const ids = op.route.startsWith('/meetings') ? [meetingId] : [seededId, drillId];
        const paths = [...new Set(ids.map((id) => fill(op.route, id)))];
        const variants = ['', ...op.query.flatMap((q) => q.values.map((v) => `?${q.name}=${encodeURIComponent(v)}`))];
        for (const query of variants) {
          for (const id of paths) {
            const res = await fetch(`${stack.baseUrl}${id}${query}`, {
              method: op.method,
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: ['GET', 'HEAD'].includes(op.method) ? undefined : '{}',
            });
            const text = await readable(res);
            const label = `${op.method} ${id}${query} → ${res.status}`;
            if (allowed) called.push(label);
            if (res.status >= 500) failures.push(`${label}: a 5xx`);
            if (!allowed && res.status !== 403) failures.push(`${label}: refused by the table, answered otherwise`);
            const leaked = secrets.filter((s) => text.includes(s));
            if (leaked.length > 0) failures.push(`${label}: gave back ${leaked.join(', ')}`);
            // A birth date in Danish words, as a PDF would write it.
            const [y, m, d] = CANARY_BIRTH.split('-').map(Number);
            if (text.includes(`${d}. ${MONTHS[m - 1]} ${y}`)) failures.push(`${label}: gave back the birth date`);
          }
        }
      }
      expect(failures).toEqual([]);
      // Not a test that cannot fail: the account reached the figures it is there for, the yearly report as PDF among them.
      expect(called.some((c) => c.startsWith('GET /oversight/stages') && c.endsWith('200'))).toBe(true);
      expect(called.some((c) => /GET \/reports\/yearly\/\d{4}\?format=pdf → 200/.test(c))).toBe(true);
    },
    180_000,
  );
});
