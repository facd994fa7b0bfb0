import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { currentCallSignal, NEVER_CANCELLED, runWithCallSignal, throwIfCancelled, untilCancelled } from './call-signal';

const codeOf = (error: unknown): unknown => (error instanceof AppError ? error.code : error);

describe('call signal', () => {
  it('is the running call’s signal inside it, and one that never aborts outside any call', async () => {
    const caller = new AbortController();
    const inside = await runWithCallSignal(caller.signal, async () => {
      await Promise.resolve();
      return currentCallSignal();
    });
    expect(inside).toBe(caller.signal);
    expect(currentCallSignal()).toBe(NEVER_CANCELLED);
  });

  it('throws the cancellation only once the caller has left', () => {
    const caller = new AbortController();
    expect(() => throwIfCancelled(caller.signal)).not.toThrow();
    caller.abort();
    let thrown: unknown;
    try {
      throwIfCancelled(caller.signal);
    } catch (error) {
      thrown = error;
    }
    expect(codeOf(thrown)).toBe(ErrorCode.Cancelled);
  });
});

describe('untilCancelled', () => {
  it('settles as the work does while the caller stays', async () => {
    const caller = new AbortController();
    await expect(untilCancelled(Promise.resolve(7), caller.signal, () => undefined)).resolves.toBe(7);
    await expect(untilCancelled(Promise.reject(new Error('down')), caller.signal, () => undefined)).rejects.toThrow('down');
  });

  it('rejects at once when the caller leaves, and hands over what the work resolves to later', async () => {
    const caller = new AbortController();
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const late: string[] = [];
    const waiting = untilCancelled(work, caller.signal, (value) => late.push(value));
    caller.abort();
    expect(codeOf(await waiting.catch((error: unknown) => error))).toBe(ErrorCode.Cancelled);
    finish('connection');
    await work;
    await Promise.resolve();
    expect(late).toEqual(['connection']);
  });

  it('refuses to wait for a caller already gone, and still hands over what the work resolves to', async () => {
    const caller = new AbortController();
    caller.abort();
    const late: number[] = [];
    const work = Promise.resolve(1);
    expect(codeOf(await untilCancelled(work, caller.signal, (value) => late.push(value)).catch((error: unknown) => error))).toBe(ErrorCode.Cancelled);
    await work;
    await Promise.resolve();
    // The work was started before the refusal (a pooled connection asked for): what it gives is handed back, never lost.
    expect(late).toEqual([1]);
  });
});
