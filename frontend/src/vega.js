// Entry of the chart bundle: loaded by the page only when a chart is drawn.
export { default as embed } from "vega-embed";
export { expressionInterpreter } from "vega-interpreter";
