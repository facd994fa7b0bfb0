/** The largest document read from the identity provider (a JWKS or a discovery document). */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Why a document could not be had; the reason goes to the log, never to a caller. */
export class FetchJsonError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FetchJsonError';
  }
}

// Read by shape: fetch's errors may come from another realm than this module's Error.
function describe(error: unknown): string {
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError') {
    return 'timed out';
  }
  return typeof cause?.code === 'string' ? cause.code : 'request failed';
}

async function readBounded(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_DOCUMENT_BYTES) {
    throw new FetchJsonError(`answer of ${declared} bytes is over ${MAX_DOCUMENT_BYTES}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      throw new FetchJsonError(`answer is over ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs a JSON document within `timeoutMs`, following no redirect and reading at most MAX_DOCUMENT_BYTES. */
export async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, redirect: 'error', signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchJsonError(`answered HTTP ${response.status}`);
    }
    text = await readBounded(response);
  } catch (error) {
    throw error instanceof FetchJsonError ? error : new FetchJsonError(describe(error));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FetchJsonError('answer is not JSON');
  }
}
