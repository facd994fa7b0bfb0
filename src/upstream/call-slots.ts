/** Thrown when every slot is taken and the queue is full. */
export class QueueFullError extends Error {
  constructor() {
    super('squad-api queue is full');
    this.name = 'QueueFullError';
  }
}

/**
 * A bounded queue in front of squad-api: `slots` attempts run at once (one per pooled
 * connection), at most `queueLimit` wait for a slot, and anything beyond is refused at once.
 * A waiter whose signal aborts leaves the queue.
 */
export class CallSlots {
  private busy = 0;
  private readonly waiters: { grant: () => void; refuse: (error: Error) => void }[] = [];

  constructor(
    private readonly slots: number,
    private readonly queueLimit: number,
  ) {}

  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.busy < this.slots) {
      this.busy += 1;
      return this.releaser();
    }
    if (this.waiters.length >= this.queueLimit) {
      throw new QueueFullError();
    }
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        refuse: (error: Error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = (): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser();
  }

  /** Refuses every call still waiting, e.g. once squad-api is known to be failing. */
  refuseWaiting(error: Error): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter.refuse(error);
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) {
        this.busy -= 1;
      } else {
        // The slot passes straight to the next waiter.
        next.grant();
      }
    };
  }
}
