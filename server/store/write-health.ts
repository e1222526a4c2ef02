// What readiness knows about writes: the last one that failed, until one succeeds again. A store
// records every write's outcome here, and its ready() asks whether a failure is recent enough to
// answer "not ready" without even trying.

/** A failed write keeps readiness failing for this long without even trying; after it, a probe write decides. */
export const writeErrorHoldMs = 5_000;

export class WriteHealth {
  private failure: { error: unknown; at: number } | undefined;

  failed(error: unknown): void {
    this.failure = { error, at: Date.now() };
  }

  succeeded(): void {
    this.failure = undefined;
  }

  /** The error of a write that failed less than `writeErrorHoldMs` ago, or undefined. */
  recentFailure(): { error: unknown } | undefined {
    const failure = this.failure;
    return failure && Date.now() - failure.at < writeErrorHoldMs ? { error: failure.error } : undefined;
  }
}
