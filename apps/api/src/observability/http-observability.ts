// Every HTTP request gets an id and one access log line, and commands are counted. The line has the method, the
// route template (never the URL, which can carry what was typed into it), the status, the duration, the request id
// and the acting agency; never a header's free text or a body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { actorOf } from '../core/actor';
import { REQUEST_ID_HTTP_HEADER, requestIdFor, runWithRequestId } from '../../../../libs/observability/src';
import { ApiMetrics } from './api-metrics';

type Req = IncomingMessage & { id?: unknown; route?: { path?: unknown }; baseUrl?: string };

/** The matched route's template (`/pathways/:id/events`), or undefined before or without a match. */
function routeOf(req: Req): string | undefined {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}

/** The signed-in person's agency (never their name); read when the answer is written, after the guard ran. */
function agencyOf(req: IncomingMessage): string | undefined {
  return actorOf(req)?.agency;
}

function accessLine(req: Req, res: ServerResponse, responseTime: unknown) {
  return {
    http: { method: req.method, route: routeOf(req) ?? null, status: res.statusCode, durationMs: responseTime },
    agency: agencyOf(req),
  };
}

export function httpLogOptions(logger: Logger): Options<Req, ServerResponse> {
  return {
    logger,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req, res) => {
      const id = requestIdFor(req.headers[REQUEST_ID_HTTP_HEADER.toLowerCase()]);
      res.setHeader(REQUEST_ID_HTTP_HEADER, id);
      return id;
    },
    // Lines logged while serving the request carry its id only; the request and response objects stay out.
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: { ignore: (req) => /^\/(metrics|health)(\/|\?|$)/.test(req.url ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, value: { responseTime?: unknown }) => accessLine(req, res, value.responseTime),
    customErrorObject: (req, res, _err, value: { responseTime?: unknown }) => accessLine(req, res, value.responseTime),
  };
}

/** First middleware of the app: the request id (echoed in X-Request-Id), the access log line, the command count. */
export function observeHttp(app: INestApplication, logger: Logger): void {
  const metrics = app.get(ApiMetrics);
  app.use(pinoHttp(httpLogOptions(logger)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.once('finish', () => metrics.observe(req.method, routeOf(req), res.statusCode));
    next();
  });
}

/**
 * Makes the request id reachable from services and the Temporal client (libs/temporal/src/request-id.ts). After the
 * body parser: its stream callbacks would run outside the context.
 */
export function bindRequestContext(req: Request, _res: Response, next: NextFunction): void {
  runWithRequestId(String(req.id), next);
}
