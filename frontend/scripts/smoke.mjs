// A headless walk through every screen of the staff UI against a running Portico with demo
// data (`portico serve --demo`): it signs in, opens each screen at 1280 and 800 px wide,
// saves a screenshot of each, runs axe-core on each, and fails on serious accessibility
// findings, Content-Security-Policy violations and page errors. It changes data (a comment,
// an upload, an invited client and staff member), so point it at a throwaway data folder.
//
//   PORTICO_STAFF_URL=https://127.0.0.1:18444 SHOTS_DIR=/tmp/ui-shots npm run smoke
//
// Chromium is Debian's (/usr/bin/chromium, or CHROMIUM); nothing is downloaded.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tmpdir } from "node:os";

const base = process.env.PORTICO_STAFF_URL ?? "https://127.0.0.1:18444";
const email = process.env.PORTICO_EMAIL ?? "owner@agency.example";
const password = process.env.PORTICO_PASSWORD ?? "portico-demo";
const shots = process.env.SHOTS_DIR ?? "/tmp/ui-shots";
const portal = process.env.PORTICO_PORTAL_URL ?? "https://127.0.0.1:18443";
const clientEmail = process.env.PORTICO_CLIENT_EMAIL ?? "dana@client.example";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

mkdirSync(shots, { recursive: true });
const problems = [];
const taken = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 30_000,
});

try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 820 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watch(page, "main");

  await page.goto(base + "/");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await shot(page, "01-sign-in");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("sidebar").waitFor();
  await page.getByTestId("live-status").getByText("Live").waitFor();
  await shot(page, "02-overview");

  await page.getByTestId("project-link").first().click();
  await page.getByTestId("task-list").waitFor();
  await shot(page, "03-project-list");

  await page.getByTestId("view-board").click();
  await page.getByTestId("task-board").waitFor();
  await shot(page, "04-project-board");

  // Live: a client completes a task and comments in the portal; the open board shows the
  // completion and the open drawer the comment, without a reload.
  const client = await browser.newContext({ ignoreHTTPSErrors: true });
  const portalPage = await client.newPage();
  await portalPage.goto(portal + "/");
  await portalPage.getByLabel("Email").fill(clientEmail);
  await portalPage.getByLabel("Password").fill(password);
  await portalPage.getByRole("button", { name: "Sign in" }).click();
  await portalPage.getByRole("link", { name: "Website relaunch" }).click();
  await portalPage.getByRole("link", { name: "Send brand assets" }).click();
  const started = Date.now();
  await portalPage.getByRole("button", { name: "Mark as complete" }).click();
  await page.locator('[data-testid="board-column"][data-status="done"]')
    .getByText("Send brand assets").waitFor({ timeout: 15_000 });
  console.log(`live: the completion reached the board in ${Date.now() - started} ms`);
  await shot(page, "04b-board-after-client-completed");

  await page.getByTestId("view-list").click();
  await page.getByRole("link", { name: "Send brand assets" }).click();
  await page.getByTestId("task-drawer").waitFor();
  await portalPage.getByLabel("Add a comment").fill("Uploaded the logos. Anything else you need?");
  await portalPage.getByRole("button", { name: "Comment" }).click();
  await page.getByTestId("task-drawer").getByText("Anything else you need?").waitFor({ timeout: 15_000 });
  await page.getByTestId("task-drawer").getByTestId("feed-event").filter({ hasText: "completed" }).waitFor();
  await shot(page, "04c-drawer-live-client-comment");
  await client.close();
  await page.getByTestId("close-drawer").click();

  await page.getByTestId("task-open").first().click();
  const drawer = page.getByTestId("task-drawer");
  await drawer.waitFor();
  await drawer.getByTestId("comment-input").fill("Looks good. The **final** files are attached; see https://example.com/brief");
  await drawer.getByTestId("comment-submit").click();
  await drawer.getByTestId("comment").first().waitFor();
  await drawer.getByTestId("comment-internal").check();
  await drawer.getByTestId("comment-input").fill("Internal: invoice after sign-off.");
  await drawer.getByTestId("comment-submit").click();
  await drawer.getByTestId("internal-badge").first().waitFor();
  const file = join(mkdtempSync(join(tmpdir(), "portico-smoke-")), "brand-guide.pdf");
  writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 7));
  await drawer.getByTestId("file-input").setInputFiles(file);
  await drawer.getByTestId("file-row").first().waitFor();
  await page.waitForTimeout(400);
  await shot(page, "05-task-drawer");

  await drawer.getByTestId("edit-description").first().click();
  await drawer.getByTestId("description-input").fill(
    "## Deliverables\n\n- [x] Logo in **SVG** and PNG\n- [ ] Colour palette\n\nSee [the brief](https://example.com/brief) and `fonts/`.\n\n<script>alert(1)</script>",
  );
  await drawer.getByTestId("description-preview-tab").click();
  await drawer.getByTestId("description-preview").waitFor();
  await shot(page, "06-description-preview");
  await drawer.getByTestId("save-description").click();
  await drawer.getByTestId("close-drawer").click();

  await page.getByTestId("open-share").click();
  const share = page.getByTestId("share-dialog");
  await share.waitFor();
  await shot(page, "07-share-dialog");

  await share.getByTestId("client-email").fill("new.client@client.example");
  await share.getByTestId("client-name").fill("Nora Client");
  await share.getByTestId("add-client").click();
  await share.getByTestId("invite-link").waitFor();
  await share.getByTestId("invite-link").scrollIntoViewIfNeeded();
  await shot(page, "08-share-invite-link");

  await share.getByTestId("preview-as-client").first().click();
  await page.getByTestId("preview-panel").waitFor();
  await page.waitForTimeout(800);
  await shot(page, "09-preview-as-client");
  await page.getByTestId("preview-panel").getByRole("button", { name: "Close" }).click();

  await share.getByTestId("unshare").click();
  await page.getByTestId("unshare-dialog").waitFor();
  await shot(page, "10-unshare-confirm");
  await page.getByTestId("unshare-dialog").getByRole("button", { name: "Cancel" }).click();
  await share.getByRole("button", { name: "Done" }).click();

  await page.getByTestId("new-project").first().click();
  await page.getByTestId("new-project-dialog").waitFor();
  await shot(page, "11-new-project");
  await page.getByTestId("new-project-dialog").getByRole("button", { name: "Cancel" }).click();

  await page.getByTestId("nav-staff").click();
  await page.getByTestId("staff-table").waitFor();
  await page.getByTestId("staff-email").fill("sam@agency.example");
  await page.getByTestId("staff-name").fill("Sam Member");
  await page.getByTestId("invite-staff").click();
  await page.getByTestId("invite-link").waitFor();
  const staffLink = await page.getByTestId("invite-link-value").inputValue();
  await shot(page, "12-staff");

  await page.getByTestId("nav-account").click();
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  await shot(page, "13-account");

  // The narrow window: the menu folds away.
  await page.setViewportSize({ width: 800, height: 900 });
  await page.getByTestId("nav-account").evaluate(() => (location.hash = "#/"));
  await page.getByRole("button", { name: "Open menu" }).click();
  await page.getByTestId("project-link").first().click();
  await page.getByTestId("task-list").waitFor();
  await shot(page, "14-narrow-project");
  await page.getByTestId("task-open").nth(1).click();
  await page.getByTestId("task-drawer").waitFor();
  await shot(page, "15-narrow-drawer");

  // The staff invite page, set the password, and land in the UI.
  const joiner = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 820 } });
  const invitePage = await joiner.newPage();
  watch(invitePage, "invite");
  await invitePage.goto(new URL(new URL(staffLink).pathname, base).href);
  await invitePage.getByRole("heading", { name: "Join the team" }).waitFor();
  await shot(invitePage, "16-staff-invite-page");
  await invitePage.getByLabel("New password").fill("a long passphrase here");
  await invitePage.getByLabel("Repeat it").fill("a long passphrase here");
  await invitePage.getByRole("button", { name: "Set password" }).click();
  await invitePage.getByTestId("sidebar").waitFor();
  await shot(invitePage, "17-after-invite-lands-in-ui");

  // Sign out returns to the sign-in screen.
  await invitePage.getByTestId("sign-out").click();
  await invitePage.getByRole("heading", { name: "Sign in" }).waitFor();
  await joiner.close();
} catch (err) {
  problems.push(`walk stopped: ${err instanceof Error ? err.message : err}`);
} finally {
  await browser.close();
}

console.log(`screenshots in ${shots}:`);
for (const t of taken) console.log(`  ${t}`);
if (problems.length) {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exitCode = 1;
} else {
  console.log("\nno serious accessibility findings, CSP violations or page errors");
}

function watch(page, label) {
  page.on("pageerror", (err) => problems.push(`${label}: page error: ${err.message}`));
  page.on("console", (msg) => {
    const text = msg.text();
    if (/Content.Security.Policy|Refused to/i.test(text)) problems.push(`${label}: CSP: ${text}`);
    else if (msg.type() === "error" && !/status of (401|404)/.test(text)) problems.push(`${label}: console: ${text}`);
  });
}

async function shot(page, name) {
  await page.waitForTimeout(150);
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path });
  taken.push(path);
  await audit(page, name);
}

async function audit(page, name) {
  // evaluate() runs outside the page's CSP, which forbids inline scripts.
  await page.evaluate(axeSource + "\n;0");
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const res = await axe.run(document, { resultTypes: ["violations"] });
    return res.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`);
  });
  for (const f of found) problems.push(`${name}: axe ${f}`);
}
