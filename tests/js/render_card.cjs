// Render Adaptive Cards with the official renderer in headless Chromium and screenshot each one.
// Input on stdin: {"host_config": <host config>, "out_dir": "<folder>", "cards": {"<name>": <card>, ...},
//                  "chromium": "/usr/bin/chromium"}.
// Output on stdout: {"<name>": {"png": "<path>", "text": "<what a reader sees>", "html_tags": [...],
//                    "links": [{"text", "href"}], "errors": [...]}}.
// No network: the page is built from a string, scripts are injected from node_modules, every request is
// aborted. TextBlocks get markdown through markdown-it as in the Adaptive Cards designer; see
// ../shared/REAL-CLIENTS.md ("Render and screenshot").
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px; background: #f5f5f5; font-family: 'Segoe UI', sans-serif; }
  #card { width: 440px; background: #fff; border: 1px solid #e0e0e0; border-radius: 4px; overflow: hidden; }
</style></head><body><div id="card"></div></body></html>`;

function render({ card, hostConfig }) {
  // Runs in the page.
  /* global AdaptiveCards, markdownit, document */
  const md = markdownit();
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };
  const adaptive = new AdaptiveCards.AdaptiveCard();
  adaptive.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  const errors = [];
  const context = new AdaptiveCards.SerializationContext();
  adaptive.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) errors.push(context.getEventAt(i).message);
  const root = document.getElementById("card");
  root.innerHTML = "";
  const element = adaptive.render();
  if (!element) errors.push("render() returned nothing");
  else root.appendChild(element);
  const tags = [...root.querySelectorAll("b, strong, em, i, a, ul, ol, li, h1, h2, h3, code, img")]
    .filter((node) => node.tagName !== "A") // links are expected (selectAction, actions)
    .map((node) => node.tagName.toLowerCase());
  const links = [...root.querySelectorAll("a")].map((a) => ({ text: a.innerText, href: a.getAttribute("href") }));
  const buttons = [...root.querySelectorAll("button")].map((b) => b.innerText);
  return { text: root.innerText, html_tags: tags, links, buttons, errors };
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const modules = path.join(__dirname, "node_modules");
  const browser = await chromium.launch({ executablePath: input.chromium || "/usr/bin/chromium", args: ARGS });
  const result = {};
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 800 }, deviceScaleFactor: 2 });
    await page.route("**/*", (route) => route.abort());
    await page.setContent(PAGE);
    await page.addStyleTag({ path: path.join(modules, "adaptivecards/dist/adaptivecards.css") });
    await page.addScriptTag({ path: path.join(modules, "adaptivecards/dist/adaptivecards.min.js") });
    await page.addScriptTag({ path: path.join(modules, "markdown-it/dist/browser/markdown-it.umd.min.js") });
    for (const [name, card] of Object.entries(input.cards)) {
      const seen = await page.evaluate(render, { card, hostConfig: input.host_config });
      const png = path.join(input.out_dir, `${name}.png`);
      await page.locator("#card").screenshot({ path: png });
      result[name] = { png, ...seen };
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
