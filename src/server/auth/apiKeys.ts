import { randomUUID } from 'node:crypto';

/** API keys are UUID v4 strings (122 random bits), as ConnectorDB issued them. */
export function newApiKey(): string {
  return randomUUID();
}
