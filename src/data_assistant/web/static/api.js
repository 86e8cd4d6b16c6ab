// Calls to the public HTTP API with this tab's credentials; failures become ApiProblem.
import { getToken } from "./auth.js";

export class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }

  get status() {
    return this.problem.status;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiProblem({
      status: 0,
      title: "Server not reachable",
      detail: "The server did not answer; check that it is running.",
    });
  }
  if (response.ok) return response.json();
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not problem JSON (a proxy's error page, say): the status line is all there is.
  }
  if (typeof problem !== "object" || problem === null) problem = {};
  problem.status = response.status;
  problem.title = problem.title || response.statusText || "Request failed";
  problem.detail = problem.detail || `The server answered ${response.status}.`;
  problem.retryAfter = response.headers.get("Retry-After");
  throw new ApiProblem(problem);
}

export function listSources() {
  return api("/api/v1/sources");
}

export function describeSource(name) {
  return api(`/api/v1/sources/${encodeURIComponent(name)}/schema`);
}

// Both query operations, as one answer shape: {query, columns, results, count, truncated,...}.
export async function ask(source, question) {
  if (source.dialect === "cosmos") {
    const a = await api("/api/v1/query/cosmos", {
      method: "POST",
      body: { container: source.name, question },
    });
    return {
      query: a.query,
      parameters: a.parameters || {},
      columns: [],
      results: a.documents,
      count: a.count,
      truncated: a.truncated,
      explanation: a.explanation,
    };
  }
  const a = await api("/api/v1/query/sql", {
    method: "POST",
    body: { database: source.name, question },
  });
  return {
    query: a.sql,
    parameters: {},
    columns: a.columns,
    results: a.results,
    count: a.row_count,
    truncated: a.truncated,
    explanation: a.explanation,
  };
}
