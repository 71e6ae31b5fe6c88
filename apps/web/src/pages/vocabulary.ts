// The API's vocabulary the pages filter by, from the pure domain code the API validates with.
export { DISTRICTS, STAGES, TASK_OUTCOMES, type TaskOutcome } from '../../../../libs/domain/src/pathway';
export { OVERSIGHT_AGENCIES } from '../../../../libs/domain/src/access';
