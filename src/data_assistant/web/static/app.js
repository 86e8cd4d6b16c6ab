// The page: pick a source, ask, and see the query, the explanation, a chart and the rows.
import { ApiProblem, ask, describeSource, listSources } from "./api.js";
import {
  authMode,
  clearToken,
  getToken,
  setToken,
  signInMetadata,
  startSignIn,
} from "./auth.js";
import { chartOptions, chooseChart, columnKinds, KIND_LABELS } from "./chart.js";
import { toCsv } from "./csv.js";
import { drawChart } from "./draw.js";
import { fileStem, saveBlob, saveUrl } from "./download.js";
import { loadHistory, questionLink, remember, renderHistory } from "./history.js";
import { tableOf } from "./rows.js";
import { renderSchema } from "./schema.js";
import { finishSignIn, forgetSignIn, signedInAs } from "./signin.js";
import { renderTable } from "./table.js";

const $ = (id) => document.getElementById(id);
const state = { sources: [], answer: null, view: null, asked: 0, pending: null };

// ---- the query, highlighted once the (small, lazily loaded) highlighter is there ----
let highlighter = null;
async function showQuery(code, query) {
  code.textContent = query;
  try {
    highlighter ||= import("./vendor/highlight.js");
    const { highlightSql } = await highlighter;
    // highlight.js escapes the text it is given; its output is markup of spans only.
    if (code.textContent === query) code.innerHTML = highlightSql(query);
  } catch {
    // Plain text stays: highlighting is a nicety.
  }
}

// ---- messages ----
function say(message) {
  $("status").textContent = message;
}

function clearError() {
  $("error").hidden = true;
  $("error").replaceChildren();
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

const HEADINGS = {
  0: "The server cannot be reached",
  400: "The query was not run",
  401: "Sign-in needed",
  403: "No permission",
  404: "Not found",
  422: "The question was not understood",
  429: "Too many questions",
  502: "The translator failed",
  503: "The database cannot be reached",
  504: "Timed out",
};

function showProblem(problem, { question } = {}) {
  const box = $("error");
  const heading = HEADINGS[problem.status] || problem.title || "Something went wrong";
  box.replaceChildren(element("strong", heading), element("p", problem.detail));
  if (problem.title && problem.title !== heading) box.dataset.title = problem.title;
  box.dataset.status = String(problem.status);
  if (problem.sql) {
    box.append(element("p", "The query that was rejected:", "hint"));
    const code = element("code", undefined, "hljs");
    const pre = element("pre");
    pre.append(code);
    box.append(pre);
    showQuery(code, problem.sql);
  }
  if (problem.retryAfter) box.append(element("p", `Try again in ${problem.retryAfter} s.`));
  const suggestions = Array.isArray(problem.suggestions) ? problem.suggestions : [];
  if (suggestions.length) {
    box.append(element("p", "Questions it can answer:", "hint"));
    const list = element("ul", undefined, "suggestions");
    for (const suggestion of suggestions) {
      if (typeof suggestion !== "string") continue;
      const button = element("button", suggestion, "link");
      button.type = "button";
      button.addEventListener("click", () => {
        $("question").value = suggestion;
        submitQuestion();
      });
      const li = element("li");
      li.append(button);
      list.append(li);
    }
    box.append(list);
  }
  box.hidden = false;
  if (problem.status === 401) showTokenForm(problem.detail);
  say(question ? `No answer: ${heading}.` : heading);
}

// ---- credentials ----
function showTokenForm(reason) {
  const form = $("token-form");
  form.hidden = false;
  if (reason) $("token-hint").dataset.reason = reason;
  $("token").focus();
}

function updateAuthButtons() {
  const needed = authMode !== "none";
  $("use-token").hidden = !needed || !!getToken();
  $("sign-out").hidden = !getToken();
  const who = signedInAs();
  $("who").textContent = getToken()
    ? who
      ? `Signed in as ${who}`
      : "Using a token"
    : needed
      ? "Not signed in"
      : "";
}

async function offerSignIn() {
  const metadata = await signInMetadata();
  if (!metadata) return;
  const button = $("sign-in");
  button.hidden = false;
  button.addEventListener("click", () => startSignIn(metadata));
}

// ---- sources and schema ----
function currentSource() {
  return state.sources.find((s) => s.name === $("source").value);
}

async function loadSources() {
  try {
    const { sources } = await listSources();
    state.sources = sources;
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    showProblem(err.problem);
    return false;
  }
  const select = $("source");
  select.replaceChildren(
    ...state.sources.map((s) => {
      const option = element("option", `${s.name} (${s.kind === "sql" ? s.dialect : s.kind})`);
      option.value = s.name;
      return option;
    }),
  );
  if (!state.sources.length) say("No source is granted to these credentials.");
  return true;
}

async function loadSchema() {
  const source = currentSource();
  $("source-description").textContent = source?.description || "";
  const box = $("schema");
  box.replaceChildren();
  if (!source) return;
  try {
    const schema = await describeSource(source.name);
    if (currentSource() !== source) return;
    renderSchema(box, schema, insertColumn);
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    box.replaceChildren(element("p", err.problem.detail, "hint"));
  }
}

function insertColumn(name) {
  const input = $("question");
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? input.value.length;
  const before = input.value.slice(0, start);
  const after = input.value.slice(end);
  const pad = before && !/\s$/.test(before) ? " " : "";
  const trail = after && !/^\s/.test(after) ? " " : "";
  input.value = before + pad + name + trail + after;
  const caret = (before + pad + name).length;
  input.focus();
  input.setSelectionRange(caret, caret);
}

// ---- asking ----
function submitQuestion(startedAt) {
  const source = currentSource();
  const question = $("question").value.trim();
  if (!source || !question) return;
  return askQuestion(source, question, startedAt ?? performance.now());
}

async function askQuestion(source, question, startedAt) {
  const id = ++state.asked;
  clearError();
  $("ask-button").disabled = true;
  $("answer").setAttribute("aria-busy", "true");
  say(`Asking ${source.name}…`);
  const link = questionLink(source.name, question);
  history.replaceState(null, "", link);
  $("share-link").href = link;
  $("share-link").hidden = false;
  renderHistory($("history"), remember(source.name, question), pickFromHistory);
  try {
    const answer = await ask(source, question);
    if (id !== state.asked) return;
    await showAnswer(source, answer, startedAt);
  } catch (err) {
    if (id !== state.asked) return;
    if (!(err instanceof ApiProblem)) throw err;
    $("answer").hidden = true;
    showProblem(err.problem, { question });
  } finally {
    if (id === state.asked) {
      $("ask-button").disabled = false;
      $("answer").removeAttribute("aria-busy");
    }
  }
}

function pickFromHistory(sourceName, question) {
  if ($("source").value !== sourceName) {
    $("source").value = sourceName;
    loadSchema();
  }
  $("question").value = question;
  submitQuestion();
}

async function showAnswer(source, answer, startedAt) {
  const { columns, rows } = tableOf(answer.columns, answer.results);
  const kinds = columnKinds(columns, rows);
  state.answer = { source: source.name, columns, rows };
  const section = $("answer");
  section.hidden = false;
  section.dataset.answer = String(state.asked);
  showQuery($("query"), answer.query);
  $("explanation").textContent = answer.explanation || "";
  $("explanation").hidden = !answer.explanation;

  renderTable($("table"), columns, rows, kinds);
  const total = answer.count ?? "an unknown number of";
  const shown = rows.length;
  const note = answer.truncated
    ? `Showing the first ${shown.toLocaleString()} of ${total.toLocaleString()} rows (truncated).`
    : `${shown.toLocaleString()} row${shown === 1 ? "" : "s"}.`;
  $("row-note").textContent = note;
  $("row-note").classList.toggle("truncated", !!answer.truncated);
  say(`Answered: ${note}`);
  // The table is on screen at the next frame: that is what "time to answer" measures.
  requestAnimationFrame(() => {
    performance.measure("da:answer", { start: startedAt, end: performance.now() });
  });

  const options = chartOptions(columns, rows);
  const kind = chooseChart(columns, rows);
  const select = $("chart-kind");
  select.replaceChildren(
    ...options.map((k) => {
      const option = element("option", KIND_LABELS[k]);
      option.value = k;
      return option;
    }),
  );
  select.value = kind;
  await showChart(kind);
}

async function showChart(kind) {
  const { columns, rows } = state.answer;
  const area = $("chart");
  const hasView = kind !== "table" && kind !== "number";
  $("download-svg").hidden = !hasView;
  $("download-png").hidden = !hasView;
  area.hidden = kind === "table";
  area.dataset.kind = kind;
  delete area.dataset.drawn;
  state.view?.finalize();
  state.view = null;
  const id = state.asked;
  try {
    const view = await drawChart(area, kind, columns, rows);
    if (id !== state.asked) return view?.finalize();
    state.view = view;
  } catch (err) {
    area.replaceChildren(element("p", `The chart could not be drawn (${err.message}).`, "hint"));
  }
  area.dataset.drawn = `${id}:${kind}`;
}

// ---- wiring ----
function wire() {
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitQuestion();
  });
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitQuestion(event.timeStamp);
    }
  });
  $("source").addEventListener("change", loadSchema);
  $("chart-kind").addEventListener("change", (event) => showChart(event.target.value));
  $("copy-query").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("query").textContent);
      say("Query copied.");
    } catch {
      say("Copying is not allowed here; select the query and copy it.");
    }
  });
  $("download-csv").addEventListener("click", () => {
    const { source, columns, rows } = state.answer;
    const blob = new Blob([toCsv(columns, rows)], { type: "text/csv;charset=utf-8" });
    saveBlob(blob, `${fileStem(source)}.csv`);
  });
  $("download-svg").addEventListener("click", async () => {
    const svg = await state.view.toSVG();
    saveBlob(new Blob([svg], { type: "image/svg+xml" }), `${fileStem(state.answer.source)}.svg`);
  });
  $("download-png").addEventListener("click", async () => {
    saveUrl(await state.view.toImageURL("png", 2), `${fileStem(state.answer.source)}.png`);
  });
  $("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    setToken($("token").value);
    forgetSignIn();
    $("token").value = "";
    $("token-form").hidden = true;
    clearError();
    updateAuthButtons();
    await start();
  });
  $("use-token").addEventListener("click", () => showTokenForm());
  $("sign-out").addEventListener("click", () => {
    clearToken();
    forgetSignIn();
    updateAuthButtons();
    state.sources = [];
    $("source").replaceChildren();
    $("schema").replaceChildren();
    $("answer").hidden = true;
    showTokenForm();
  });
}

async function start() {
  if (!(await loadSources())) return;
  const params = new URLSearchParams(location.search);
  const wanted = params.get("source");
  const granted = !wanted || state.sources.some((s) => s.name === wanted);
  if (wanted && granted) $("source").value = wanted;
  loadSchema();
  const question = params.get("q");
  if (question && !granted) {
    $("question").value = question;
    showProblem({
      status: 403,
      detail: `The link asks '${wanted}', which these credentials do not grant.`,
    });
  } else if (question && currentSource()) {
    $("question").value = question;
    await submitQuestion();
  }
}

async function boot() {
  wire();
  const failed = await finishSignIn();
  updateAuthButtons();
  renderHistory($("history"), loadHistory(), pickFromHistory);
  offerSignIn();
  if (failed) showProblem({ status: 401, title: "Sign-in failed", detail: failed });
  else if (authMode !== "none" && !getToken()) showTokenForm();
  else start();
}

boot();
