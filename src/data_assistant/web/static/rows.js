// An answer as a table: SQL rows by column; documents flattened to their top-level fields,
// a result that is not an object in a column called "value" (as present/csv.py does).
export const VALUE_COLUMN = "value";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function tableOf(columns, results) {
  if (columns && columns.length) {
    return { columns: [...columns], rows: results.map((r) => columns.map((c) => r[c] ?? null)) };
  }
  const names = new Map();
  for (const item of results) {
    for (const key of isObject(item) ? Object.keys(item) : [VALUE_COLUMN]) names.set(key, true);
  }
  const ordered = [...names.keys()];
  const rows = results.map((item) =>
    isObject(item)
      ? ordered.map((c) => (c in item ? item[c] : null))
      : ordered.map((c) => (c === VALUE_COLUMN ? item : null)),
  );
  return { columns: ordered, rows };
}
