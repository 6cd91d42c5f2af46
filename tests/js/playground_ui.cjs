// Drive the Agents Playground's web UI in headless Chromium (playwright-core, Debian's /usr/bin/chromium):
// wait for the bot's greeting, type a message in the Lexical compose box, send it, wait for the bot's answer
// (one more Adaptive Card than before); then, when BUTTON is given, click the button of that name on the answer's
// card once per EXPECTED text and wait for that text (the bot's answer to the click) to show; screenshot the page.
// ../shared/REAL-CLIENTS.md has the selectors.
// Usage: node playground_ui.cjs URL GREETING_TEXT MESSAGE SCREENSHOT_PNG TIMEOUT_MS [BUTTON EXPECTED…]
// Output on stdout: {"cards_before": n, "cards_after": m, "last_card_text": "…"}.
"use strict";
const { chromium } = require("playwright-core");

const [url, greeting, message, screenshot, timeoutMs, button, ...expected] = process.argv.slice(2);
const timeout = Number(timeoutMs);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(timeout);
    // Loopback only: the UI asks a CDN for fonts.
    await page.route("**/*", (route) =>
      new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort());
    await page.goto(url);
    await page.getByText(greeting).first().waitFor(); // the bot's answer to conversationUpdate: the UI is live
    const cards = page.locator(".ac-adaptiveCard");
    const before = await cards.count();
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type(message);
    await page.getByRole("button", { name: "Send Message" }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll(".ac-adaptiveCard").length > n, before, { timeout });
    const after = await cards.count();
    const lastText = await cards.nth(after - 1).innerText();
    for (const answer of expected) {
      await cards.nth(after - 1).getByRole("button", { name: button, exact: true }).click();
      await page.getByText(answer, { exact: true }).first().waitFor();
    }
    await page.screenshot({ path: screenshot, fullPage: false });
    process.stdout.write(JSON.stringify({ cards_before: before, cards_after: after, last_card_text: lastText }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`playground_ui: ${error.message}\n`);
  process.exit(1);
});
