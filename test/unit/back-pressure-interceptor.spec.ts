// Where the back-pressure slot is taken and given back (apps/api/src/core/back-pressure-interceptor.ts): a tiny Nest
// app with a guard, the interceptor and the API's own error filter, over HTTP. A request the guard refuses is answered
// whatever is in flight; a slot is given back when the answer is sent, also an error's, or when the client went away
// before the slot was taken.
import {
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Post,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request } from 'express';
import { request as httpRequest } from 'node:http';
import { InFlightCommands } from '../../apps/api/src/core/back-pressure';
import { BackPressureInterceptor } from '../../apps/api/src/core/back-pressure-interceptor';
import { ErrorsFilter } from '../../apps/api/src/core/errors.filter';
import type { ApiMetrics } from '../../apps/api/src/observability/api-metrics';

let release: () => void = () => undefined;
/** Starts that reached the handler, and guards that began a slow check: the test waits on these, not on the clock. */
let handled = 0;
let slowChecks = 0;

/** Waits until `done` holds (polling, up to 10 s): a loaded CI machine may take any time to deliver a request. */
async function until(done: () => boolean): Promise<void> {
  for (const giveUpAt = Date.now() + 10_000; !done() && Date.now() < giveUpAt;)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

@Controller()
class CommandsController {
  /** A start held until the test releases it. */
  @Post('pathways')
  async start() {
    handled++;
    await new Promise<void>((resolve) => (release = resolve));
    return { started: true };
  }

  @Post('pathways/:id/events')
  event(): never {
    throw new ConflictException('the stage does not take this event');
  }

  @Get('pathways')
  list() {
    return [];
  }
}

/** Refuses `x-refuse: yes` with a 403; holds `x-slow: <ms>` that long, as a slow token check would. */
@Injectable()
class TestGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.headers['x-refuse'] === 'yes') throw new ForbiddenException('may not');
    const slow = Number(req.headers['x-slow'] ?? 0);
    if (slow > 0) {
      slowChecks++;
      await new Promise((resolve) => setTimeout(resolve, slow));
    }
    return true;
  }
}

describe('the back-pressure interceptor over HTTP', () => {
  let app: INestApplication;
  let base: string;
  let refused = 0;
  const slots = new InFlightCommands({ ceiling: 1, onRefused: () => refused++ });

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [CommandsController] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalGuards(new TestGuard());
    app.useGlobalInterceptors(new BackPressureInterceptor({ inFlight: slots } as ApiMetrics));
    app.useGlobalFilters(new ErrorsFilter());
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app?.close());

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } });

  it('beyond the limit → 503 OVERLOADED with Retry-After: 1; a refusal by the guard and a read take no slot', async () => {
    const held = post('/pathways');
    await until(() => handled === 1);
    expect(slots.current).toBe(1);
    const over = await post('/pathways');
    expect(over.status).toBe(503);
    expect(over.headers.get('retry-after')).toBe('1');
    expect(await over.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'OVERLOADED',
      message: 'too many commands are being processed; try again in a moment',
    });
    expect((await post('/pathways', { 'x-refuse': 'yes' })).status).toBe(403);
    expect((await fetch(`${base}/pathways`)).status).toBe(200);
    expect(refused).toBe(1);
    expect(slots.current).toBe(1);
    release();
    expect((await held).status).toBe(201);
    await until(() => slots.current === 0);
    expect(slots.current).toBe(0);
  });

  it('gives the slot back when the handler throws and the errors filter answers', async () => {
    const res = await post('/pathways/p1/events');
    expect(res.status).toBe(409);
    await until(() => slots.current === 0);
    expect(slots.current).toBe(0);
    expect((await post('/pathways/p1/events')).status).toBe(409);
  });

  it('keeps no slot for a client that went away before the guard let it through', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    const gone = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/pathways',
      headers: { 'x-slow': '200' },
    });
    gone.on('error', () => undefined);
    gone.end();
    // Gone while the guard checks; the handler still runs once the guard lets it through.
    await until(() => slowChecks === 1);
    gone.destroy();
    await until(() => handled === 2);
    expect(handled).toBe(2);
    expect(slots.current).toBe(0);
    // The handler still ran (a start is not undone by a client going away); it waits here for the test.
    release();
  });
});
