// Builds the vendored files the page loads into src/data_assistant/web/static/vendor/.
// Run `npm ci && npm run build` after changing a dependency; the output is committed so that
// users install the package with no build step and nothing is fetched from a CDN.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "data_assistant", "web", "static", "vendor");
mkdirSync(out, { recursive: true });

const bundles = {
  "vega.js": "src/vega.js",
  "highlight.js": "src/highlight.js",
};
for (const [name, entry] of Object.entries(bundles)) {
  await build({
    entryPoints: [join(here, entry)],
    outfile: join(out, name),
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2020",
    legalComments: "eof",
    logLevel: "warning",
  });
}

// The licences of what is shipped, next to it.
const packages = ["vega", "vega-lite", "vega-embed", "vega-interpreter", "highlight.js"];
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const lines = ["Vendored front-end packages (built by frontend/build.mjs):", ""];
for (const name of packages) {
  const version = lock.packages[`node_modules/${name}`].version;
  const license = JSON.parse(
    readFileSync(join(here, "node_modules", name, "package.json"), "utf8"),
  ).license;
  lines.push(`${name} ${version} (${license})`);
}
writeFileSync(join(out, "VERSIONS.txt"), lines.join("\n") + "\n");
copyFileSync(join(here, "node_modules", "vega", "LICENSE"), join(out, "LICENSE-vega.txt"));
