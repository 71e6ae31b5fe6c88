// What a reader of the logs and an operator of the metrics rely on, without a server: person fields censored
// wherever they appear in a logged object, request ids only taken from a caller when they look like ids, and the
// request id carried through Temporal under the same header key on both sides.
import { PassThrough } from 'node:stream';
import { resultClass } from '../../apps/api/src/observability/api-metrics';
import { metricsConfigFromEnv } from '../../apps/worker/src/config';
import { PinoTemporalLogger } from '../../apps/worker/src/telemetry';
import { createRootLogger, isWellFormedRequestId, logConfigFromEnv, requestIdFor } from '../../libs/observability/src';
import { REQUEST_ID_TEMPORAL_HEADER, requestIdFromHeaders, withRequestId } from '../../libs/temporal/src/request-id';
import { REQUEST_ID_HEADER } from '../../workflows/request-id.interceptors';

function capture(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the process logger', () => {
  it('writes JSON lines with the level name, an ISO time and the service', () => {
    const out = capture();
    createRootLogger('api', { level: 'info', destination: out.stream }).info({ taskId: 't-1' }, 'task claimed');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', service: 'api', taskId: 't-1', msg: 'task claimed' }),
    ]);
    expect(new Date(out.lines()[0].time as string).toISOString()).toBe(out.lines()[0].time);
  });

  it('censors a person, a name, a birth date and a body at any of the first three levels', () => {
    const out = capture();
    const logger = createRootLogger('worker', { level: 'info', destination: out.stream });
    const person = { name: 'Canary Kanariefugl', birthDate: '2009-02-03', district: 'YDRE_NORREBRO' };
    logger.info({ person }, 'top level');
    logger.info({ batch: { person, name: 'Canary Kanariefugl' } }, 'one level down');
    logger.info({ input: { batch: { birthDate: '2009-02-03', body: { person } } } }, 'two levels down');
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('Canary');
    expect(text).not.toContain('2009-02-03');
    expect(out.lines()[0].person).toBe('[redacted]');
  });

  it('stays quiet below its level', () => {
    const out = capture();
    createRootLogger('api', { level: 'warn', destination: out.stream }).info('not written');
    expect(out.lines()).toEqual([]);
  });
});

describe('configuration', () => {
  it('logs at info unless LOG_LEVEL says otherwise, and refuses a level pino does not have', () => {
    expect(logConfigFromEnv({})).toEqual({ level: 'info' });
    expect(logConfigFromEnv({ LOG_LEVEL: 'debug' })).toEqual({ level: 'debug' });
    expect(() => logConfigFromEnv({ LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL must be one of');
  });

  it("serves the worker's metrics on loopback unless told otherwise", () => {
    expect(metricsConfigFromEnv({})).toEqual({ host: '127.0.0.1', port: 9464, temporalBindAddress: '127.0.0.1:9465' });
    expect(metricsConfigFromEnv({ METRICS_HOST: '0.0.0.0', METRICS_PORT: '9100' })).toMatchObject({
      host: '0.0.0.0',
      port: 9100,
    });
    expect(() => metricsConfigFromEnv({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT');
    expect(() => metricsConfigFromEnv({ TEMPORAL_METRICS_ADDRESS: '9465' })).toThrow('TEMPORAL_METRICS_ADDRESS');
  });
});

describe("the Temporal SDK's logger", () => {
  it('writes the SDK lines as JSON lines of the same logger, errors with their stack, persons censored', () => {
    const out = capture();
    const sdk = new PinoTemporalLogger(createRootLogger('worker', { level: 'debug', destination: out.stream }));
    sdk.info('Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' });
    sdk.log('DEBUG', 'Activity started', { activityType: 'projectPathway', requestId: 'req-12345678' });
    sdk.error('Activity failed', { error: new Error('read-model write failed: QueryFailedError'), attempt: 2 });
    sdk.warn('odd input', { input: { person: { name: 'Canary Kanariefugl' } } });
    sdk.trace('below the level');
    const [state, started, failed, odd, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(state).toMatchObject({
      level: 'info',
      component: 'temporal',
      state: 'RUNNING',
      msg: 'Worker state changed',
    });
    expect(started).toMatchObject({ level: 'debug', activityType: 'projectPathway', requestId: 'req-12345678' });
    expect(failed).toMatchObject({
      level: 'error',
      attempt: 2,
      err: { message: 'read-model write failed: QueryFailedError' },
    });
    expect((failed.err as { stack: string }).stack).toContain('observability.spec.ts');
    expect(JSON.stringify(odd)).not.toContain('Canary');
  });
});

describe('request ids', () => {
  it.each(['0b6f2a4e-6a1f-4c53-8d0e-1f1a2b3c4d5e', '01HZX3K9Q2W7B8C4D5E6F7G8H9', 'trace:abc.def-123_456'])(
    'keeps a well-formed incoming id: %s',
    (id) => expect(requestIdFor(id)).toBe(id),
  );

  it.each([['Jens Jensen 2009-02-03'], ['short'], ['<script>'], ['x'.repeat(129)], [''], [undefined]])(
    'replaces %p with a new UUID',
    (incoming) => {
      const id = requestIdFor(incoming);
      expect(id).not.toBe(incoming);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isWellFormedRequestId(id)).toBe(true);
    },
  );

  it('travels in the Temporal header the workflow interceptor reads and writes', () => {
    expect(REQUEST_ID_HEADER).toBe(REQUEST_ID_TEMPORAL_HEADER);
    const headers = withRequestId({}, 'req-12345678');
    expect(Object.keys(headers)).toEqual([REQUEST_ID_HEADER]);
    expect(requestIdFromHeaders(headers)).toBe('req-12345678');
    expect(withRequestId({}, undefined)).toEqual({});
  });
});

describe('command results', () => {
  it.each([
    [200, 'ok'],
    [201, 'ok'],
    [204, 'ok'],
    [400, 'invalid'],
    [413, 'invalid'],
    [415, 'invalid'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [429, 'other'],
    [500, 'error'],
    [502, 'error'],
    [503, 'unavailable'],
  ])('status %i counts as %s', (status, result) => expect(resultClass(status)).toBe(result));
});
