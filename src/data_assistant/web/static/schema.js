// The schema browser: tables and columns the user may query; a click inserts a column name.
function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

export function renderSchema(container, schema, onColumn) {
  const list = document.createElement("ul");
  list.className = "tables";
  for (const table of schema.tables) {
    const item = document.createElement("li");
    const details = document.createElement("details");
    const title = table.schema ? `${table.schema}.${table.name}` : table.name;
    const summary = text("summary", title);
    if (table.kind && table.kind !== "table") summary.append(text("span", ` ${table.kind}`, "kind"));
    details.append(summary);
    if (table.comment) details.append(text("p", table.comment, "hint"));
    const columns = document.createElement("ul");
    columns.className = "columns";
    for (const column of table.columns) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "column";
      button.dataset.column = column.name;
      button.append(text("span", column.name, "name"), text("span", ` ${column.type}`, "type"));
      if (column.primary_key) button.append(text("span", " key", "kind"));
      button.setAttribute("aria-label", `Insert column ${column.name} (${column.type})`);
      button.addEventListener("click", () => onColumn(column.name));
      li.append(button);
      if (column.comment) li.append(text("p", column.comment, "hint"));
      if (column.samples && column.samples.length) {
        li.append(text("p", `e.g. ${column.samples.slice(0, 6).join(", ")}`, "samples"));
      }
      columns.append(li);
    }
    details.append(columns);
    item.append(details);
    list.append(item);
  }
  if (!schema.tables.length) list.append(text("li", "No tables you may query.", "hint"));
  container.replaceChildren(list);
}
