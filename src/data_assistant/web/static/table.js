// The rows as a sortable table: sticky header, numbers right-aligned, nulls marked.
const NO_GROUPING = /(^id$|_id$|[a-z]Id$|^id_|(^|_)(year|yr)$)/;

// Large numbers are shown to 2 decimals (the cell's title and the CSV keep every digit).
function formatter(column) {
  const useGrouping = !NO_GROUPING.test(column.name);
  const coarse = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, useGrouping });
  const fine = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6, useGrouping });
  return (value) => (Math.abs(value) >= 100 ? coarse : fine).format(value);
}

function cellText(value, format) {
  if (typeof value === "number") return format(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nulls last either way
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(cellText(a, String)).localeCompare(String(cellText(b, String)), undefined, {
    numeric: true,
  });
}

// Draws the table into `container`; `kinds` are chart.js's column kinds (numbers align right).
export function renderTable(container, columns, rows, kinds) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  const body = table.createTBody();
  const formats = kinds.map(formatter);
  const numeric = kinds.map((k) => k.kind === "number");
  let order = rows.map((_, i) => i);
  let sorted = { column: -1, descending: false };

  function fill() {
    const fragment = document.createDocumentFragment();
    for (const index of order) {
      const tr = document.createElement("tr");
      rows[index].forEach((value, i) => {
        const td = document.createElement("td");
        if (value === null || value === undefined) {
          td.className = "null";
          td.textContent = "null";
        } else {
          if (numeric[i] || typeof value === "number") td.className = "num";
          td.textContent = cellText(value, formats[i]);
          if (typeof value === "number" && td.textContent !== String(value)) {
            td.title = String(value);
          }
        }
        tr.append(td);
      });
      fragment.append(tr);
    }
    body.replaceChildren(fragment);
  }

  columns.forEach((name, i) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.setAttribute("aria-sort", "none");
    if (numeric[i]) th.className = "num";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = name;
    button.title = `Sort by ${name}`;
    button.addEventListener("click", () => {
      const descending = sorted.column === i ? !sorted.descending : numeric[i];
      sorted = { column: i, descending };
      order = rows.map((_, j) => j);
      order.sort((a, b) => {
        const c = compare(rows[a][i], rows[b][i]);
        const nullish = rows[a][i] == null || rows[b][i] == null;
        return descending && !nullish ? -c : c;
      });
      for (const cell of head.cells) cell.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      fill();
    });
    th.append(button);
    head.append(th);
  });
  fill();
  container.replaceChildren(table);
}
