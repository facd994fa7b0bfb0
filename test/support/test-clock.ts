import type { Clock } from '../../src/common/clock';

/** The system clock, moved forward on command, so window tests never sleep. */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
