// The API's vocabulary the pages filter by, from the pure domain code the API validates with.
export {
  HOLD_REASONS,
  STAGES,
  TARGET_GROUPS,
  TASK_OUTCOMES,
  TRACKS,
  type HoldReason,
  type TargetGroup,
  type TaskOutcome,
} from '../../../../libs/domain/src/pathway';
export { isDistrictCode } from '../../../../libs/domain/src/districts';
export { OVERSIGHT_AGENCIES } from '../../../../libs/domain/src/access';
export { CLOSING_OUTCOMES, PLACEMENT_KINDS, acceptedEvents, type EventType } from '../../../../libs/domain/src/events';
export { eventTypeRefusal } from '../../../../libs/domain/src/policy';
import { actionRolesRefusal, type Action } from '../../../../libs/domain/src/policy';
import type { Role } from '../../../../libs/domain/src/roles';

/** Whether these roles may do this at all (the API still decides on the agency and the resource). */
export function mayByRole(action: Action, roles: readonly string[]): boolean {
  return actionRolesRefusal(action, roles as Role[]) === undefined;
}
