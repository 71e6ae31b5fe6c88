// Which failures are outages (503, try again) and which are faults (500): by SQLSTATE, socket code, gRPC status.
import { unavailableDependency } from '../../apps/api/src/core/unavailable';

function withCode(message: string, code: string | number): Error {
  return Object.assign(new Error(message), { code });
}

describe('unavailableDependency', () => {
  it.each([
    ['statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['connection failure', withCode('connection failure', '08006')],
    ['server starting up', withCode('the database system is starting up', '57P03')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['refused socket', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['driver query timeout', new Error('Query read timeout')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
  ])('%s → DATABASE_UNAVAILABLE', (_what, error) => {
    expect(unavailableDependency(error)).toBe('DATABASE_UNAVAILABLE');
    // As TypeORM wraps it.
    expect(unavailableDependency(Object.assign(new Error('query failed'), { driverError: error }))).toBe(
      'DATABASE_UNAVAILABLE',
    );
  });

  it('a gRPC UNAVAILABLE or DEADLINE_EXCEEDED, also as a cause → TEMPORAL_UNAVAILABLE', () => {
    const grpc = (code: number) => Object.assign(new Error('14 UNAVAILABLE'), { code, details: '', metadata: {} });
    expect(unavailableDependency(grpc(14))).toBe('TEMPORAL_UNAVAILABLE');
    expect(unavailableDependency(new Error('failed', { cause: grpc(4) }))).toBe('TEMPORAL_UNAVAILABLE');
  });

  it('faults of ours or of the data are not outages', () => {
    expect(unavailableDependency(withCode('duplicate key value violates unique constraint', '23505'))).toBeUndefined();
    expect(unavailableDependency(withCode('syntax error', '42601'))).toBeUndefined();
    expect(unavailableDependency(new TypeError('x is undefined'))).toBeUndefined();
    expect(unavailableDependency('a string')).toBeUndefined();
  });
});
