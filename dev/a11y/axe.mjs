// Accessibility check of the HTML report with axe-core in headless Chromium (a dev script, not
// run in CI). Usage:
//   cd dev/a11y && npm install axe-core puppeteer-core
//   node axe.mjs ../../examples/wydminy/reports/diagnoza-pl.html
// Prints every violation (rule, impact, count, first targets) and exits 1 when there is any.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const file = resolve(process.argv[2] ?? "../../examples/wydminy/reports/diagnoza-pl.html");
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
  ],
});
try {
  const page = await browser.newPage();
  await page.goto("file://" + file, { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // every WCAG 2.x A/AA rule and axe's best practices
    await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    }));
  for (const v of result.violations) {
    console.log(`${v.id} (${v.impact}): ${v.nodes.length} element(s) — ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) console.log("   ", n.target.join(" "), n.failureSummary?.split("\n")[1] ?? "");
  }
  console.log(`axe-core ${result.testEngine.version}: ${result.violations.length} violation(s), ` +
    `${result.violations.reduce((a, v) => a + v.nodes.length, 0)} element(s), ${file}`);
  process.exitCode = result.violations.length ? 1 : 0;
  if (process.argv.includes("--pdf")) {
    await page.pdf({ path: file.replace(/\.html$/, ".print.pdf"), format: "A4", printBackground: true });
  }
} finally {
  await browser.close();
}
