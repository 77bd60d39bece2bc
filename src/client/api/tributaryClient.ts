/**
 * The web app's one sdk client. It talks to the server that served the page (`url: ''`) as whoever
 * the session cookie says, so logging in or out never needs a new client for HTTP; the websocket is
 * closed on logout because it stays authenticated as the identity it opened with.
 */
import { TributaryClient } from '../../sdk';

export const tributaryClient = new TributaryClient({ url: '', credentials: { cookie: true } });

/** A short-lived client that only exchanges a username and password for the session cookie. */
export function passwordClient(username: string, password: string): TributaryClient {
  return new TributaryClient({ url: '', credentials: { username, password } });
}
