// How long a client's completion takes to reach the open staff page, run by the Go
// benchmark BenchmarkBrowserLiveCompletion (internal/server/browser_latency_test.go),
// which prepares a project whose tasks are all assigned to one client. For each task the
// client clicks "Mark as complete" in the portal, and the time until the task's box is
// ticked on the staff list (no reload) is one sample. The staff page is polled on every
// animation frame, so samples are good to about 20 ms.

import { env, launch, newContext, stepper } from "./lib.mjs";

const staffURL = env("PORTICO_STAFF_URL");
const portalURL = env("PORTICO_PORTAL_URL");
const projectID = env("PORTICO_PROJECT_ID");
const taskIDs = env("PORTICO_TASK_IDS").split(",");
const spki = process.env.PORTICO_CERT_SPKI ?? "";
const step = stepper();

const browser = await launch(spki);
const samples = [];
try {
  const staff = await (await newContext(browser, { trusted: Boolean(spki) })).newPage();
  await staff.goto(staffURL + "/");
  await staff.getByLabel("Email").fill("owner@agency.example");
  await staff.getByLabel("Password").fill("owner password 1");
  await staff.getByRole("button", { name: "Sign in" }).click();
  await staff.getByTestId("live-status").getByText("Live").waitFor();
  await staff.goto(`${staffURL}/#/projects/${projectID}`);
  await staff.getByTestId("task-list").waitFor();

  const portal = await (await newContext(browser, { trusted: Boolean(spki) })).newPage();
  await portal.goto(portalURL + "/signin");
  await portal.getByLabel("Email").fill("dana@client.example");
  await portal.getByLabel("Password").fill("client password 1");
  await portal.getByRole("button", { name: "Sign in" }).click();
  await portal.getByRole("heading", { name: "Your projects" }).waitFor();

  step(`measuring ${taskIDs.length} completions`);
  for (const id of taskIDs) {
    await portal.goto(`${portalURL}/t/${id}`);
    const complete = portal.getByRole("button", { name: "Mark as complete" });
    await complete.waitFor();
    const began = performance.now();
    await complete.click({ noWaitAfter: true });
    await staff.waitForFunction(
      (task) => document.querySelector(`[data-task-id="${task}"] [data-testid="task-done"]`)?.checked,
      id,
      { polling: "raf", timeout: 30_000 },
    );
    samples.push(performance.now() - began);
  }
} finally {
  await browser.close();
}

samples.sort((a, b) => a - b);
const at = (p) => samples[Math.max(0, Math.ceil(p * samples.length) - 1)];
const ms = (v) => v.toFixed(0);
console.log(`samples (ms, sorted): ${samples.map(ms).join(" ")}`);
const summary = `p50=${ms(at(0.5))} p99=${ms(at(0.99))} max=${ms(samples.at(-1))}`;
console.log(`latency_ms ${summary} n=${samples.length}`);
