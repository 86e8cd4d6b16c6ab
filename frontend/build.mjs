// Builds the vendored files the page loads into src/data_assistant/web/static/vendor/.
// Run `npm ci && npm run build` after changing a dependency; the output is committed so that
// users install the package with no build step and nothing is fetched from a CDN.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "data_assistant", "web", "static", "vendor");
mkdirSync(out, { recursive: true });

// vega.js is loaded only when a chart is drawn; highlight.js with the first query shown.
const bundles = {
  "vega.js": "src/vega.js",
  "highlight.js": "src/highlight.js",
};
const shipped = new Set();
for (const [name, entry] of Object.entries(bundles)) {
  const result = await build({
    entryPoints: [join(here, entry)],
    outfile: join(out, name),
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2020",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (match) shipped.add(match[1]);
  }
}

// Every package whose code is in the bundles, with its licence, next to them.
const sections = [];
for (const name of [...shipped].sort()) {
  const folder = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license"].find((f) =>
    existsSync(join(folder, f)),
  );
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : `License: ${meta.license}`;
  sections.push(`${name} ${meta.version} (${meta.license})\n\n${text}`);
}
writeFileSync(
  join(out, "LICENSES.txt"),
  `Packages bundled into this folder by frontend/build.mjs:\n\n${sections.join("\n\n---\n\n")}\n`,
);
