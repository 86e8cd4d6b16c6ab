// Draws a chart: Vega loaded on first use only, run with its CSP-safe expression interpreter.
import { bigNumber, chartSpec } from "./chart.js";

let vega = null;

function loadVega() {
  vega ||= import("./vendor/vega.js");
  return vega;
}

// Draws `kind` into `container`; returns the Vega view (null for a big number or no chart).
export async function drawChart(container, kind, columns, rows) {
  container.replaceChildren();
  if (kind === "number") {
    const big = bigNumber(columns, rows);
    const figure = document.createElement("figure");
    figure.className = "big-number";
    const value = document.createElement("div");
    value.className = "value";
    value.textContent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 }).format(
      big.value,
    );
    const caption = document.createElement("figcaption");
    caption.textContent = big.name;
    figure.append(value, caption);
    container.append(figure);
    return null;
  }
  const spec = chartSpec(kind, columns, rows);
  if (!spec) return null;
  // On a narrow screen long category labels would leave no room for the bars.
  const labels = spec.encoding.y?.axis;
  if (labels) labels.labelLimit = Math.min(labels.labelLimit, Math.round((container.clientWidth || 600) * 0.35));
  const { embed, expressionInterpreter } = await loadVega();
  const result = await embed(container, spec, {
    mode: "vega-lite",
    renderer: "svg",
    actions: false,
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
    config: {
      font: "system-ui, sans-serif",
      axis: { labelFontSize: 12, titleFontSize: 12 },
      view: { stroke: null },
    },
  });
  return result.view;
}
