import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { RequestReads } from './request-reads.js';

/**
 * Gives each HTTP request its identity map (RequestReads): the handler, the services it calls and
 * the listeners of the events it publishes (awaited within it) share one. The handler starts
 * inside the map's scope because it is subscribed to there.
 */
export class RequestReadsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    return new Observable((subscriber) =>
      RequestReads.run(() => next.handle().subscribe(subscriber)),
    );
  }
}
