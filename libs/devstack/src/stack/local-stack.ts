import { rm } from 'node:fs/promises';

import { AppLogger } from '@xai/common';

import { ShownOnceSecret } from '../process/shown-once-filter';
import { SupervisedProcess } from '../process/supervised-process';
import { emptyInfrastructure, Infrastructure } from './infrastructure';

/** A service process of the stack and where it answers. */
export interface StackService {
  process: SupervisedProcess;
  httpUrl: string;
  grpcUrl?: string;
}

/** Thrown when a caller names a process the stack does not run. */
export class UnknownProcessException extends Error {
  constructor(name: string, known: string[]) {
    super(`No process named "${name}" in this stack (known: ${known.join(', ')}).`);
    this.name = UnknownProcessException.name;
  }
}

/**
 * Everything one stack started: the service processes, the infrastructure under them, and the
 * temporary folder, with the order to stop them in (gateways first so no request arrives at a
 * stopped backend, databases and Redis last, then what was created for isolation).
 */
export class LocalStack {
  readonly services = new Map<string, StackService>();
  readonly infrastructure: Infrastructure = emptyInfrastructure();
  /** Secrets the services showed once, kept out of every log, for the launcher's terminal. */
  readonly shownOnce: ShownOnceSecret[] = [];
  private stopping?: Promise<void>;

  /** @param temporaryDir a folder created for this stack, deleted by {@link stop} */
  constructor(private readonly temporaryDir?: string) {}

  /** Adds a service before it is started, so a failed start still stops it. */
  add(name: string, service: StackService): StackService {
    this.services.set(name, service);

    return service;
  }

  /** Every process by name, infrastructure included (`pglite-config`, `redis`). */
  processes(): Map<string, SupervisedProcess> {
    const all = new Map<string, SupervisedProcess>();
    for (const [name, service] of this.services) all.set(name, service.process);
    for (const supervised of this.infrastructure.processes) all.set(supervised.name, supervised);

    return all;
  }

  /** One process by name; throws naming the known ones otherwise. */
  process(name: string): SupervisedProcess {
    const processes = this.processes();
    const found = processes.get(name);
    if (!found) throw new UnknownProcessException(name, [...processes.keys()]);

    return found;
  }

  /** Recent lines of one process, or of all of them prefixed with `[name]`. */
  logs(name?: string): string[] {
    if (name !== undefined) return this.process(name).logs();

    return [...this.processes()].flatMap(([processName, supervised]) =>
      supervised.logs().map((line) => `[${processName}] ${line}`),
    );
  }

  /**
   * Stops everything. Calls run one after the other, and each stops what the previous ones
   * could not see yet (a process or clean-up added by a start that was still under way).
   */
  stop(): Promise<void> {
    const previous = this.stopping ?? Promise.resolve();
    this.stopping = previous.then(() => this.stopAll());

    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    const services = [...this.services.entries()];
    const gateways = services.filter(([name]) => name.startsWith('gateway'));
    const backends = services.filter(([name]) => !name.startsWith('gateway'));
    await stopEach(gateways.map(([, service]) => service.process));
    await stopEach(backends.map(([, service]) => service.process));
    await stopEach(this.infrastructure.processes);
    const cleanups = this.infrastructure.cleanups;
    for (let cleanup = cleanups.shift(); cleanup; cleanup = cleanups.shift()) {
      await cleanup().catch((error: unknown) =>
        new AppLogger(LocalStack.name).warn('clean-up after the stack failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
    if (this.temporaryDir) await rm(this.temporaryDir, { recursive: true, force: true });
  }
}

async function stopEach(processes: SupervisedProcess[]): Promise<void> {
  await Promise.all(processes.map((supervised) => supervised.stop()));
}
