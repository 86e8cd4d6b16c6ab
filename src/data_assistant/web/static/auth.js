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

// Signing in through the OAuth authorization server: signin.js implements the flow and calls
// registerSignIn(start, usable); the "Sign in" button appears only in oauth mode, when the
// server publishes its metadata and `usable(metadata)` says the flow can run against it.
let signInFlow = null;
let signInUsable = () => true;

export function registerSignIn(start, usable = () => true) {
  signInFlow = start;
  signInUsable = usable;
}

export async function signInMetadata() {
  if (!signInFlow || authMode !== "oauth") return null;
  try {
    const response = await fetch("/.well-known/oauth-authorization-server", {
      headers: { Accept: "application/json" },
    });
    const metadata = response.ok ? await response.json() : null;
    return metadata && signInUsable(metadata) ? metadata : null;
  } catch {
    return null;
  }
}

export function startSignIn(metadata) {
  return signInFlow(metadata);
}
