/**
 * The access token of the signed-in user. Sign-in is not built yet; it will
 * set the token here, and the GraphQL client sends it along with every request.
 * Kept in memory only for now: where to keep it longer is decided with sign-in.
 */
let accessToken: string | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}
