/** A secret a service showed once on its standard output (a recovery code, a generated key). */
export interface ShownOnceSecret {
  /** What the service said it is, e.g. `recovery code (issues a new owner key: POST /x-recover)`. */
  what: string;
  secret: string;
}

/** What becomes of one output line: the text to keep (if any) and a secret it completed. */
export interface FilteredLine {
  keep?: string;
  shown?: ShownOnceSecret;
}

// The gateway's announcement (owner-bootstrap.service.ts): a header, blank lines, the secret.
const HEADER = /^\s*XAI Router (.+), shown once, store it now:\s*$/;

/**
 * Keeps secrets that a service shows once out of everything the launcher records (log files,
 * the in-memory tail, `--logs` echoes): the announcement's header and secret lines are
 * replaced by one note, and the secret is handed over separately, for the terminal only.
 * One filter per process, fed its lines in order.
 */
export class ShownOnceFilter {
  private pending?: string;

  /** Filters one line. */
  accept(line: string): FilteredLine {
    const header = HEADER.exec(line);
    if (header) {
      this.pending = header[1];

      return {
        keep: `[devstack] ${header[1]} withheld from this log; the launcher shows it on its terminal`,
      };
    }
    if (this.pending === undefined) return { keep: line };
    if (line.trim() === '') return {};

    const what = this.pending;
    this.pending = undefined;

    return { shown: { what, secret: line.trim() } };
  }
}
