// What every route of the API writes to the audit trail when it succeeds: one row, under this action, or nothing, and
// then why. A route that reads or changes personal data, and every command, writes exactly one row; a refusal (403)
// writes one REFUSED row instead (apps/api/src/core/errors.filter.ts); any other failure (400, 404, 409) read and
// changed nothing and writes none. The keys are the OpenAPI document's (`METHOD /path/{param}`), so
// test/integration/access/audit-per-route.ts walks the document and finds each route here.
//
// Who writes the row: the services write the reads whose basis, subject or detail only they know (a pathway read,
// a queue page, the statistics); for everything else AuditInterceptor (audit-interceptor.ts) writes it after the
// handler, on the pathway the command was sent to. A queue page that names people writes one row per person named,
// under `action`, and `LIST_QUEUE` when it names nobody: the access report of a person must find every look at them.

export type RouteAudit =
  | {
      /** The row's action. */
      action: string;
      /** Another action the route writes instead, in the case its comment says. */
      otherwise?: string;
      /** An administrative command on no person's data: the row's purpose is ADMINISTRATION. */
      administration?: true;
    }
  | { none: string };

export const ROUTE_AUDIT: { readonly [route: string]: RouteAudit } = {
  'GET /health': { none: 'liveness of the API; no person' },
  'GET /metrics': { none: 'counters for the scraper; no person, no pathway id' },
  'GET /agencies': { none: "the partnership's agencies; no person" },
  'GET /districts': { none: 'the districts and their focus flags; no person' },
  // Changing a district's name or focus is CHANGE_DISTRICT (200); a new code is ADD_DISTRICT (201).
  'PUT /districts/{code}': { action: 'CHANGE_DISTRICT', otherwise: 'ADD_DISTRICT', administration: true },
  // One row per person named on the page; LIST_QUEUE when it names nobody (an external partner, an empty page).
  'GET /agencies/{code}/tasks': { action: 'READ_QUEUE_PERSON', otherwise: 'LIST_QUEUE' },
  'POST /agencies/{code}/tasks/next': { action: 'TAKE_NEXT_TASK' },
  'POST /agencies/{code}/tasks/assign': { action: 'ASSIGN_TASKS' },
  'GET /agencies/{code}/users': { none: "the agency's own staff who signed in; no citizen's data" },
  'GET /agencies/{code}/capacity': { none: "the agency's own staff and counts; no citizen" },
  'GET /agencies/{code}/webhook': { none: 'the receiver address and delivery counts; no person, no secret' },
  'PUT /agencies/{code}/webhook': { action: 'CONFIGURE_WEBHOOK', administration: true },
  'POST /agencies/{code}/webhook/ping': { action: 'PING_WEBHOOK', administration: true },
  // A repeat of the same Idempotency-Key reads the pathway back: READ_PATHWAY.
  'POST /pathways': { action: 'OPEN_PATHWAY', otherwise: 'READ_PATHWAY' },
  'GET /pathways': { action: 'LIST_PATHWAYS' },
  'GET /pathways/{id}': { action: 'READ_PATHWAY' },
  'GET /pathways/{id}/timeline': { action: 'READ_TIMELINE' },
  'POST /pathways/{id}/events': { action: 'RECORD_EVENT' },
  // What an event would create and end, before it is recorded: a read of the pathway's work.
  'POST /pathways/{id}/events/preview': { action: 'PREVIEW_EVENT' },
  'POST /pathways/{id}/tasks': { action: 'ADD_TASK' },
  // The stage's optional steps that fit the person now (their age and track decide which): a read of the pathway.
  'GET /pathways/{id}/suggested-tasks': { action: 'READ_SUGGESTED_TASKS' },
  'POST /pathways/{id}/suggested-tasks': { action: 'ADD_SUGGESTED_TASK' },
  'POST /pathways/{id}/closure/confirm': { action: 'CONFIRM_CLOSURE' },
  'POST /pathways/{id}/closure/reject': { action: 'REJECT_CLOSURE' },
  'POST /pathways/{id}/reopen': { action: 'REOPEN_PATHWAY' },
  'POST /pathways/{id}/playbook-migration': { action: 'MIGRATE_PLAYBOOK' },
  // The service writes it with the fields corrected and the reason; a repeat of its Idempotency-Key, the interceptor.
  'POST /pathways/{id}/person-correction': { action: 'CORRECT_PERSON' },
  // READ_TASK_PERSON when the answer carries the person; READ_TASK when it does not (an external partner).
  'GET /tasks/{id}': { action: 'READ_TASK_PERSON', otherwise: 'READ_TASK' },
  'POST /tasks/{id}/complete': { action: 'COMPLETE_TASK' },
  'POST /tasks/{id}/claim': { action: 'CLAIM_TASK' },
  'POST /tasks/{id}/assign': { action: 'ASSIGN_TASK' },
  'POST /tasks/{id}/unclaim': { action: 'UNCLAIM_TASK' },
  'POST /tasks/{id}/reassign': { action: 'REASSIGN_TASK' },
  'POST /tasks/{id}/extend': { action: 'EXTEND_TASK' },
  'POST /tasks/{id}/cancel': { action: 'CANCEL_TASK' },
  'POST /tasks/{id}/hold': { action: 'HOLD_TASK' },
  'POST /tasks/{id}/resume': { action: 'RESUME_TASK' },
  // The agency's own working notes: the text is never in the row.
  'GET /tasks/{id}/notes': { action: 'READ_TASK_NOTES' },
  'POST /tasks/{id}/notes': { action: 'WRITE_TASK_NOTE' },
  'GET /tasks/{id}/history': { action: 'READ_TASK_HISTORY' },
  'GET /escalations': { action: 'LIST_ESCALATIONS' },
  'POST /escalations/{id}/resolve': { action: 'RESOLVE_ESCALATION' },
  'GET /escalations/resolved': { action: 'LIST_RESOLVED_ESCALATIONS' },
  // The agenda points at pathways and escalations by id.
  'POST /meetings': { action: 'HOLD_MEETING' },
  'GET /meetings': { none: 'dates and states of the meetings; no person, no pathway' },
  'GET /meetings/{id}': { action: 'READ_MEETING' },
  // A member's own item: a subject and why, and perhaps a pathway id.
  'POST /meetings/{id}/items': { action: 'ADD_AGENDA_ITEM' },
  'GET /meetings/recommendations': { action: 'LIST_RECOMMENDATIONS' },
  'POST /meetings/{id}/items/{itemId}/decision': { action: 'DECIDE_AGENDA_ITEM' },
  'POST /meetings/{id}/approve': { action: 'APPROVE_MINUTES' },
  'GET /meetings/{id}/minutes': { action: 'READ_MINUTES' },
  'POST /playbooks': { action: 'PUBLISH_PLAYBOOK', administration: true },
  'GET /playbooks': { none: 'the playbooks: rules and deadlines, no person' },
  'GET /playbooks/{version}': { none: 'one playbook: rules and deadlines, no person' },
  // A dead letter is a notification to an agency: a pathway id and what happened to it.
  'GET /notifications/dead-letters': { action: 'LIST_DEAD_LETTERS' },
  'POST /notifications/{id}/requeue': { action: 'REQUEUE_NOTIFICATION', administration: true },
  'GET /oversight/stages': { action: 'STATISTICS' },
  'GET /oversight/sla': { action: 'STATISTICS' },
  'POST /oversight/sla/{month}/recompute': { action: 'SLA_RECOMPUTE' },
  'GET /oversight/deadlines': { action: 'STATISTICS' },
  'GET /oversight/workload': { action: 'STATISTICS' },
  'GET /oversight/stalled': { action: 'STATISTICS' },
  'GET /oversight/quarters': { action: 'STATISTICS' },
  'GET /reports/goals/{year}': { none: "the partnership's activity goals for a year; no person" },
  'PUT /reports/goals/{year}': { action: 'SET_REPORT_GOALS', administration: true },
  'GET /reports/figures/{year}': { none: 'figures the partnership typed in (counts from other registers); no person' },
  'PUT /reports/figures/{year}': { action: 'SET_REPORT_FIGURES', administration: true },
  'GET /reports/yearly/{year}': { action: 'STATISTICS' },
  'GET /audit': { action: 'READ_AUDIT' },
  'GET /audit/verify': { action: 'VERIFY_AUDIT' },
  'GET /persons/{id}/access-report': { action: 'READ_ACCESS_REPORT' },
  // One row per search: what it searched by (not the words) and the pathways it showed, in the row's detail.
  'GET /persons': { action: 'SEARCH_PERSONS' },
  // Erasure takes two coordinators: the first call is the request, the second erases.
  'POST /persons/{id}/erasure': { action: 'ERASE_PERSON', otherwise: 'REQUEST_ERASURE' },
  'POST /persons/{id}/retention': { action: 'KEEP_PERSON' },
  'GET /retention/reviews': { action: 'LIST_RETENTION_REVIEWS' },
  // Comparing every open pathway's workflow with its read model: counts and ids, no person.
  'POST /admin/reconciliation': { action: 'RECONCILE', administration: true },
  // The Temporal UI's codec: one row per request, whatever the number of payloads (apps/api/src/codec/).
  'POST /codec/decode': { action: 'DECODE_PAYLOADS' },
};

/** An Express route (`/tasks/:id/complete`) as the OpenAPI document spells it (`/tasks/{id}/complete`). */
export function documentRoute(method: string, expressPath: string): string {
  return `${method.toUpperCase()} ${expressPath.replace(/:(\w+)/g, '{$1}')}`;
}
