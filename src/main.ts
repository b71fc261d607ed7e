import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { ConfigValidationError } from './config/env.validation.js';

async function main(): Promise<void> {
  if (existsSync('.env')) {
    process.loadEnvFile('.env');
  }
  const { app, config } = await createApp();
  await app.listen({ port: config.app.port, host: config.app.host });
  const cors =
    config.app.corsOrigins.length > 0
      ? config.app.corsOrigins.join(', ')
      : 'off (set CORS_ORIGINS)';
  new Logger('Bootstrap').log(
    `Listening on ${await app.getUrl()} (API under /api, docs at /api/docs); CORS: ${cors}`,
  );
  // what the asynchronous log destinations still hold is written synchronously at exit: pino
  // registers that for every destination it makes (on-exit-leak-free)
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
