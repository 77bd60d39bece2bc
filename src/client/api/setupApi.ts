/**
 * Tributary's first-run endpoints (`GET/POST /api/v1/setup`), which the sdk does not cover yet.
 * Kept here, behind the store, so that no component calls `fetch`; errors are the sdk's types so
 * callers handle them like any other request.
 * TODO(#3): move to the sdk (`TributaryClient.setupStatus()` / `setUp()`).
 */
import { ApiError, NetworkError } from '../../sdk';

export interface SetupStatus {
  needsSetup: boolean;
  version: string;
}

export interface FirstAdmin {
  name: string;
  email: string;
  password: string;
}

async function request(method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch('/api/v1/setup', {
      method,
      credentials: 'include',
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
  } catch (error) {
    throw new NetworkError(`${method} /api/v1/setup: ${String(error)}`, { cause: error });
  }
  if (!response.ok) throw ApiError.fromResponse(response.status, response.statusText, text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new NetworkError(`${method} /api/v1/setup: unexpected response`, { cause: error });
  }
}

export async function fetchSetupStatus(): Promise<SetupStatus> {
  const value = (await request('GET')) as Partial<SetupStatus>;
  return { needsSetup: value.needsSetup === true, version: String(value.version ?? '') };
}

/** Creates the first admin; the server answers with a session cookie for them. */
export async function createFirstAdmin(admin: FirstAdmin): Promise<void> {
  await request('POST', admin);
}
