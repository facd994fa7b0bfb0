/** The breaker's state, as the `upstream_circuit_breaker_state` gauge reports it. */
export enum BreakerState {
  Closed = 0,
  Open = 1,
  HalfOpen = 2,
}

/** Permission for one attempt; a probe is the single attempt let through while half-open. */
export interface Admission {
  readonly probe: boolean;
}

export interface BreakerOptions {
  /** Failed attempts in a row that open the breaker. */
  readonly failures: number;
  readonly cooldownMs: number;
  readonly now?: () => number;
  readonly onStateChange?: (state: BreakerState) => void;
}

const CALL: Admission = { probe: false };
const PROBE: Admission = { probe: true };

/**
 * Counts failed attempts (every kind of failure, retries included). Once `failures` fail in a
 * row it opens: every attempt is refused at once. After the cool-down, exactly one attempt
 * probes squad-api while every other is still refused; only that probe's success closes the
 * breaker, and its failure opens it for another cool-down.
 */
export class CircuitBreaker {
  private current = BreakerState.Closed;
  private consecutiveFailures = 0;
  private openedAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** An admission for one attempt, or undefined when the attempt must fail fast. */
  admit(): Admission | undefined {
    switch (this.current) {
      case BreakerState.Closed:
        return CALL;
      case BreakerState.HalfOpen:
        return undefined;
      case BreakerState.Open:
        if (this.now() - this.openedAt < this.options.cooldownMs) {
          return undefined;
        }
        this.moveTo(BreakerState.HalfOpen);
        return PROBE;
    }
  }

  succeeded(admission: Admission): void {
    if (admission.probe) {
      this.moveTo(BreakerState.Closed);
    }
    if (this.current === BreakerState.Closed) {
      this.consecutiveFailures = 0;
    }
  }

  failed(admission: Admission): void {
    if (admission.probe) {
      this.open();
      return;
    }
    if (this.current !== BreakerState.Closed) {
      return;
    }
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.options.failures) {
      this.open();
    }
  }

  /** Gives back a probe that never reached squad-api, so the next caller may probe instead. */
  abandoned(admission: Admission): void {
    if (admission.probe && this.current === BreakerState.HalfOpen) {
      this.current = BreakerState.Open;
      this.openedAt = this.now() - this.options.cooldownMs;
      this.options.onStateChange?.(this.current);
    }
  }

  private open(): void {
    this.openedAt = this.now();
    this.consecutiveFailures = 0;
    this.moveTo(BreakerState.Open);
  }

  private moveTo(state: BreakerState): void {
    if (this.current !== state) {
      this.current = state;
      this.options.onStateChange?.(state);
    }
  }
}
