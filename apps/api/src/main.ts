// The HTTP API: coordinators start pathways, agencies work their queues. OpenAPI docs at /api/docs.
import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { createRootLogger } from '../../../libs/observability/src';
import { AppModule } from './app.module';
import { apiConfigFromEnv, type ApiConfig } from './config';
import { applyHardening } from './core/hardening';
import { BODY_LIMIT, bodyParserErrors, requireJsonBody } from './core/body';
import { AuditTrail } from './core/audit-trail';
import { ErrorsFilter } from './core/errors.filter';
import { createValidationPipe } from './core/validation';
import { bindRequestContext, observeHttp } from './observability/http-observability';
import { DEFAULT_WEB_CLIENT_ID, serveWebApp } from './web-app';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Exit Pathways API')
    .setDescription(
      'Pathways out of the gang environment on Nørrebro: pathways, agency task queues, health. Every request body ' +
        'is UTF-8 application/json of at most 1 MB (415 / 413 otherwise); bad input is a 400 with ' +
        '`errors: [{ field, reason }]`; an outage of the database or Temporal is a 503 with Retry-After and ' +
        '`code` DATABASE_UNAVAILABLE or TEMPORAL_UNAVAILABLE. Every route but /health and /metrics needs a bearer ' +
        'token (an OAuth 2 access token of the configured OpenID Provider): 401 with WWW-Authenticate without a good ' +
        "one, 403 when the person's roles or agency may not. Every answer carries an X-Request-Id header: the one sent with the request if it is 8-128 " +
        'letters, digits or `._:-`, a new UUID otherwise; the logs of the API and the worker name the request by it.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

export async function createApiApp(config: ApiConfig): Promise<INestApplication> {
  const logger = createRootLogger('api', config.log);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  // In this order, before any route: request id and access log, security headers, the content type, the JSON parser,
  // its refusals. Back-pressure comes later, after the guards (BackPressureInterceptor, apps/api/src/app.module.ts).
  observeHttp(app, logger);
  applyHardening(app, {
    webOrigins: config.webOrigins ?? [],
    temporalUiOrigin: config.temporalUiOrigin,
    issuer: config.auth?.issuer,
    trustProxy: config.trustProxy,
  });
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(bodyParserErrors);
  app.use(bindRequestContext);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorsFilter(app.get(AuditTrail)));
  // The document describes every route and field: a production deployment shows it to nobody unless asked to.
  if (config.apiDocs ?? true) SwaggerModule.setup('api/docs', app, openApiDocument(app));
  serveWebApp(
    app,
    undefined,
    config.auth
      ? {
          issuer: config.auth.issuer,
          clientId: config.webClientId ?? DEFAULT_WEB_CLIENT_ID,
          audience: config.auth.audience,
        }
      : {},
  );
  return app;
}

async function main(): Promise<void> {
  const config = apiConfigFromEnv(process.env);
  const app = await createApiApp(config);
  app.enableShutdownHooks();
  try {
    await app.listen(config.port, config.host);
  } catch (err) {
    await app.close();
    throw err;
  }
  new Logger('api').log(
    `listening on http://${config.host}:${config.port}${config.apiDocs ? ' (docs at /api/docs)' : ''}`,
  );
}

if (require.main === module) {
  // Nothing is left open on failure, so setting the exit code is enough for the process to end with it.
  main().catch((err: unknown) => {
    new Logger('api').error(err instanceof Error ? err.message : 'failed to start');
    process.exitCode = 1;
  });
}
