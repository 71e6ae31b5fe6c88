// The pathway machine driven as the workflow shell drives it (workflows/pathway/workflow.ts), with a fake clock:
// a command is refused or applied and settled, and time moves only when a test moves it, waking the machine at
// every instant it asks for on the way. Milliseconds per case, with the real playbook's spans in days.
import {
  PathwayMachine,
  type ClosingOutcome,
  type EventData,
  type MeetingItemDecision,
  type PathwayInput,
  type PathwayPriority,
  type PathwayStatus,
  type Playbook,
  type Refusal,
  type Role,
  type Task,
  type TimelineEntry,
} from '../../libs/domain/src';
import playbookV1 from '../../libs/domain/playbooks/v1.json';
import playbookV2 from '../../libs/domain/playbooks/v2.json';
import playbookV3 from '../../libs/domain/playbooks/v3.json';

export const V1 = playbookV1 as Playbook;
export const V2 = playbookV2 as Playbook;
export const V3 = playbookV3 as Playbook;

/** A refused command, as the workflow throws it (type and details) and the API reads it. */
export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
  get type(): string {
    return this.refusal.type;
  }
}

export interface MachineOptions {
  /** The person's age when the pathway opens (born on this day that many years ago, Copenhagen). */
  age: number;
  playbook?: Playbook;
  /** When the clock starts: a Monday morning, away from holidays. */
  start?: string;
  adultAt?: Date;
  livesWithParents?: boolean;
  /** Patch ids that answer false, as for a pathway started before them. */
  unpatched?: string[];
}

/** A pathway on a fake clock: the machine, the shell's loop, and everything it wrote to the read model. */
export class TestPathway {
  readonly machine: PathwayMachine;
  /** Every batch the read model received, in order. */
  readonly batches: ReturnType<PathwayMachine['takeBatch']>[] = [];
  /** Patch ids in the order they were asked about. */
  readonly patchesAsked: string[] = [];
  private clock: number;
  private ids = 0;

  constructor(options: MachineOptions, state?: PathwayInput['state']) {
    this.clock = Date.parse(options.start ?? '2027-03-01T08:00:00Z');
    const now = new Date(this.clock);
    const born = new Date(now);
    born.setUTCFullYear(now.getUTCFullYear() - options.age);
    const input: PathwayInput = {
      pathwayId: 'p-1',
      person: {
        name: 'Test Person',
        birthDate: born.toISOString().slice(0, 10),
        district: 'YDRE_NORREBRO',
        ...(options.livesWithParents !== undefined ? { livesWithParents: options.livesWithParents } : {}),
      },
      contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: now.toISOString(), context: 'Test' },
      playbook: structuredClone(options.playbook ?? V1),
      ...(options.adultAt ? { adultAt: options.adultAt.toISOString() } : {}),
      ...(state ? { state } : {}),
    };
    const unpatched = new Set(options.unpatched ?? []);
    this.machine = new PathwayMachine(input, {
      now: () => new Date(this.clock),
      newId: () => `task-${++this.ids}`,
      patched: (id) => {
        this.patchesAsked.push(id);
        return !unpatched.has(id);
      },
    });
    if (!state) this.machine.open();
    this.flush();
  }

  get now(): Date {
    return new Date(this.clock);
  }

  private flush(): void {
    const batch = this.machine.takeBatch('pathway-p-1');
    if (batch) this.batches.push(batch);
  }

  /** Refuses (throws Refused) or applies, then settles and writes, as an update does. */
  private send<T>(
    command: T,
    refuse: (c: T) => Refusal | undefined,
    apply: (c: T) => void,
    validator = refuse,
  ): PathwayStatus {
    const refusal = validator(command) ?? refuse(command);
    if (refusal) throw new Refused(refusal);
    apply(command);
    this.machine.settle();
    this.flush();
    return this.machine.status();
  }

  status(): PathwayStatus {
    return this.machine.status();
  }

  event(data: EventData, recordedBy = 'OPERATIVE_GROUP', recordedByUser = 'koordinator'): PathwayStatus {
    const event = { occurredAt: this.now.toISOString(), recordedBy, recordedByUser, data };
    return this.send(
      event,
      (c) => this.machine.refuseRecordEvent(c, { checkReleaseInPast: false, checkAge: false, checkRepeats: 'patched' }),
      (c) => this.machine.recordEvent(c),
      (c) => this.machine.refuseRecordEvent(c),
    );
  }

  /** A second coordinator's answer to a pending closure (four eyes). */
  decideClosure(decision: 'CONFIRM' | 'REJECT', requestedByUser = 'koordinator2', reason?: string): PathwayStatus {
    return this.send(
      { decision, requestedBy: 'EKI', requestedByUser, requestedByRoles: ['COORDINATOR' as const], reason },
      (c) => this.machine.refuseDecideClosure(c),
      (c) => this.machine.decideClosure(c),
    );
  }

  /** CLOSED by one coordinator, confirmed by a second: the pathway closes. */
  close(outcome: Extract<EventData, { type: 'CLOSED' }>['outcome']): PathwayStatus {
    this.event({ type: 'CLOSED', outcome });
    return this.decideClosure('CONFIRM');
  }

  reopen(reason = 'Personen vil alligevel gerne ud', requestedByUser = 'koordinator'): PathwayStatus {
    return this.send(
      { reason, requestedBy: 'POLICE_EAS', requestedByUser, requestedByRoles: ['COORDINATOR' as const] },
      (c) => this.machine.refuseReopen(c),
      (c) => this.machine.reopen(c),
    );
  }

  /** The one open task with this key. */
  task(key: string): Task {
    const open = this.status().tasks.filter((t) => t.key === key && (t.status === 'OPEN' || t.status === 'CLAIMED'));
    if (open.length !== 1) throw new Error(`expected one open task ${key}, found ${open.length}`);
    return open[0];
  }

  /** The latest task with this key, open or not. */
  latest(key: string): Task {
    const all = this.status().tasks.filter((t) => t.key === key);
    if (all.length === 0) throw new Error(`no task ${key}`);
    return all[all.length - 1];
  }

  /** Completes the one open task with this key, by its agency unless `completedBy` says otherwise. */
  complete(key: string, outcome = 'DONE', completedBy?: string, note?: string): PathwayStatus {
    const task = this.task(key);
    const command = {
      taskId: task.id,
      outcome,
      completedBy: completedBy ?? task.agency,
      ...(note !== undefined ? { note } : {}),
    };
    return this.send(
      command,
      (c) => this.machine.refuseCompleteTask(c, { checkOwner: false, checkOutcome: false }),
      (c) => this.machine.completeTask(c),
      (c) => this.machine.refuseCompleteTask(c),
    );
  }

  claim(taskId: string, requestedBy: string, assignee = 'u1'): PathwayStatus {
    return this.send(
      { taskId, requestedBy, assignee },
      (c) => this.machine.refuseClaimTask(c),
      (c) => this.machine.claimTask(c),
    );
  }

  /** A team lead's assignment (roles as the API sends them; TEAM_LEAD by default). */
  assign(
    taskId: string,
    requestedBy: string,
    assignee: string,
    assignedBy = 'teamleder',
    requestedByRoles: Role[] = ['TEAM_LEAD'],
  ): PathwayStatus {
    return this.send(
      { taskId, requestedBy, requestedByRoles, assignee, assignedBy },
      (c) => this.machine.refuseAssignTask(c),
      (c) => this.machine.assignTask(c),
    );
  }

  unclaim(taskId: string, requestedBy: string): PathwayStatus {
    return this.send(
      { taskId, requestedBy },
      (c) => this.machine.refuseUnclaimTask(c),
      (c) => this.machine.unclaimTask(c),
    );
  }

  reassign(taskId: string, toAgency: string, requestedBy = 'OPERATIVE_GROUP', reason = 'Omfordelt'): PathwayStatus {
    return this.send(
      { taskId, requestedBy, toAgency, reason },
      (c) => this.machine.refuseReassignTask(c),
      (c) => this.machine.reassignTask(c),
    );
  }

  extend(taskId: string, dueAt: Date, requestedBy = 'OPERATIVE_GROUP', reason = 'Mere tid'): PathwayStatus {
    return this.send(
      { taskId, requestedBy, dueAt: dueAt.toISOString(), reason },
      (c) => this.machine.refuseExtendTask(c),
      (c) => this.machine.extendTask(c),
    );
  }

  cancel(taskId: string, reason = 'Ikke længere', requestedBy = 'OPERATIVE_GROUP'): PathwayStatus {
    return this.send(
      { taskId, requestedBy, reason },
      (c) => this.machine.refuseCancelTask(c),
      (c) => this.machine.cancelTask(c),
    );
  }

  /** The task's own agency holds it until a day (YYYY-MM-DD), with a coded reason. */
  hold(taskId: string, until: string, reason = 'AWAITING_PERSON', requestedBy?: string, note?: string): PathwayStatus {
    const agency = requestedBy ?? this.status().tasks.find((t) => t.id === taskId)?.agency ?? 'SSP';
    return this.send(
      { taskId, requestedBy: agency, until, reason, ...(note !== undefined ? { note } : {}) },
      (c) => this.machine.refuseHoldTask(c),
      (c) => this.machine.holdTask(c),
    );
  }

  resume(taskId: string, requestedBy?: string): PathwayStatus {
    const agency = requestedBy ?? this.status().tasks.find((t) => t.id === taskId)?.agency ?? 'SSP';
    return this.send(
      { taskId, requestedBy: agency },
      (c) => this.machine.refuseResumeTask(c),
      (c) => this.machine.resumeTask(c),
    );
  }

  resolve(command: {
    escalationId: string;
    decision: 'EXTEND' | 'REASSIGN' | 'CANCEL_TASK' | 'NOTE';
    note?: string;
    requestedBy?: string;
    dueAt?: string;
    toAgency?: string;
  }): PathwayStatus {
    return this.send(
      { note: 'Besluttet', requestedBy: 'OPERATIVE_GROUP', ...command },
      (c) => this.machine.refuseResolveEscalation(c),
      (c) => this.machine.resolveEscalation(c),
    );
  }

  /** An ad-hoc task, added by a coordinator unless `requestedByRoles` says otherwise. */
  addTask(command: { agency: string; title?: string; dueAt: Date; requestedByRoles?: Role[] }): PathwayStatus {
    return this.send(
      {
        title: 'Hjælp til boligsøgning',
        requestedBy: 'POLICE_EAS',
        requestedByRoles: ['COORDINATOR'] as Role[],
        ...command,
        dueAt: command.dueAt.toISOString(),
      },
      (c) => this.machine.refuseAddTask(c),
      (c) => this.machine.addTask(c),
    );
  }

  /** A coordinator's correction of the name and/or birth date (roles as the API sends them; COORDINATOR by default). */
  correctPerson(
    fields: { name?: string; birthDate?: string },
    reason = 'Forkert fødselsdato i anmeldelsen',
    requestedByRoles: Role[] = ['COORDINATOR'],
  ): PathwayStatus {
    return this.send(
      { ...fields, reason, requestedBy: 'POLICE_EAS', requestedByUser: 'koordinator', requestedByRoles },
      (c) => this.machine.refuseCorrectPerson(c),
      (c) => this.machine.correctPerson(c),
    );
  }

  addSuggested(key: string, requestedByRoles: Role[] = ['COORDINATOR']): PathwayStatus {
    return this.send(
      { key, requestedBy: 'POLICE_EAS', requestedByRoles },
      (c) => this.machine.refuseAddSuggestedTask(c),
      (c) => this.machine.addSuggestedTask(c),
    );
  }

  /** The operative group's meeting decides on an agenda item about the pathway (recordMeetingDecision). */
  meetingDecision(command: {
    meetingId?: string;
    itemId: string;
    decision: string;
    note?: string;
    priority?: string;
    outcome?: string;
    requestedBy?: string;
    requestedByUser?: string;
    requestedByRoles?: Role[];
  }): PathwayStatus {
    return this.send(
      {
        meetingId: '0b9c4a52-6d6e-4c1e-9a55-3f3d8f6c2a10',
        requestedBy: 'OPERATIVE_GROUP',
        requestedByUser: 'medlem',
        requestedByRoles: ['OPERATIVE_GROUP'] as Role[],
        ...command,
        decision: command.decision as MeetingItemDecision,
        priority: command.priority as PathwayPriority | undefined,
        outcome: command.outcome as ClosingOutcome | undefined,
      },
      (c) => this.machine.refuseRecordMeetingDecision(c),
      (c) => this.machine.recordMeetingDecision(c),
    );
  }

  migrate(playbook: Playbook, reason = 'Ny version', requestedBy = 'OPERATIVE_GROUP'): PathwayStatus {
    return this.send(
      { playbook, reason, requestedBy },
      (c) => this.machine.refuseMigratePlaybook(c),
      (c) => this.machine.migratePlaybook(c),
    );
  }

  /**
   * Moves the clock to `at`, waking the machine at each instant it asks for on the way, as the shell's loop does
   * (its condition() timeout fires at the wake-up; nothing happens between wake-ups).
   */
  advanceTo(at: Date): void {
    const target = at.getTime();
    for (let guard = 0; guard < 10_000; guard++) {
      const wake = this.machine.nextWakeUp();
      this.machine.dirty = false;
      if (wake === undefined || wake > target) break;
      this.clock = Math.max(this.clock, wake);
      this.machine.fireDueTimers();
      if (this.machine.state.pendingTimeline.length > 0) this.flush();
    }
    this.clock = Math.max(this.clock, target);
  }

  /** Moves the clock without waking the machine, then wakes it once: a worker that was down for a while. */
  jumpTo(at: Date): void {
    this.clock = Math.max(this.clock, at.getTime());
    this.machine.fireDueTimers();
    this.flush();
  }

  advance(ms: number): void {
    this.advanceTo(new Date(this.clock + ms));
  }

  advanceDays(days: number): void {
    this.advance(days * 86_400_000);
  }

  /** Open tasks of an agency, by key, sorted: what its queue shows of this pathway. */
  queue(agency: string): string[] {
    return this.status()
      .tasks.filter((t) => t.agency === agency && (t.status === 'OPEN' || t.status === 'CLAIMED'))
      .map((t) => t.key)
      .sort();
  }

  /** Every timeline entry written so far, in order. */
  timeline(): TimelineEntry[] {
    return this.batches.flatMap((b) => b!.timeline);
  }

  /** Timeline kinds, with the task key where there is one (`TASK_CREATED:eas-registration`). */
  kinds(): string[] {
    return this.timeline().map((e) => (e.detail.key ? `${e.kind}:${e.detail.key}` : e.kind));
  }

  notifications(): string[] {
    return this.batches.flatMap((b) => b!.notifications.map((n) => `${n.agency}:${n.kind}`));
  }
}
