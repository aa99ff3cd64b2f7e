import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The isolation levels this service uses. */
export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** Runs a piece of work in one database transaction; repositories take its `EntityManager`. */
@Injectable()
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  /** Commits when `work` resolves, rolls back when it throws. */
  run<T>(
    work: (tx: EntityManager) => Promise<T>,
    isolation: Isolation = 'READ COMMITTED',
  ): Promise<T> {
    return this.dataSource.transaction(isolation, work);
  }
}
