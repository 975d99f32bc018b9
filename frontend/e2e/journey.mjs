// The browser end-to-end journey, run by internal/server/browser_test.go against a fresh
// Portico (real HTTPS, real SMTP, the built UI): the owner sets up Portico and shares two
// of three tasks with a client invited by email; the client, in a second browser context,
// sets a password, sees exactly those two tasks and completes the one assigned to them;
// the open staff page shows that without a reload; Unshare ends the client's access on
// their next action. The portal is checked at 360 px, every screen is screenshotted and
// audited with axe-core.

import assert from "node:assert/strict";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { env, launch, newContext, Findings, mailLink, stepper } from "./lib.mjs";

const staffURL = env("PORTICO_STAFF_URL");
const portalURL = env("PORTICO_PORTAL_URL");
const setupLink = env("PORTICO_SETUP_LINK");
const mailbox = env("PORTICO_MAILBOX_URL");
const foldersRoot = env("PORTICO_FOLDERS_ROOT");
const spki = process.env.PORTICO_CERT_SPKI ?? "";
const findings = new Findings(env("SHOTS_DIR"));
const step = stepper();

const owner = { email: "owner@agency.example", name: "Olivia Owner", password: "owner password 1" };
const client = { email: "dana@client.example", name: "Dana Client", password: "client password 1" };
const projectName = "Website relaunch";
const shared = ["Send brand assets", "Approve the homepage"];
const hidden = "Internal budget review";
const docTitle = "Project brief";
const docLine = "Launch before the trade fair";
const docComment = "The brief reads well.";

const browser = await launch(spki);
let failure = null;
try {
  const staff = await staffPage();
  await setUpOwner(staff);
  await createProject(staff);
  await shareTwo(staff);
  await inviteClient(staff);

  const portal = await portalPage();
  await clientJoins(portal);
  await clientSeesTwo(portal);
  await assignToClient(staff);
  await clientCompletes(portal, staff);
  await staffScreens(staff);
  await sharedDoc(staff, portal);
  await search(staff, portal);
  await folderView(staff);
  await descriptionConflict(staff);
  await phoneWidth(portal);
  await hideTask(staff, portal);
  await unshare(staff);
  await clientLosesAccess(portal);
  await staffSignIn();
} catch (err) {
  failure = err;
  await findings.failureShots(browser);
} finally {
  await browser.close();
}

const clean = findings.report();
if (failure) {
  console.error(`\njourney stopped: ${failure.stack ?? failure}`);
}
process.exitCode = failure || !clean ? 1 : 0;

async function staffPage() {
  const context = await newContext(browser, { trusted: Boolean(spki) });
  const page = await context.newPage();
  findings.watch(page, "staff");
  return page;
}

async function portalPage() {
  const context = await newContext(browser, { trusted: Boolean(spki) });
  const page = await context.newPage();
  findings.watch(page, "portal");
  return page;
}

// 1. Owner setup through the printed link; the UI opens signed in.
async function setUpOwner(page) {
  step("owner setup");
  await page.goto(setupLink);
  await page.getByRole("heading", { name: "Set up Portico" }).waitFor();
  await findings.shot(page, "staff-setup");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Name").fill(owner.name);
  await page.getByLabel(/^Password/).fill(owner.password);
  await page.getByRole("button", { name: "Create owner" }).click();
  await page.getByTestId("sidebar").waitFor();
  await page.getByTestId("live-status").getByText("Live").waitFor();
  await findings.shot(page, "staff-overview");
}

// 2. A project in the Team workspace with three tasks, all hidden at first.
async function createProject(page) {
  step("create the project and three tasks");
  await page.getByRole("button", { name: "New project in Team" }).click();
  const dialog = page.getByTestId("new-project-dialog");
  await dialog.getByLabel("Name").fill(projectName);
  await findings.shot(page, "staff-new-project");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await page.getByTestId("project-title").getByText(projectName).waitFor();

  await page.getByTestId("new-task").click();
  const taskDialog = page.getByTestId("new-task-dialog");
  await taskDialog.getByLabel("Title").fill(shared[0]);
  await findings.shot(page, "staff-new-task");
  await taskDialog.getByRole("button", { name: "Add task" }).click();
  await taskDialog.waitFor({ state: "detached" });
  for (const title of [shared[1], hidden]) {
    await page.getByTestId("quick-add").first().fill(title);
    await page.getByTestId("quick-add").first().press("Enter");
    await page.getByTestId("task-open").filter({ hasText: title }).waitFor();
  }
  assert.equal(await page.getByTestId("task-row").count(), 3);
  await findings.shot(page, "staff-project-list");

  await page.getByTestId("view-board").click();
  await page.getByTestId("task-board").waitFor();
  await findings.shot(page, "staff-project-board");
  await page.getByTestId("view-list").click();
  await page.getByTestId("task-list").waitFor();
}

// 3. The Share dialog: portal on, two tasks visible, the third left hidden.
async function shareTwo(page) {
  step("share two tasks");
  await page.getByTestId("open-share").click();
  const dialog = page.getByTestId("share-dialog");
  await switchOn(dialog.getByTestId("portal-switch"));
  await page.getByTestId("portal-status").getByText("Portal on").waitFor();
  for (const title of shared) {
    await switchOn(dialog.locator(`[data-testid="task-shared-switch"][data-task-title="${title}"]`));
  }
  await dialog.getByTestId("visible-count").getByText("2 of 3 tasks visible").waitFor();
  const hiddenSwitch = dialog.locator(`[data-testid="task-shared-switch"][data-task-title="${hidden}"]`);
  assert.equal(await hiddenSwitch.isChecked(), false, "the third task must stay hidden");
}

// switchOn clicks a switch once and waits until it shows on. The project screen reloads
// its records after every change it hears of, so a reload answered before this switch's
// change was saved can show it off for a moment; clicking again would turn it off.
async function switchOn(input) {
  assert.equal(await input.isChecked(), false);
  await input.click();
  await input.page().waitForFunction((el) => el.checked, await input.elementHandle());
}

// 4. Invite the client by email from the Share dialog.
async function inviteClient(page) {
  step("invite the client");
  const dialog = page.getByTestId("share-dialog");
  await dialog.getByTestId("client-email").fill(client.email);
  await dialog.getByTestId("client-name").fill(client.name);
  await dialog.getByTestId("add-client").click();
  await dialog.locator(`[data-testid="client-row"][data-email="${client.email}"]`).waitFor();
  await page.getByTestId("toasts").getByText(`Invite emailed to ${client.email}`).waitFor();
  await findings.shot(page, "staff-share-dialog");
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });
}

// 5. The client, in a second context: sign-in and forgot pages, then the invite link.
async function clientJoins(page) {
  step("the client opens the invite");
  await page.goto(portalURL + "/");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await findings.shot(page, "portal-sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
  await findings.shot(page, "portal-forgot");

  const link = await mailLink(mailbox, client.email, "/invite/");
  await page.goto(link);
  await page.getByRole("heading", { name: "Welcome" }).waitFor();
  await findings.shot(page, "portal-invite");
  await page.getByLabel(/^New password/).fill(client.password);
  await page.getByLabel("Repeat the password").fill(client.password);
  await page.getByRole("button", { name: "Set password and continue" }).click();
  await page.getByRole("heading", { name: "Your projects" }).waitFor();
  await findings.shot(page, "portal-projects");
}

// 5. The client sees exactly the two shared tasks; the hidden one is nowhere in the page.
async function clientSeesTwo(page) {
  step("the client sees two tasks");
  await page.getByRole("link", { name: projectName }).click();
  await page.getByRole("heading", { name: projectName }).waitFor();
  const titles = await page.locator("ul.tasks li.task a").allTextContents();
  assert.deepEqual(titles.map((t) => t.trim()).sort(), [...shared].sort());
  assert.ok(!(await page.content()).includes(hidden), "the hidden task's title is in the portal page");
  await findings.shot(page, "portal-project");
}

// 6. Staff assign a shared task to the client in the task drawer.
async function assignToClient(page) {
  step("assign a task to the client");
  await page.getByTestId("task-open").filter({ hasText: shared[0] }).click();
  const drawer = page.getByTestId("task-drawer");
  await drawer.waitFor();
  const select = drawer.getByTestId("task-assignee");
  const value = await select.locator("option", { hasText: client.name }).getAttribute("value");
  await select.selectOption(value);
  const row = page.locator('[data-testid="task-row"]', { hasText: shared[0] });
  await row.getByText(client.name).waitFor();
  await findings.shot(page, "staff-task-drawer");
}

// 6–7. The client completes it; the open staff page shows it without a reload.
async function clientCompletes(portal, staff) {
  step("the client completes the task");
  await staff.evaluate(() => (window.__sameDocument = true));
  await portal.getByRole("link", { name: shared[0] }).click();
  await portal.getByRole("heading", { name: shared[0] }).waitFor();
  await findings.shot(portal, "portal-task");
  await portal.getByRole("button", { name: "Mark as complete" }).click();
  await portal.getByRole("button", { name: "Reopen task" }).waitFor();
  await findings.shot(portal, "portal-task-completed");

  step("waiting for the staff page to show the completion");
  const live = { timeout: 30_000 };
  await staff.getByTestId("completed-by").getByText(`Completed by ${client.name}`).waitFor(live);
  const done = staff.locator('[data-testid="task-row"]', { hasText: shared[0] }).getByTestId("task-done");
  await staff.waitForFunction((box) => box.checked, await done.elementHandle(), live);
  assert.equal(await staff.evaluate(() => window.__sameDocument), true, "the staff page was reloaded");
  await findings.shot(staff, "staff-live-completion");
  await staff.getByTestId("close-drawer").click();
}

// The remaining staff screens: preview as client, staff members, account.
async function staffScreens(page) {
  step("staff screens");
  await page.getByTestId("open-share").click();
  const dialog = page.getByTestId("share-dialog");
  await dialog.locator(`[data-testid="client-row"][data-email="${client.email}"]`)
    .getByTestId("preview-as-client").click();
  const frame = page.frameLocator('[data-testid="preview-frame"]');
  await frame.getByRole("heading", { name: projectName }).waitFor();
  const frameText = await frame.locator("body").innerText();
  for (const title of shared) assert.ok(frameText.includes(title), `the preview lacks ${title}`);
  assert.ok(!frameText.includes(hidden), "the preview shows the hidden task");
  await findings.shot(page, "staff-preview-as-client");
  // axe cannot run inside the frame (it may not run scripts): audit its page on its own.
  const src = await page.getByTestId("preview-frame").getAttribute("src");
  const previewPage = await page.context().newPage();
  findings.watch(previewPage, "preview");
  await previewPage.goto(new URL(src, staffURL).href);
  await previewPage.getByRole("heading", { name: projectName }).waitFor();
  await findings.audit(previewPage, "staff-preview-page");
  await previewPage.close();
  await page.getByTestId("preview-panel").getByRole("button", { name: "Close" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });

  await page.getByTestId("nav-staff").click();
  await page.getByTestId("staff-table").waitFor();
  await findings.shot(page, "staff-members");
  await page.getByTestId("nav-account").click();
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  await findings.shot(page, "staff-account");
  await page.getByTestId("project-link").filter({ hasText: projectName }).click();
  await page.getByTestId("task-list").waitFor();
}

// A doc written in the Docs tab with the markdown editor and shared; the client reads it in
// the portal and comments, and the comment shows on the open staff page without a reload.
async function sharedDoc(staff, portal) {
  step("write and share a doc");
  await staff.getByTestId("view-docs").click();
  await staff.getByTestId("docs").waitFor();
  await staff.getByTestId("new-doc").click();
  const dialog = staff.getByTestId("new-doc-dialog");
  await dialog.getByLabel("Title").fill(docTitle);
  await findings.shot(staff, "staff-new-doc");
  await dialog.getByTestId("create-doc").click();
  await dialog.waitFor({ state: "detached" });
  const editor = staff.getByTestId("doc-editor");
  await editor.waitFor();
  await editor.getByTestId("edit-description").click();
  await editor.getByTestId("description-input").fill("## Goals\n\n- A faster site\n- " + docLine);
  await editor.getByTestId("description-preview-tab").click();
  await editor.getByTestId("description-preview").getByRole("heading", { name: "Goals" }).waitFor();
  await editor.getByTestId("save-description").click();
  await editor.getByTestId("description").getByText(docLine).waitFor();
  const sharedSwitch = editor.getByTestId("doc-shared");
  if (!(await sharedSwitch.isChecked())) await switchOn(sharedSwitch);
  await editor.getByTestId("doc-history-toggle").click();
  await editor.getByTestId("doc-version").nth(1).waitFor();
  await findings.shot(staff, "staff-doc");

  step("the client reads the doc and comments");
  await staff.evaluate(() => (window.__sameDocument = true));
  await portal.getByRole("link", { name: projectName }).click(); // the task's breadcrumb
  await portal.getByRole("link", { name: docTitle }).click();
  await portal.getByRole("heading", { name: "Goals" }).waitFor();
  await findings.shot(portal, "portal-doc");
  await portal.getByLabel(/^Add a comment/).fill(docComment);
  await portal.getByRole("button", { name: "Comment" }).click();
  await portal.locator("#live-comments").getByText(docComment).waitFor();

  await editor.getByTestId("doc-comments").getByText(docComment).waitFor({ timeout: 30_000 });
  assert.equal(await staff.evaluate(() => window.__sameDocument), true, "the staff page was reloaded");
  await staff.getByTestId("view-list").click();
  await staff.getByTestId("task-list").waitFor();
}

// Search: "/" puts the cursor in the staff search box; results come grouped by kind with
// the match marked, and a result opens its task. The client's search in the portal finds
// the shared task and never the hidden one.
async function search(staff, portal) {
  step("staff search");
  await staff.keyboard.press("/");
  const focused = await staff.evaluate(() => document.activeElement?.id);
  assert.equal(focused, "sidebar-search", "the / key did not focus the search box");
  await staff.getByTestId("sidebar-search").fill("budget");
  await staff.getByTestId("sidebar-search").press("Enter");
  const results = staff.getByTestId("search-screen");
  const hit = results.getByTestId("search-hit").filter({ hasText: hidden });
  await hit.waitFor({ timeout: 30_000 });
  assert.equal(await hit.locator("mark").first().textContent(), "budget");
  await results.getByTestId("search-status").getByText("1 result").waitFor();
  await findings.shot(staff, "staff-search");
  await hit.click();
  await staff.getByTestId("task-drawer").waitFor();
  await staff.getByTestId("close-drawer").click();
  await staff.getByTestId("task-list").waitFor();

  step("client search");
  const box = portal.getByRole("searchbox", { name: "Search your projects" });
  await box.fill("brand");
  await box.press("Enter");
  await portal.getByRole("heading", { name: "Search" }).waitFor();
  await portal.getByRole("link", { name: shared[0] }).waitFor();
  await findings.shot(portal, "portal-search");
  await box.fill("budget");
  await box.press("Enter");
  await portal.getByText("Nothing found").waitFor();
  assert.ok(!(await portal.content()).includes(hidden), "the client's search shows the hidden task");
}

// Two staff windows edit one task's description: the second hears of the first one's save
// while its draft is open, its own save is refused as stale, and it sees both texts side
// by side; keeping its draft saves it, and the first window shows that without a reload.
async function descriptionConflict(staff) {
  step("two staff windows edit one description");
  const context = await newContext(browser, { trusted: Boolean(spki) });
  const other = await context.newPage();
  // Its stale save is refused with 409, which the browser logs as a failed resource.
  findings.watch(other, "second staff window", [401, 404, 409]);
  await signIn(other);
  await other.getByTestId("project-link").filter({ hasText: projectName }).click();
  for (const page of [staff, other]) {
    await page.getByTestId("task-open").filter({ hasText: hidden }).click();
    await page.getByTestId("task-drawer").waitFor();
  }
  const drawer = other.getByTestId("task-drawer");
  await drawer.getByTestId("edit-description").click();
  await drawer.getByTestId("description-input").fill("Mine: cap the budget at 20k.");

  const first = staff.getByTestId("task-drawer");
  await first.getByTestId("edit-description").click();
  await first.getByTestId("description-input").fill("Theirs: the budget is 25k.");
  await first.getByTestId("save-description").click();
  await first.getByTestId("description").getByText("the budget is 25k").waitFor();

  await drawer.getByTestId("description-changed").waitFor({ timeout: 30_000 });
  await findings.shot(other, "staff-description-changed");
  await drawer.getByTestId("save-description").click();
  const conflict = drawer.getByTestId("description-conflict");
  await conflict.waitFor();
  assert.equal(await conflict.getByTestId("conflict-theirs").inputValue(), "Theirs: the budget is 25k.");
  assert.equal(await conflict.getByTestId("conflict-mine").inputValue(), "Mine: cap the budget at 20k.");
  await findings.shot(other, "staff-description-conflict");

  await conflict.getByTestId("conflict-keep-mine").click();
  await drawer.getByTestId("description").getByText("cap the budget at 20k").waitFor();
  await first.getByTestId("description").getByText("cap the budget at 20k").waitFor({ timeout: 30_000 });
  await other.context().close();
  await staff.getByTestId("close-drawer").click();
  await staff.getByTestId("task-list").waitFor();
}

// The project's folder view has its own address: it opens from the project page and goes
// back there, survives a reload, shows the folder's state as it changes (a live event, no
// polling), and a folder-file search hit opens it with that file marked and in view. The
// project page's Folder button flags the folder while it is offline, live as well.
async function folderView(staff) {
  step("the folder view");
  const dir = join(foldersRoot, "website");
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= 24; i++) writeFileSync(join(dir, `page-${String(i).padStart(2, "0")}.txt`), `page ${i}\n`);
  writeFileSync(join(dir, "wireframes-v2.pdf"), "%PDF-1.4 wireframes\n");

  const projectURL = staff.url();
  await staff.getByTestId("open-folder").click();
  const dialog = staff.getByTestId("folder-dialog");
  await dialog.waitFor();
  assert.match(staff.url(), /#\/projects\/[^/?]+\/folder$/, "the folder view has no address of its own");
  await dialog.getByTestId("folder-path-input").fill("website");
  await dialog.getByTestId("link-folder").click();
  await dialog.getByTestId("folder-state").getByText("Watching for changes").waitFor({ timeout: 30_000 });
  const file = dialog.getByTestId("folder-file").filter({ hasText: "wireframes-v2.pdf" });
  await file.waitFor({ timeout: 30_000 });
  await findings.shot(staff, "staff-folder");

  step("the folder view after a reload");
  await staff.reload();
  await file.waitFor();
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(staff.url(), projectURL, "closing the folder view did not go back to the project");

  step("a folder-file search hit opens the folder view");
  await staff.getByTestId("sidebar-search").fill("wireframes");
  await staff.getByTestId("sidebar-search").press("Enter");
  const hit = staff.getByTestId("search-hit").filter({ hasText: "wireframes-v2.pdf" });
  await hit.waitFor({ timeout: 30_000 });
  assert.equal(await hit.getAttribute("data-kind"), "folder_file");
  await hit.click();
  const picked = dialog.locator('[data-testid="folder-file"][aria-current="true"]');
  await picked.getByText("wireframes-v2.pdf").waitFor();
  assert.match(staff.url(), /\/folder\?file=/, "the search hit did not open the folder view's address");
  await staff.waitForFunction((row) => {
    const box = row.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }, await picked.elementHandle());
  await findings.shot(staff, "staff-folder-search-hit");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });
  await staff.getByTestId("task-list").waitFor();

  step("an offline folder is flagged on the project page");
  const button = staff.getByTestId("open-folder");
  const warning = button.getByTestId("folder-warning");
  renameSync(dir, `${dir}-away`);
  await warning.getByText("Offline").waitFor({ timeout: 30_000 });
  assert.match((await button.getAttribute("title")) ?? "", /offline: \S/, "the Folder button does not say why");
  await findings.shot(staff, "staff-project-folder-offline");
  await staff.reload(); // the state also comes with the project itself
  await warning.getByText("Offline").waitFor();
  renameSync(`${dir}-away`, dir);
  await warning.waitFor({ state: "detached", timeout: 30_000 });
}

// 9. The portal at a phone's width: no sideways scrolling on the project and task pages.
async function phoneWidth(page) {
  step("the portal at 360 px");
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  await findings.shot(page, "portal-account");

  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByRole("link", { name: "Projects" }).click();
  await page.getByRole("link", { name: projectName }).click();
  await page.getByRole("heading", { name: projectName }).waitFor();
  await noSidewaysScroll(page, "project");
  await findings.shot(page, "portal-project-360px");
  await page.getByRole("link", { name: shared[0] }).click();
  await page.getByRole("heading", { name: shared[0] }).waitFor();
  await noSidewaysScroll(page, "task");
  await findings.shot(page, "portal-task-360px");
  await page.setViewportSize({ width: 1280, height: 820 });
}

async function noSidewaysScroll(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the portal ${what} page is ${width} px wide at 360 px: it scrolls sideways`);
}

// Staff hide a shared task: the client's open project page drops it without a reload (a
// "gone" event on its live stream). The client then opens the other task again.
async function hideTask(staff, portal) {
  step("hiding a task takes it off the open portal page");
  await portal.getByRole("link", { name: projectName }).click(); // the task's breadcrumb
  const row = portal.locator("ul.tasks li.task", { hasText: shared[1] });
  await row.waitFor();
  await portal.evaluate(() => (window.__sameDocument = true));
  await staff.getByTestId("open-share").click();
  const dialog = staff.getByTestId("share-dialog");
  const input = dialog.locator(`[data-testid="task-shared-switch"][data-task-title="${shared[1]}"]`);
  assert.equal(await input.isChecked(), true);
  await input.click();
  await staff.waitForFunction((el) => !el.checked, await input.elementHandle());
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });

  await row.waitFor({ state: "detached", timeout: 30_000 });
  assert.equal(await portal.evaluate(() => window.__sameDocument), true, "the portal page was reloaded");
  await portal.getByRole("link", { name: shared[0] }).click();
  await portal.getByRole("heading", { name: shared[0] }).waitFor();
}

// 8. Unshare, through its confirmation.
async function unshare(page) {
  step("unshare");
  await page.getByTestId("open-share").click();
  const dialog = page.getByTestId("share-dialog");
  await dialog.getByTestId("unshare").click();
  const confirm = page.getByTestId("unshare-dialog");
  await confirm.getByTestId("unshare-explanation").getByText(client.name).waitFor();
  await findings.shot(page, "staff-unshare-confirm");
  await confirm.getByTestId("confirm-unshare").click();
  await confirm.waitFor({ state: "detached" });
  await page.getByTestId("portal-status").getByText("Not shared").waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
}

// 8. The client's open task page loses access on its next action. Its live stream may
// notice first and reload the page itself; either way the page ends on "not found".
async function clientLosesAccess(page) {
  step("the client loses access");
  const taskURL = page.url();
  try {
    await page.getByLabel(/^Add a comment/).fill("Is this still shared?", { timeout: 3_000 });
    await page.getByRole("button", { name: "Comment" }).click({ timeout: 3_000 });
  } catch {
    console.log("  the page reloaded itself first: its live stream was refused");
  }
  await page.getByRole("heading", { name: "Page not found" }).waitFor({ timeout: 30_000 });
  assert.ok(!(await page.content()).includes(shared[0]), "the not-found page names the task");
  await findings.shot(page, "portal-not-found");

  // The same session asks again from the page: the project's routes answer 404.
  const answers = await page.evaluate(async ({ task, portal }) => {
    const comment = await fetch(task + "/comments", {
      method: "POST",
      body: new URLSearchParams({ body: "still here?" }),
      redirect: "manual",
    });
    const again = await fetch(task, { redirect: "manual" });
    const home = await (await fetch(portal + "/")).text();
    return { comment: comment.status, task: again.status, home };
  }, { task: taskURL, portal: portalURL });
  assert.equal(answers.comment, 404, "a comment after Unshare");
  assert.equal(answers.task, 404, "the task page after Unshare");
  assert.ok(!answers.home.includes(projectName), "the projects page still lists the project");
}

// The staff sign-in screen, in a fresh context, and signing in through it.
async function staffSignIn() {
  step("staff sign-in");
  const page = await staffPage();
  await signIn(page, "staff-sign-in");
  await page.context().close();
  step("done");
}

/** signIn signs the owner in on a fresh staff page, screenshotting the form when named. */
async function signIn(page, shotName) {
  await page.goto(staffURL + "/");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  if (shotName) await findings.shot(page, shotName);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("project-link").filter({ hasText: projectName }).waitFor();
}
