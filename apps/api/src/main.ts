// The HTTP API: coordinators start pathways, agencies work their queues. OpenAPI docs at /api/docs.
import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { apiConfigFromEnv, type ApiConfig } from './config';
import { BODY_LIMIT, bodyParserErrors, requireJsonBody } from './core/body';
import { ErrorsFilter } from './core/errors.filter';
import { createValidationPipe } from './core/validation';
import { serveWebApp } from './web-app';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Exit Pathways API')
    .setDescription(
      'Pathways out of the gang environment on Nørrebro: pathways, agency task queues, health. Every request body ' +
        'is UTF-8 application/json of at most 1 MB (415 / 413 otherwise); bad input is a 400 with ' +
        '`errors: [{ field, reason }]`. The acting agency is the X-Agency header until there is authentication.',
    )
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

export async function createApiApp(
  config: ApiConfig,
  logLevels: LogLevel[] = ['error', 'warn', 'log'],
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: logLevels,
    bodyParser: false,
  });
  // In this order, before any route: the content type, the JSON parser, then its refusals.
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(bodyParserErrors);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorsFilter());
  SwaggerModule.setup('api/docs', app, openApiDocument(app));
  serveWebApp(app);
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
  new Logger('api').log(`listening on http://${config.host}:${config.port} (docs at /api/docs)`);
}

if (require.main === module) {
  // Nothing is left open on failure, so setting the exit code is enough for the process to end with it.
  main().catch((err: unknown) => {
    new Logger('api').error(err instanceof Error ? err.message : 'failed to start');
    process.exitCode = 1;
  });
}
