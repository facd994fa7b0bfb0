import fc from 'fast-check';

import { SlidingWindowLog } from './sliding-window';

const WINDOW = 60_000;

describe(SlidingWindowLog, () => {
  it('grants up to the limit, then says when the next unit is free', () => {
    const log = new SlidingWindowLog();
    for (let call = 0; call < 3; call++) {
      expect(log.spend('k', 3, 1, 1_000 + call, WINDOW)).toMatchObject({ granted: 1, used: call + 1 });
    }
    expect(log.spend('k', 3, 1, 2_000, WINDOW)).toEqual({ granted: 0, used: 3, retryAfterMs: 59_000, resetMs: 59_000 });
    expect(log.spend('k', 3, 1, 61_000, WINDOW)).toMatchObject({ granted: 1, used: 3 });
  });

  it('refuses across the window edge what a fixed window would let through twice', () => {
    const log = new SlidingWindowLog();
    for (let call = 0; call < 20; call++) {
      log.spend('k', 20, 1, 59_000 + call, WINDOW);
    }
    expect(log.spend('k', 20, 1, 60_500, WINDOW).granted).toBe(0);
    expect(log.spend('k', 20, 1, 119_000, WINDOW).granted).toBe(1);
  });

  it('grants part of a batch and nothing to a refused one', () => {
    const log = new SlidingWindowLog();
    expect(log.spend('k', 5, 3, 0, WINDOW).granted).toBe(3);
    expect(log.spend('k', 5, 4, 1, WINDOW)).toMatchObject({ granted: 2, used: 5 });
    expect(log.spend('k', 5, 4, 2, WINDOW)).toMatchObject({ granted: 0, used: 5, retryAfterMs: WINDOW - 2 });
  });

  it('keeps keys apart and forgets idle ones', () => {
    const log = new SlidingWindowLog();
    log.spend('a', 1, 1, 0, WINDOW);
    expect(log.spend('b', 1, 1, 0, WINDOW).granted).toBe(1);
    log.sweep(WINDOW + 1, WINDOW);
    expect(log.spend('a', 1, 1, WINDOW + 1, WINDOW)).toMatchObject({ granted: 1, used: 1 });
  });

  it('never grants more than the limit in any window, whatever the arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 200 }),
        (limit, arrivals) => {
          const log = new SlidingWindowLog();
          const window = 1_000;
          const grants: number[] = [];
          let now = 0;
          for (const [gap, units] of arrivals) {
            now += gap % 700;
            const { granted } = log.spend('k', limit, units, now, window);
            for (let unit = 0; unit < granted; unit++) {
              grants.push(now);
            }
          }
          for (const start of grants) {
            expect(grants.filter((time) => time >= start && time < start + window).length).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
