import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of one request carries. */
export interface RequestContext {
  requestId: string;
}

/**
 * Used where a request's work is short and rare (key-vault's gRPC calls). The gateway does
 * not use it: once enabled, AsyncLocalStorage hooks every promise of the process, about 5% of
 * the gateway's CPU under load on Node 20, so its log lines name the request id explicitly.
 */
const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` visible to {@link currentRequestId} in everything it awaits. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
