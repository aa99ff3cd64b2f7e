import { Controller, Get, HttpCode, HttpStatus, Injectable, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** A dependency check: resolves when the dependency is usable, rejects (or throws) otherwise. */
export type ReadinessCheck = () => Promise<void>;

/**
 * Collects the readiness checks of one process. `/readyz` runs them all, each with a short
 * timeout, and answers 503 naming each failing dependency until every check passes again.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) the check named `name`. */
  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Runs every check; `ready` is true when all pass. */
  async evaluate(timeoutMs = 2_000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)]),
    );
    const checks = Object.fromEntries(entries) as Record<string, string>;

    return { ready: Object.values(checks).every((state) => state === 'ok'), checks };
  }
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);

    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz` (the process is alive) and `/readyz` (its dependencies are usable). */
@Controller()
export class HealthHttpController {
  constructor(private readonly registry: ReadinessRegistry) {}

  @Get('healthz')
  @HttpCode(HttpStatus.OK)
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const { ready, checks } = await this.registry.evaluate();

    await reply
      .code(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ready ? 'ready' : 'not ready', checks });
  }
}
