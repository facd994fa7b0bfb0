import { CallSlots, QueueFullError } from './call-slots';

describe('CallSlots', () => {
  const signal = (): AbortSignal => new AbortController().signal;

  it('runs up to its slots at once, queues up to its limit, and refuses the rest at once', async () => {
    const slots = new CallSlots(1, 1);
    const release = await slots.acquire(signal());
    let queuedGranted = false;
    const queued = slots.acquire(signal()).then((next) => {
      queuedGranted = true;
      return next;
    });
    await expect(slots.acquire(signal())).rejects.toBeInstanceOf(QueueFullError);
    expect(slots.queued).toBe(1);
    release();
    release();
    (await queued)();
    expect(queuedGranted).toBe(true);
    expect(slots.queued).toBe(0);
    (await slots.acquire(signal()))();
  });

  it('lets a waiter whose signal aborts leave the queue', async () => {
    const slots = new CallSlots(1, 2);
    const release = await slots.acquire(signal());
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(slots.queued).toBe(0);
    release();
    (await slots.acquire(signal()))();
  });

  it('refuses every waiting call at once on demand', async () => {
    const slots = new CallSlots(1, 3);
    const release = await slots.acquire(signal());
    const waiting = [slots.acquire(signal()), slots.acquire(signal())];
    slots.refuseWaiting(new Error('breaker open'));
    for (const refused of waiting) {
      await expect(refused).rejects.toThrow('breaker open');
    }
    expect(slots.queued).toBe(0);
    release();
  });
});
