// Signing in through this server's own OAuth authorization server: the page is a public
// client (registered once per browser through dynamic registration, RFC 7591) using the
// authorization code with PKCE (S256), redirected back to this page. The access token is
// kept like a pasted one (sessionStorage); the code and state leave the address bar at once.
import { registerSignIn, setToken } from "./auth.js";

const CLIENT = "data-assistant.oauth-client"; // localStorage, per issuer
const PENDING = "data-assistant.oauth-pending"; // sessionStorage: the request in flight
const NAME = "data-assistant.signed-in-as"; // sessionStorage: who, for display only

const redirectUri = () => `${location.origin}/`;

function base64url(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const randomText = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

function scopeOf(metadata) {
  const offered = metadata.scopes_supported;
  return Array.isArray(offered) && offered.length ? offered.join(" ") : "read:data";
}

async function clientId(metadata) {
  const key = `${CLIENT}:${metadata.issuer}`;
  const known = localStorage.getItem(key);
  if (known) return known;
  const response = await fetch(metadata.registration_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      client_name: "Data Assistant web page",
      redirect_uris: [redirectUri()],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: scopeOf(metadata),
    }),
  });
  if (!response.ok) throw new Error("The server did not register this page as a client.");
  const { client_id: id } = await response.json();
  localStorage.setItem(key, id);
  return id;
}

async function start(metadata) {
  const client = await clientId(metadata);
  const verifier = randomText(48);
  const state = randomText(16);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(
    PENDING,
    JSON.stringify({
      state,
      verifier,
      client,
      issuer: metadata.issuer,
      tokenEndpoint: metadata.token_endpoint,
      back: location.search,
    }),
  );
  const query = new URLSearchParams({
    response_type: "code",
    client_id: client,
    redirect_uri: redirectUri(),
    scope: scopeOf(metadata),
    state,
    code_challenge: base64url(digest),
    code_challenge_method: "S256",
  });
  location.assign(`${metadata.authorization_endpoint}?${query}`);
}

// The page can sign in only where the server registers clients itself.
registerSignIn(start, (metadata) => !!metadata.registration_endpoint);

function subjectOf(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload)).sub || "";
  } catch {
    return "";
  }
}

export function signedInAs() {
  return sessionStorage.getItem(NAME) || "";
}

export function forgetSignIn() {
  sessionStorage.removeItem(NAME);
}

// On the way back from the authorization server: exchange the code for a token. Returns
// null when this page load is no sign-in answer or it succeeded, else the reason it failed.
export async function finishSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has("state") || !(params.has("code") || params.has("error"))) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || "null");
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, "", `/${pending?.back || ""}`);
  if (!pending || params.get("state") !== pending.state) {
    return "The sign-in answer does not match a sign-in started on this page; sign in again.";
  }
  if (params.has("error")) {
    return params.get("error_description") || `Sign-in failed (${params.get("error")}).`;
  }
  if (params.has("iss") && params.get("iss") !== pending.issuer) {
    return "The sign-in answer came from another server; sign in again.";
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: redirectUri(),
      client_id: pending.client,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    if (body.error === "invalid_client") localStorage.removeItem(`${CLIENT}:${pending.issuer}`);
    return body.error_description || "The sign-in code was not accepted; sign in again.";
  }
  setToken(body.access_token);
  sessionStorage.setItem(NAME, subjectOf(body.access_token));
  return null;
}
