// One pino logger per process, JSON lines on stdout. Person data must never reach it: request bodies are not
// logged at all, URLs are logged as their route template only, and the paths below are censored as a second line
// of defence should an object carrying a person ever be passed to a log call.
import { pino, stdTimeFunctions, type DestinationStream, type Level, type Logger } from 'pino';

export type LogLevel = Level | 'silent';
const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LogConfig {
  level: LogLevel;
  /** Where the JSON lines go; stdout when absent (tests pass a stream to read them back). */
  destination?: DestinationStream;
}

export function logConfigFromEnv(env: NodeJS.ProcessEnv): LogConfig {
  const level = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  return { level };
}

/** Keys that hold a person, a person's name or birth date, or a whole request/response body. */
const PERSON_KEYS = ['person', 'name', 'birthDate', 'body', 'contact'];
export const REDACTED_PATHS = PERSON_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createRootLogger(service: 'api' | 'worker', config: LogConfig): Logger {
  return pino(
    {
      level: config.level,
      base: { service, pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      // Level names rather than numbers: readable with grep and jq alike.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    config.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
