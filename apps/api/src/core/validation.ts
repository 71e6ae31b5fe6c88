// One shape for every 400: a message naming the fields, and an `errors` list of { field, reason }.
import {
  BadRequestException,
  NotFoundException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { UNSTORABLE_REASON, findUnstorable, isCalendarDate } from '../../../../libs/domain/src';

export interface FieldError {
  field: string;
  reason: string;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A missing field gets one plain reason instead of every rule it would have had to pass.
    const reasons =
      error.value === undefined && error.constraints ? ['is required'] : Object.values(error.constraints ?? {});
    const own = reasons.map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function badRequest(errors: FieldError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  });
}

const MAX_DEPTH = 32;

/** Walks without recursion, so that a body of 100,000 nested arrays is an answer and not a stack overflow. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (next === null || typeof next !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(next)) pending.push([child, depth + 1]);
  }
  return false;
}

/** 400 when text anywhere in `value` (named `field`) holds what no row can: the NUL character, a lone surrogate. */
export function requireStorable(value: unknown, field: string): void {
  const at = findUnstorable(value);
  if (at !== undefined) throw badRequest([{ field: at || field, reason: UNSTORABLE_REASON }]);
}

/** The DTO rules, after one rule for every body, query and path value: no NUL character, which no row can hold. */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      // Before anything walks it recursively: no request of this API nests deeper than a playbook does.
      if (nestedDeeperThan(value, MAX_DEPTH)) {
        throw badRequest([{ field: metadata.data || metadata.type, reason: `is nested more than ${MAX_DEPTH} deep` }]);
      }
      requireStorable(value, metadata.data || metadata.type);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => badRequest(flatten(errors)),
  });
}

/** A real calendar date written YYYY-MM-DD, not after today. */
export function IsPastCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPastCalendarDate',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && isCalendarDate(value) && value <= new Date().toISOString().slice(0, 10),
        defaultMessage: () => 'must be a real date written YYYY-MM-DD, not in the future',
      },
    },
    options,
  );
}

// Offsets as time zones have them (up to ±14:59): PostgreSQL refuses ±16:00, and Date.parse would take it.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;
/** Clocks differ between agencies' systems; a few minutes ahead is not "the future". */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * An ISO 8601 instant with a time zone, on a real day, in the years this system's times lie in (contacts since 1900,
 * deadlines before 2100), for which `when` holds.
 */
function instant(name: string, when: (time: number) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    ValidateBy(
      {
        name,
        validator: {
          validate: (value: unknown) => {
            if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
            const time = Date.parse(value);
            if (Number.isNaN(time) || !isCalendarDate(value.slice(0, 10))) return false;
            const year = new Date(time).getUTCFullYear();
            return year >= 1900 && year <= 2099 && when(time);
          },
          defaultMessage: () => message,
        },
      },
      options,
    );
}

// Control characters (tab, newline, bell, escapes) and format characters (zero-width joiners, bidirectional
// overrides that make a name display as another) have no place in a name a caseworker must read and search.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/** A person's name: printable characters only; NFC-normalised before this runs (see `NfcText`). */
export function IsPersonName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPersonName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !CONTROL_OR_FORMAT.test(value),
        defaultMessage: () => 'must not contain control or invisible format characters (tabs, line breaks, U+200B…)',
      },
    },
    options,
  );
}

/** One spelling for one name: "Ø" typed as one character or as O + combining stroke is stored the same way. */
export function NfcText(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC') : value));
}

/** A new deadline. */
export const IsFutureInstant = instant(
  'isFutureInstant',
  (time) => time > Date.now(),
  'must be an ISO 8601 time with a time zone (e.g. 2026-12-10T12:00:00Z), in the future, before 2100',
);

/** When something happened. */
export const IsPastInstant = instant(
  'isPastInstant',
  (time) => time <= Date.now() + CLOCK_SKEW_MS,
  'must be an ISO 8601 time with a time zone (e.g. 2026-11-25T10:00:00Z), not in the future, not before 1900',
);

/**
 * A 404 that quotes what was asked for only when it has the shape of what it names (an id, an agency code, a
 * version): whatever else sits in a path, a name typed into the wrong box for one, is not written back.
 */
export function notFound(
  what: string,
  value: string,
  shape: RegExp,
  otherwise = `no ${what} with that id`,
): NotFoundException {
  return new NotFoundException(shape.test(value) ? `no ${what} '${value}'` : otherwise);
}

export const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
