// Need-to-know: which agencies may see what about the person behind a task. Everyone who owns a task sees who the
// person is; only these see gang-related context (track, how the contact arose). A Jobcenter caseworker needs a
// name to place someone in a job, not the person's gang affiliation or crime history.
export const CONTEXT_AGENCIES: readonly string[] = [
  'POLICE_EAS',
  'POLICE_EXIT',
  'POLICE_DKS',
  'POLICE_LOCAL',
  'POLICE_OC',
  'EKI',
  'OPERATIVE_GROUP',
  'SIKKER_BY',
];

/** The coordinators' and steering groups' agencies. Who sees every pathway is decided by role (policy.ts). */
export const OVERSIGHT_AGENCIES: readonly string[] = ['OPERATIVE_GROUP', 'SIKKER_BY', 'POLICE_EAS'];

export function seesContext(agency: string): boolean {
  return CONTEXT_AGENCIES.includes(agency);
}
