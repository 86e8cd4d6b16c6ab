// Credentials of this tab: a pasted token or API key in sessionStorage, never in the URL.
const KEY = "data-assistant.token";

export const authMode =
  document.querySelector('meta[name="da-auth-mode"]')?.getAttribute("content") || "none";

export function getToken() {
  try {
    return sessionStorage.getItem(KEY) || "";
  } catch {
    return "";
  }
}

export function setToken(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
}

// Hook for signing in through the OAuth authorization server (authorization code + PKCE at
// /authorize and /token): the module that implements the flow calls registerSignIn(start);
// the "Sign in" button appears only then, and only when the server publishes its metadata.
// start(metadata) must end by calling setToken() with the access token.
let signInFlow = null;

export function registerSignIn(start) {
  signInFlow = start;
}

export async function signInMetadata() {
  if (!signInFlow) return null;
  try {
    const response = await fetch("/.well-known/oauth-authorization-server", {
      headers: { Accept: "application/json" },
    });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

export function startSignIn(metadata) {
  return signInFlow(metadata);
}
