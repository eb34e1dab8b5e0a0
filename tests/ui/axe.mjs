// axe-core checks a page for WCAG A/AA problems (labels, contrast,
// landmarks); it is injected into the page under test only.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function accessible(page, name) {
  // Evaluated through the debugging protocol: pages' CSP forbids inline script.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return {
      checked: r.passes.length,
      violations: r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`),
    };
  });
  assert.ok(found.checked > 5, `axe checked the ${name} page`);
  assert.deepEqual(found.violations, [], `accessibility problems on the ${name} page`);
}
