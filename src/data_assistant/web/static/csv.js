// Rows as CSV with the rules of present/csv.py (a test checks both give the same text).
const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];

export function safeText(text) {
  return FORMULA_STARTS.some((s) => text.startsWith(s)) ? `'${text}` : text;
}

export function cell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "object") return JSON.stringify(value);
  return safeText(String(value));
}

function quoted(field) {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

function line(fields) {
  // As Python's csv module: a row of one empty field is written as "" so it is not blank.
  if (fields.length === 1 && fields[0] === "") return '""';
  return fields.map(quoted).join(",");
}

export function toCsv(columns, rows) {
  const lines = [line(columns.map((c) => safeText(String(c))))];
  for (const row of rows) lines.push(line(row.map(cell)));
  return lines.join("\r\n") + "\r\n";
}
