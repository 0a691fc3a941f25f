// Opens Swagger UI in headless Chromium, runs "Try it out" on GET /v1/articles/{slug} with the seed slug, and
// checks the 200 and the title in the response. Usage: node swagger-ui.mjs <base url> <screenshot path>
import { chromium } from "playwright-core";

const [baseUrl, screenshot] = process.argv.slice(2);
if (!baseUrl || !screenshot) {
  throw new Error("usage: node swagger-ui.mjs <base url> <screenshot path>");
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  // The machine's network is closed: no background or component traffic; no sandbox when run as root.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  await page.goto(`${baseUrl}/swagger/index.html`);
  const operation = page.locator("#operations-Articles-getArticle");
  await operation.locator(".opblock-summary").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.locator('input[placeholder="slug"]').fill("venezuela-defies-the-us");
  await operation.getByRole("button", { name: "Execute" }).click();
  const status = operation.locator(".live-responses-table tr.response .response-col_status").first();
  await status.waitFor({ timeout: 15000 });
  const code = (await status.innerText()).trim();
  const body = await operation.locator(".live-responses-table tr.response .response-col_description pre").first().innerText();
  await operation.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: false });
  if (code !== "200" || !body.includes("Venezuela Defies the U.S.")) {
    throw new Error(`Try it out answered ${code}: ${body.slice(0, 300)}`);
  }
  console.log(`swagger ui: GET /v1/articles/venezuela-defies-the-us answered ${code} with the title`);
} finally {
  await browser.close();
}
