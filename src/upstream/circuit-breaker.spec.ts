import { BreakerState, CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const states: BreakerState[] = [];
  const breaker = (): CircuitBreaker => new CircuitBreaker({ failures: 3, cooldownMs: 1000, now: () => now, onStateChange: (state) => states.push(state) });

  beforeEach(() => {
    now = 0;
    states.length = 0;
  });

  const failTimes = (subject: CircuitBreaker, times: number): void => {
    for (let failure = 0; failure < times; failure += 1) {
      subject.failed(subject.admit()!);
    }
  };

  it('opens after the configured failures in a row and refuses attempts during the cool-down', () => {
    const subject = breaker();
    failTimes(subject, 2);
    subject.succeeded(subject.admit()!);
    failTimes(subject, 2);
    expect(subject.state).toBe(BreakerState.Closed);
    failTimes(subject, 1);
    expect(subject.state).toBe(BreakerState.Open);
    now = 999;
    expect(subject.admit()).toBeUndefined();
  });

  it('lets exactly one probe through after the cool-down and refuses the others meanwhile', () => {
    const subject = breaker();
    failTimes(subject, 3);
    now = 1000;
    const probe = subject.admit();
    expect(probe).toEqual({ probe: true });
    expect(subject.state).toBe(BreakerState.HalfOpen);
    expect(subject.admit()).toBeUndefined();
    subject.succeeded(probe!);
    expect(subject.state).toBe(BreakerState.Closed);
    expect(states).toEqual([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed]);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    const subject = breaker();
    failTimes(subject, 3);
    now = 1000;
    subject.failed(subject.admit()!);
    expect(subject.state).toBe(BreakerState.Open);
    now = 1999;
    expect(subject.admit()).toBeUndefined();
    now = 2000;
    expect(subject.admit()).toEqual({ probe: true });
  });

  it('ignores late results of calls admitted before it opened', () => {
    const subject = breaker();
    const early = subject.admit()!;
    failTimes(subject, 3);
    subject.succeeded(early);
    subject.failed(early);
    expect(subject.state).toBe(BreakerState.Open);
  });

  it('hands an abandoned probe to the next caller', () => {
    const subject = breaker();
    failTimes(subject, 3);
    now = 1000;
    subject.abandoned(subject.admit()!);
    expect(subject.state).toBe(BreakerState.Open);
    expect(subject.admit()).toEqual({ probe: true });
  });
});
