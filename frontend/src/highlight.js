// Entry of the query highlighter: highlight.js core with the SQL grammar only.
import hljs from "highlight.js/lib/core";
import sql from "highlight.js/lib/languages/sql";

hljs.registerLanguage("sql", sql);

export function highlightSql(text) {
  return hljs.highlight(text, { language: "sql", ignoreIllegals: true }).value;
}
