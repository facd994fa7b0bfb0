import type { AppConfig } from '../config/app-config';
import { EmbeddingsClient } from './embeddings-client';

/** The embeddings client the configuration asks for, or undefined when EMBEDDINGS_URL is not set. */
export function embedderOf(config: AppConfig): EmbeddingsClient | undefined {
  const { embeddings } = config;
  return embeddings.url === undefined ? undefined : new EmbeddingsClient({ ...embeddings, url: embeddings.url });
}
