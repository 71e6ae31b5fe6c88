// PathwayMachine.preview: what "Registrér hændelse" shows before the user confirms. It works on a copy, so the
// pathway itself must not change; and what it says must be what recording the event then does.
import { PATHWAY_PATCHES, type EventData, type PathwayEvent } from '../../libs/domain/src';
import { TestPathway } from '../support/machine';

const DAY = 86_400_000;

function previewThenRecord(p: TestPathway, data: EventData, recordedBy = 'OPERATIVE_GROUP') {
  const event: PathwayEvent = { occurredAt: p.now.toISOString(), recordedBy, recordedByUser: 'koordinator', data };
  const before = JSON.stringify(p.machine.state);
  const asked = p.patchesAsked.length;
  const preview = p.machine.preview(event);
  // The live pathway is untouched, and Temporal's patched() was not asked (a query may not ask it).
  expect(JSON.stringify(p.machine.state)).toBe(before);
  expect(p.patchesAsked.length).toBe(asked);
  const openBefore = new Set(
    p
      .status()
      .tasks.filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED')
      .map((t) => t.id),
  );
  const status = p.event(data, recordedBy);
  const opened = status.tasks
    .filter((t) => !openBefore.has(t.id) && (t.status === 'OPEN' || t.status === 'CLAIMED'))
    .map((t) => ({ key: t.key, agency: t.agency, title: t.title, dueAt: t.dueAt }));
  const ended = status.tasks
    .filter((t) => openBefore.has(t.id) && t.status !== 'OPEN' && t.status !== 'CLAIMED')
    .map((t) => ({ key: t.key, agency: t.agency, status: t.status }));
  return { preview, status, opened, ended };
}

describe('PathwayMachine.preview', () => {
  it('ARRESTED in intervention: custody, the custody work it creates with deadlines, the intervention work it ends', () => {
    const p = new TestPathway({ age: 22 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker at komme ud' });
    p.event({ type: 'CONSENT_GIVEN' });
    const { preview, status, opened, ended } = previewThenRecord(p, { type: 'ARRESTED' }, 'POLICE_LOCAL');
    expect(preview.refusal).toBeUndefined();
    expect(preview).toMatchObject({ stageBefore: 'INTERVENTION', stageAfter: 'CUSTODY' });
    expect(status.stage).toBe('CUSTODY');
    expect(preview.created.map((t) => t.key)).toContain('tidlig-plan');
    expect(preview.created.map(({ key, agency, title, dueAt }) => ({ key, agency, title, dueAt }))).toEqual(opened);
    expect(preview.ended.map(({ key, agency, status }) => ({ key, agency, status }))).toEqual(ended);
    for (const t of preview.created) expect(Date.parse(t.dueAt)).toBeGreaterThan(p.now.getTime());
  });

  it('RELEASED in release planning: reintegration and its work, exactly what recording it then creates', () => {
    const p = new TestPathway({ age: 22 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker at komme ud' });
    p.event({ type: 'CONSENT_GIVEN' });
    p.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    const release = new Date(p.now.getTime() + 100 * DAY);
    p.event({ type: 'SENTENCED', expectedReleaseDate: release.toISOString() });
    p.advanceTo(new Date(release.getTime() - 10 * DAY));
    expect(p.status().stage).toBe('RELEASE_PLANNING');
    const { preview, opened, ended } = previewThenRecord(p, { type: 'RELEASED' }, 'KRIMINALFORSORGEN');
    expect(preview).toMatchObject({ stageBefore: 'RELEASE_PLANNING', stageAfter: 'REINTEGRATION' });
    expect(preview.created.map((t) => t.key)).toContain('jobcenter-placement');
    expect(preview.created.map(({ key, agency, title, dueAt }) => ({ key, agency, title, dueAt }))).toEqual(opened);
    expect(preview.ended.map(({ key, agency, status }) => ({ key, agency, status }))).toEqual(ended);
  });

  it('a refused event: the refusal, no tasks, the stage unchanged, nothing changed', () => {
    const p = new TestPathway({ age: 22 });
    const before = JSON.stringify(p.machine.state);
    // Released from custody while in CONTACT: the stage does not accept it.
    const preview = p.machine.preview({
      occurredAt: p.now.toISOString(),
      recordedBy: 'KRIMINALFORSORGEN',
      recordedByUser: 'koordinator',
      data: { type: 'RELEASED' },
    });
    expect(preview.refusal).toBeDefined();
    expect(preview.refusal!.message).toMatch(/\S/);
    expect(preview).toMatchObject({ stageBefore: 'CONTACT', stageAfter: 'CONTACT', created: [], ended: [] });
    expect(JSON.stringify(p.machine.state)).toBe(before);
    expect(() => p.event({ type: 'RELEASED' }, 'KRIMINALFORSORGEN')).toThrow();
  });

  it('repeats the patch answers this run gave: an unpatched (replayed) run previews as it would record', () => {
    // A run that answered every change 'not patched' (a history from before them all).
    const p = new TestPathway({ age: 22, unpatched: Object.values(PATHWAY_PATCHES) });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    const { preview, opened } = previewThenRecord(p, { type: 'ASSESSED', track: 'PREVENTION', reasons: 'Begyndende' });
    expect(preview.stageAfter).toBe('INTERVENTION');
    expect(preview.created.length).toBeGreaterThan(0);
    expect(preview.created.map(({ key, agency, title, dueAt }) => ({ key, agency, title, dueAt }))).toEqual(opened);
  });
});
