// An answer as a table, laid out as the server's `table()` of each result does (answers.py):
// SQL rows by column; documents by their top-level fields, in order of first appearance;
// results that are not all objects, whole, in one column called "value".
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function tableOf(columns, results) {
  if (columns && columns.length) {
    return { columns: [...columns], rows: results.map((r) => columns.map((c) => r[c] ?? null)) };
  }
  if (!results.every(isObject)) return { columns: ["value"], rows: results.map((d) => [d]) };
  const names = new Map();
  for (const item of results) for (const key of Object.keys(item)) names.set(key, true);
  const ordered = [...names.keys()];
  return { columns: ordered, rows: results.map((d) => ordered.map((c) => (c in d ? d[c] : null))) };
}
