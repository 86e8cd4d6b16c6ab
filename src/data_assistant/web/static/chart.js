// Chooses a chart from a result's shape and writes it as a Vega-Lite spec, a plain object
// built here from column names and value types: nothing the model wrote is ever run.
//
// Rules (first match wins), on columns typed number / time / category / other:
//   no rows, or any column of objects or mixed values          -> table only
//   one row of one number                                      -> big number
//   one time + numbers (or one time + one category + a number) -> line
//   one category + one number, at most MAX_BAR_ROWS rows       -> bar
//   two numbers (+ at most one category, shown in tooltips)    -> scatter
//   anything else                                              -> table only
export const MAX_BAR_ROWS = 50;
export const KINDS = ["bar", "line", "scatter", "number", "table"];
export const KIND_LABELS = {
  bar: "Bar",
  line: "Line",
  scatter: "Scatter",
  number: "Big number",
  table: "No chart",
};

const ISO_TIME =
  /^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)?$/;
const YEAR_NAME = /(^|[_\s])(year|yr)$/i;
const ID_NAME = /(^id$|_id$|[a-z]Id$|^id_)/;

// Months and days are read as UTC (as JavaScript reads ISO dates) and shown per month or day.
function timeUnitOf(values) {
  if (values.every((v) => v.length === 7)) return "utcyearmonth";
  if (values.every((v) => v.length === 10)) return "utcyearmonthdate";
  return undefined;
}

function isYear(value) {
  const n = typeof value === "string" && /^\d{4}$/.test(value) ? Number(value) : value;
  return Number.isInteger(n) && n >= 1000 && n <= 9999;
}

// The kind of each column: number, time (year: true for a column of years), category, other.
export function columnKinds(columns, rows) {
  return columns.map((name, i) => {
    const values = rows.map((r) => r[i]).filter((v) => v !== null && v !== undefined);
    if (!values.length) return { name, kind: "other" };
    if (YEAR_NAME.test(name) && values.every(isYear)) return { name, kind: "time", year: true };
    if (values.every((v) => typeof v === "number" && Number.isFinite(v))) {
      return { name, kind: ID_NAME.test(name) ? "category" : "number" };
    }
    if (values.every((v) => typeof v === "string" && ISO_TIME.test(v))) {
      return { name, kind: "time", unit: timeUnitOf(values) };
    }
    if (values.every((v) => typeof v === "string" || typeof v === "boolean")) {
      return { name, kind: "category" };
    }
    return { name, kind: "other" };
  });
}

function split(kinds) {
  const of = (k) => kinds.filter((c) => c.kind === k);
  return { numbers: of("number"), times: of("time"), cats: of("category"), others: of("other") };
}

// The chart the result's shape calls for.
export function chooseChart(columns, rows) {
  const kinds = columnKinds(columns, rows);
  const { numbers, times, cats, others } = split(kinds);
  if (!rows.length || others.length) return "table";
  if (rows.length === 1 && columns.length === 1 && numbers.length === 1) return "number";
  if (times.length === 1 && numbers.length >= 1 && cats.length === 0) return "line";
  if (times.length === 1 && numbers.length === 1 && cats.length === 1) return "line";
  if (cats.length === 1 && numbers.length === 1 && !times.length && rows.length <= MAX_BAR_ROWS) {
    return "bar";
  }
  if (numbers.length === 2 && !times.length && cats.length <= 1 && rows.length >= 2) {
    return "scatter";
  }
  return "table";
}

// Every chart the user may switch to for this result, in KINDS order.
export function chartOptions(columns, rows) {
  const { numbers, times, cats } = split(columnKinds(columns, rows));
  const axes = times.length + cats.length;
  const possible = {
    bar: rows.length > 0 && axes >= 1 && numbers.length >= 1,
    line: rows.length > 0 && axes >= 1 && numbers.length >= 1,
    scatter: rows.length > 0 && numbers.length >= 2,
    number: rows.length === 1 && numbers.length >= 1,
    table: true,
  };
  return KINDS.filter((k) => possible[k]);
}

// A Vega-Lite field reference: dots and brackets in a column name are not paths.
export function field(name) {
  return name.replace(/[\\.[\]]/g, (c) => `\\${c}`);
}

function valuesOf(columns, rows) {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

function axisOf(column) {
  if (column.kind === "time" && !column.year) {
    const axis = { field: field(column.name), type: "temporal" };
    return column.unit ? { ...axis, timeUnit: column.unit } : axis;
  }
  return { field: field(column.name), type: column.kind === "time" ? "ordinal" : "nominal" };
}

function tooltipOf(kinds) {
  return kinds
    .filter((c) => c.kind !== "other")
    .map((c) => ({
      field: field(c.name),
      type: c.kind === "number" ? "quantitative" : axisOf(c).type,
      title: c.name,
    }));
}

// The Vega-Lite spec of `kind` for this result; null for "number" and "table".
export function chartSpec(kind, columns, rows) {
  const kinds = columnKinds(columns, rows);
  const { numbers, times, cats } = split(kinds);
  const base = {
    data: { values: valuesOf(columns, rows) },
    width: "container",
  };
  if (kind === "bar") {
    const axis = cats[0] || times[0];
    const measure = numbers[0];
    return {
      ...base,
      description: `Bar chart of ${measure.name} by ${axis.name}`,
      mark: { type: "bar", tooltip: true },
      height: { step: 22 },
      encoding: {
        y: {
          field: field(axis.name),
          type: axis.kind === "time" ? "ordinal" : "nominal",
          sort: axis.kind === "time" ? "ascending" : "-x",
          title: axis.name,
          axis: { labelLimit: 200 },
        },
        x: {
          field: field(measure.name),
          type: "quantitative",
          title: measure.name,
          axis: { labelFlush: true, labelOverlap: true },
        },
      },
    };
  }
  if (kind === "line") {
    const axis = times[0] || cats[0];
    const x = { ...axisOf(axis), title: axis.name };
    const spec = {
      ...base,
      height: 300,
      mark: { type: "line", point: true, tooltip: true },
    };
    const series = axis.kind === "time" ? cats[0] : undefined;
    if (numbers.length > 1 && !series) {
      return {
        ...spec,
        description: `Line chart of ${numbers.map((n) => n.name).join(", ")} over ${axis.name}`,
        transform: [{ fold: numbers.map((n) => field(n.name)), as: ["series", "amount"] }],
        encoding: {
          x,
          y: { field: "amount", type: "quantitative", title: null },
          color: { field: "series", type: "nominal", title: null },
        },
      };
    }
    const encoding = {
      x,
      y: { field: field(numbers[0].name), type: "quantitative", title: numbers[0].name },
    };
    if (series) encoding.color = { field: field(series.name), type: "nominal", title: series.name };
    return {
      ...spec,
      description: `Line chart of ${numbers[0].name} over ${axis.name}`,
      encoding,
    };
  }
  if (kind === "scatter") {
    const [a, b] = numbers;
    return {
      ...base,
      height: 300,
      description: `Scatter plot of ${b.name} against ${a.name}`,
      mark: { type: "point", filled: true },
      encoding: {
        x: { field: field(a.name), type: "quantitative", title: a.name, scale: { zero: false } },
        y: { field: field(b.name), type: "quantitative", title: b.name, scale: { zero: false } },
        tooltip: tooltipOf(kinds),
      },
    };
  }
  return null;
}

// The number shown by a "big number" chart: the first number of the first row.
export function bigNumber(columns, rows) {
  const { numbers } = split(columnKinds(columns, rows));
  if (!rows.length || !numbers.length) return null;
  const name = numbers[0].name;
  return { name, value: rows[0][columns.indexOf(name)] };
}
