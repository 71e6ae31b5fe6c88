// One workflow per person's pathway: the durable shell around PathwayMachine (libs/domain/src/pathway/machine.ts),
// which holds every rule. The shell gives the machine Temporal's clock, uuid4 and patched(), answers messages,
// sleeps until the next wake-up, writes the read model and continues as new.
//
// The model:
// - Derived timers. No timer is stored: release planning, the age handover, delayed follow-ups, each ladder step
//   (reminder → overdue → level 1 → level 2) and the stall check are computed from the state by
//   machine.nextWakeUp(), and the loop below sleeps in one condition() until the earliest of them. So the state
//   alone is what continue-as-new carries.
// - The dirty flag. A handler that changes a timer-relevant fact sets machine.dirty; the condition wakes, the
//   loop recomputes its wake-up and sleeps again. The loop clears the flag before it sleeps.
// - Flush order. After a command: the stage its tasks lead to (machine.settle()), search attributes, then the
//   read-model batch (one activity, awaited), then the answer; so a caller that sees the answer can read it back.
//   Batches go out one after another (`writes`), each taken only when the previous one is written.
// - Refusals. Each command's refusal function runs in the update validator (a refused command leaves no trace in
//   history) and again in the handler (two commands validated in one activation); it is thrown as a non-retryable
//   ApplicationFailure whose details hold the refusal, which the API turns into 400/403/404/409.
// - Closing (issue 9). A coordinator's CLOSED is only a pending closure (state.pendingClosure) until a second,
//   different coordinator confirms it (decideClosure; REJECT drops it); meanwhile the pathway runs on. Once closed,
//   the workflow does not end: it sleeps until state.reopenableUntil (closing + REOPEN_WITHIN_DAYS), so a reopen is an
//   Update to a running workflow, and ends when that passes (machine.finished). A reopen goes back to the stage
//   before closing and plans that stage's work again; tasks cancelled at closing stay cancelled.
//
// patched() ids (PATHWAY_PATCHES in machine.ts), all introduced 2026-11-25 (`git log -S'<id>'`):
//   skip-planned-tasks-already-open (22fd88e), task-sla-timers (adb12a6), wake-only-for-ready-waiting-work
//   (a031900), release-move-restarts-ladder (929922a), cancel-follows-handover (d33a708),
//   age-handover-keeps-adult-work (261e87f). Introduced 2026-11-30 with playbook v2 (issue 10): purpose-limitation,
//   assessment-completes-joint-task, age-appropriate-routing. Introduced 2026-12-06 (issue 9): closure-four-eyes
//   (with it off, CLOSED closes at once), closed-pathway-reopen-window (with it off, a closed pathway's workflow ends
//   at once), random-notification-ids (notification ids from uuid4; the outbox deduplicates on the derived key);
//   their old branches can go once no run started before 2026-12-07 is open. The assignTask Update (a team lead's
//   assignment), new the same day, needs no patch: no earlier history holds one. Introduced 2026-12-06 (issue 10,
//   item 8): task-outcomes: its old branch can go under the rule below, but not before 2026-12-07 (query with that
//   date). The addTask Update (an ad-hoc task), new the same day, needs no patch either. Introduced 2026-12-06
//   (issue 14): refuse-repeated-facts (the handler refuses a repeated CONSENT_GIVEN or SENTENCED as the validator
//   does; asked only for such a repeat); its old branch can go once no run started before 2026-12-07 is open.
//   Introduced 2026-12-06 (issue 13): search-attributes-without-track (no PathwayTrack or PathwayAgencies; removable
//   as below, from 2026-12-07). Introduced 2026-12-06 (issue 10, item 7): people-person-correction (a corrected
//   birth date re-plans the age-dependent work; asked only inside the new correctPerson Update, so no earlier history
//   meets it; with it off a correction changes the record and the timers that derive from the birth date only).
//   Introduced 2026-12-06 (issue 10, item 8): on-hold-tasks, asked when a holdTask
//   Update is applied (the holdTask and resumeTask Updates are new that day, so no earlier history holds one; the
//   marker records which runs have held tasks, whose state carries `task.hold`); removable as below, from 2026-12-07.
//   Introduced 2026-12-06 (issue 10, rules left): v2-withdraw-investigation-work, v2-ad-hoc-does-not-hold-stage,
//   v2-age-limit-ends-work, v2-finished-prevention-never-stalls (each asked only when it would change something;
//   removable as below, from 2026-12-07). The addSuggestedTask Update, new the same day, needs no patch.
//   Introduced 2026-12-06 (issue 14, item 7), in this shell: lean-search-attributes-on-change (an upsert carries only
//   the attributes whose value changed, none when nothing did) and lean-continue-as-new-sooner (a run continues as new
//   after 600 events, not 10,000); both removable as below, from 2026-12-07. Introduced 2026-12-06 (issue 14, item 7):
//   playbook-pinned (asked only when a run continues as new: the next run carries the playbook's PlaybookPin instead
//   of the document when it is published as is); removable as below, from 2026-12-07. A run whose input is pinned
//   loads its playbook without a gate: only code that knows pins starts such a run. The recordMeetingDecision Update
//   (the operative group's NOTE or RECOMMEND on an agenda item about the pathway, issue 12), new 2026-12-06, needs no
//   patch: no earlier history holds one (its state field, meetingDecisions, is absent in older states and read as
//   none).
//   Introduced 2026-12-06 (issue 12): meeting-priority-and-close, asked inside recordMeetingDecision only for the
//   meeting's CHANGE_PRIORITY (state.priority, PRIORITY_CHANGED) and CLOSE (a pending closure a coordinator confirms,
//   CLOSURE_REQUESTED); with it off such a decision is the MEETING_DECISION entry only. Removable as below, from
//   2026-12-07.
// The old branch of one can go once no run started before it is still open (a run that began later, or continued as
// new since, takes the new branch): not before 2026-11-26, and only when
// `temporal workflow list --query 'ExecutionStatus="Running" AND StartTime < "2026-11-26T00:00:00Z"'` is empty.
// Then the gate becomes deprecatePatch(id) in this shell and the machine keeps only the new branch; deprecatePatch
// goes once no run that recorded the marker is open. Fixtures in test/fixtures/histories that take an old branch
// retire with it.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../../activities';
import {
  PathwayMachine,
  contentHash,
  type PathwayStatus,
  type PathwayWorkflowInput,
  type Playbook,
  type PlaybookPin,
  type Refusal,
} from '../../libs/domain/src';
import { dbWrite, playbookRead } from '../activity-options';
import * as messages from './messages';
import * as keys from './search-attributes';

const { projectPathway } = proxyActivities<Activities>(dbWrite);
const { loadPlaybook, isPlaybookPublished } = proxyLocalActivities<Activities>(playbookRead);

/**
 * Issue 14 (item 7): a run continues as new with its playbook pinned (version and content hash) instead of whole,
 * when the published version has exactly that content. A pinned input needs no gate: only code that knows pins
 * starts a run with one.
 */
const PLAYBOOK_PINNED = 'playbook-pinned';

/** What the machine answers with while a pinned run loads its playbook: the pinned version, nothing planned by it. */
function loadingPlaybook(pin: PlaybookPin): Playbook {
  return { version: pin.version, name: '', stages: {} } as Playbook;
}

/** Before lean-continue-as-new-sooner: a run went on until 10,000 events (or Temporal suggested continuing). */
const OLD_MAX_HISTORY_EVENTS = 10_000;
/**
 * Issue 14 (item 7): a run continues as new after this many events, so a cold replay (a cache miss: the worker
 * replays the whole run before the next command) stays under 0.5 s. Measured by `npm run bench:replay` at about
 * 0.7 ms per event on a quiet machine (docs/PERFORMANCE.md): 0.5 s is about 700 events; 600 leaves a margin.
 */
const MAX_HISTORY_EVENTS = 600;
const LEAN_CONTINUE_AS_NEW = 'lean-continue-as-new-sooner';

/** Issue 14 (item 7): search attributes are upserted only when a value changes. */
const LEAN_SEARCH_ATTRIBUTES = 'lean-search-attributes-on-change';

/** Whether an upsert would change what the run carries (what it started with, inherited or upserted since). */
function differs({ key, value }: SearchAttributeUpdatePair): boolean {
  const current: unknown = workflowInfo().typedSearchAttributes.get(key);
  if (value === null) return current !== undefined;
  return JSON.stringify(current) !== JSON.stringify(value);
}

export async function pathwayWorkflow(input: PathwayWorkflowInput): Promise<void> {
  const { playbook: whole, playbookPin: pin, ...carried } = input;
  if (!whole && !pin)
    throw ApplicationFailure.nonRetryable('the input has neither playbook nor playbookPin', 'BadInput');
  // Handlers are set before the first await (below), so a query or Update arriving with the start finds them; until
  // a pinned run has loaded its playbook the machine has a stand-in that only names the pinned version.
  const machine = new PathwayMachine(
    { ...carried, playbook: whole ?? loadingPlaybook(pin!) },
    { now: () => new Date(), newId: uuid4, patched },
  );
  const { state } = machine;
  let loaded = whole !== undefined;
  /** The document loaded by pin, with its pin, as long as the machine runs on it (a migration replaces it). */
  let loadedByPin: { pin: PlaybookPin; playbook: Playbook } | undefined;
  // A new run starts after a final flush, so everything it carries is already in the read model.
  let projectedVersion = state.projectedOnce ? state.version : 0;
  let writes: Promise<void> = Promise.resolve();

  function updateSearchAttributes(): void {
    const a = machine.searchAttributes();
    const updates: SearchAttributeUpdatePair[] = [
      { key: keys.pathwayStageKey, value: a.stage },
      { key: keys.pathwayDistrictKey, value: a.district },
      // Old runs as they were; new ones remove what a run before them left (continue-as-new inherits it).
      ...(a.hidden
        ? [
            ...(workflowInfo().typedSearchAttributes.get(keys.pathwayAgenciesKey)
              ? [{ key: keys.pathwayAgenciesKey, value: null }]
              : []),
            ...(workflowInfo().typedSearchAttributes.get(keys.pathwayTrackKey)
              ? [{ key: keys.pathwayTrackKey, value: null }]
              : []),
          ]
        : [{ key: keys.pathwayAgenciesKey, value: a.agencies ?? [] }]),
      { key: keys.pathwayOverdueKey, value: a.overdue },
      { key: keys.pathwayStalledKey, value: a.stalled },
      ...(a.track ? [{ key: keys.pathwayTrackKey, value: a.track }] : []),
    ] as SearchAttributeUpdatePair[];
    // Only what changed: an unchanged upsert is a history event (and a visibility write) for nothing.
    const changed = patched(LEAN_SEARCH_ATTRIBUTES) ? updates.filter(differs) : updates;
    if (changed.length > 0) upsertSearchAttributes(changed);
  }

  /** Writes every pending change to the read model; resolves once this call's changes are there. */
  function flush(): Promise<void> {
    const run = writes.then(async () => {
      const batch = machine.takeBatch(workflowInfo().workflowId);
      if (!batch) return;
      await projectPathway(batch);
      projectedVersion = Math.max(projectedVersion, batch.version);
    });
    writes = run;
    return run;
  }

  /** After a command: the stage it leads to, search attributes, then the read model, then the answer. */
  async function settle(): Promise<PathwayStatus> {
    machine.settle();
    updateSearchAttributes();
    await flush();
    return machine.status();
  }

  function refuse(refusal: Refusal | undefined): void {
    if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type, refusal);
  }

  /** A command: refused in the validator (nothing reaches history) and again in the handler, then applied. */
  function command<A extends [unknown]>(
    update: UpdateDefinition<PathwayStatus, A>,
    refusal: (...c: A) => Refusal | undefined,
    apply: (...c: A) => void,
    validatorRefusal = refusal,
  ): void {
    const handler = async (...c: A) => {
      if (!loaded) {
        // Arrived while the run was loading its playbook, so the validator could not judge it: the handler does.
        await condition(() => loaded);
        refuse(validatorRefusal(...c));
      }
      refuse(refusal(...c));
      apply(...c);
      return settle();
    };
    setHandler(update, handler, {
      validator: (...c: A) => {
        if (loaded) refuse(validatorRefusal(...c));
      },
    });
  }

  setHandler(messages.statusQuery, () => machine.status());
  setHandler(messages.personQuery, () => machine.personRecord());
  // A query, so no patch: it adds no command to the history; the machine previews on a copy.
  setHandler(messages.previewEventQuery, (event) => machine.preview(event));
  setHandler(messages.syncUpdate, async () => {
    await condition(() => state.projectedOnce && projectedVersion >= state.version);
    return machine.status();
  });
  command(
    messages.completeTaskUpdate,
    (c) => machine.refuseCompleteTask(c, { checkOwner: false, checkOutcome: false }),
    (c) => machine.completeTask(c),
    (c) => machine.refuseCompleteTask(c),
  );
  command(
    messages.claimTaskUpdate,
    (c) => machine.refuseClaimTask(c),
    (c) => machine.claimTask(c),
  );
  command(
    messages.assignTaskUpdate,
    (c) => machine.refuseAssignTask(c),
    (c) => machine.assignTask(c),
  );
  command(
    messages.unclaimTaskUpdate,
    (c) => machine.refuseUnclaimTask(c),
    (c) => machine.unclaimTask(c),
  );
  command(
    messages.reassignTaskUpdate,
    (c) => machine.refuseReassignTask(c),
    (c) => machine.reassignTask(c),
  );
  command(
    messages.extendTaskUpdate,
    (c) => machine.refuseExtendTask(c),
    (c) => machine.extendTask(c),
  );
  command(
    messages.holdTaskUpdate,
    (c) => machine.refuseHoldTask(c),
    (c) => machine.holdTask(c),
  );
  command(
    messages.resumeTaskUpdate,
    (c) => machine.refuseResumeTask(c),
    (c) => machine.resumeTask(c),
  );
  command(
    messages.cancelTaskUpdate,
    (c) => machine.refuseCancelTask(c),
    (c) => machine.cancelTask(c),
  );
  command(
    messages.resolveEscalationUpdate,
    (c) => machine.refuseResolveEscalation(c),
    (c) => machine.resolveEscalation(c),
  );
  command(
    messages.recordEventUpdate,
    (c) => machine.refuseRecordEvent(c, { checkReleaseInPast: false, checkAge: false, checkRepeats: 'patched' }),
    (c) => machine.recordEvent(c),
    (c) => machine.refuseRecordEvent(c),
  );
  command(
    messages.addTaskUpdate,
    (c) => machine.refuseAddTask(c),
    (c) => machine.addTask(c),
  );
  command(
    messages.addSuggestedTaskUpdate,
    (c) => machine.refuseAddSuggestedTask(c),
    (c) => machine.addSuggestedTask(c),
  );
  command(
    messages.decideClosureUpdate,
    (c) => machine.refuseDecideClosure(c),
    (c) => machine.decideClosure(c),
  );
  command(
    messages.reopenPathwayUpdate,
    (c) => machine.refuseReopen(c),
    (c) => machine.reopen(c),
  );
  command(
    messages.correctPersonUpdate,
    (c) => machine.refuseCorrectPerson(c),
    (c) => machine.correctPerson(c),
  );
  command(
    messages.recordMeetingDecisionUpdate,
    (c) => machine.refuseRecordMeetingDecision(c),
    (c) => machine.recordMeetingDecision(c),
  );
  command(
    messages.migratePlaybookUpdate,
    (c) => machine.refuseMigratePlaybook(c),
    (c) => machine.migratePlaybook(c),
  );

  /**
   * The pinned playbook, once per run (recorded in history as the local activity's result, so replay reads it from
   * there). A version that is not published, or not with the pinned content, is no reason to end a pathway: the
   * run's workflow task fails, saying why (the load fails non-retryably, so at once). A failed workflow task records
   * nothing, so Temporal's retry of it loads again: the run goes on once the published row is what was pinned.
   */
  async function load(p: PlaybookPin): Promise<Playbook> {
    try {
      return await loadPlaybook(p);
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : err;
      throw new Error(`the pinned playbook cannot be loaded: ${cause instanceof Error ? cause.message : 'unknown'}`);
    }
  }

  /** What the next run carries: the pin where the published version has exactly this content, else the whole. */
  async function playbookForNextRun(): Promise<{ playbook: Playbook } | { playbookPin: PlaybookPin }> {
    if (!patched(PLAYBOOK_PINNED)) return { playbook: machine.playbook };
    if (loadedByPin?.playbook === machine.playbook) return { playbookPin: loadedByPin.pin };
    // Carried whole (a run from before pins, or migrated since): pinned only if that version is published as is.
    const candidate = { version: machine.playbook.version, contentHash: contentHash(machine.playbook) };
    return (await isPlaybookPublished(candidate)) ? { playbookPin: candidate } : { playbook: machine.playbook };
  }

  // ---- the pathway's life ----------------------------------------------------------------------------------

  if (!loaded) {
    machine.playbook = await load(pin!);
    loadedByPin = { pin: pin!, playbook: machine.playbook };
    loaded = true;
  }
  if (!input.state) machine.open();
  updateSearchAttributes();
  await flush();

  const maxHistory =
    input.maxHistoryEvents ?? (patched(LEAN_CONTINUE_AS_NEW) ? MAX_HISTORY_EVENTS : OLD_MAX_HISTORY_EVENTS);
  const continueAsNewDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxHistory;

  while (!machine.finished) {
    if (continueAsNewDue()) {
      // Decided first (it may ask the database), so nothing waits between the last write and continuing; a migration
      // that lands meanwhile is carried whole.
      const decidedFor = machine.playbook;
      const next = await playbookForNextRun();
      await condition(allHandlersFinished);
      await flush();
      await continueAsNew<typeof pathwayWorkflow>({
        ...carried,
        ...(machine.playbook === decidedFor ? next : { playbook: machine.playbook }),
        state: { ...state, runs: machine.runs + 1 },
      });
    }
    const wake = machine.nextWakeUp();
    const wait = wake === undefined ? undefined : wake - Date.now();
    machine.dirty = false;
    const woken = () => machine.dirty || machine.finished || continueAsNewDue();
    if (wait === undefined) await condition(woken);
    else if (wait > 0) await condition(woken, wait);
    if (machine.finished) break;
    machine.fireDueTimers();
    if (state.pendingTimeline.length > 0) {
      updateSearchAttributes();
      await flush();
    }
  }
  await condition(allHandlersFinished);
  updateSearchAttributes();
  await flush();
}
