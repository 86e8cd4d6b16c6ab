// This tab's questions, newest first, kept in sessionStorage; and the link that re-asks one.
const KEY = "data-assistant.history";
const MAX = 50;

export function loadHistory() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "[]");
  } catch {
    return [];
  }
}

export function remember(source, question) {
  const entries = loadHistory().filter((e) => !(e.source === source && e.question === question));
  entries.unshift({ source, question });
  sessionStorage.setItem(KEY, JSON.stringify(entries.slice(0, MAX)));
  return entries;
}

export function questionLink(source, question) {
  const params = new URLSearchParams({ source, q: question });
  return `${location.pathname}?${params}`;
}

export function renderHistory(list, entries, onPick) {
  const items = entries.map(({ source, question }) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = question;
    button.title = `Ask again on ${source}`;
    const where = document.createElement("span");
    where.className = "kind";
    where.textContent = ` ${source}`;
    button.addEventListener("click", () => onPick(source, question));
    li.append(button, where);
    return li;
  });
  list.replaceChildren(...items);
}
