// Need-to-know: which agencies are the overseers. Who sees gang-related context (track, how the contact arose) is
// decided by role and agency in one table: seesContext in libs/domain/src/policy.ts.
/** The coordinators' and steering groups' agencies. Who sees every pathway is decided by role (policy.ts). */
export const OVERSIGHT_AGENCIES: readonly string[] = ['OPERATIVE_GROUP', 'SIKKER_BY', 'POLICE_EAS'];
