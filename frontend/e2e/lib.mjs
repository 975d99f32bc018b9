// What the browser scripts under e2e/ share: the environment the Go test passes, Debian's
// Chromium, screenshots with an axe-core audit of each, and the test's mailbox.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** env returns a required environment variable, or stops with a clear message. */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: this script is run by the Go test, see frontend/README.md`);
    process.exit(2);
  }
  return value;
}

/** launch starts Chromium. With spki (base64 SHA-256 keys, comma-separated) it accepts
 * those certificates, and only those, without the local CA installed; without, it
 * accepts any certificate. */
export async function launch(spki) {
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ];
  if (spki) args.push(`--ignore-certificate-errors-spki-list=${spki}`);
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args,
    timeout: 60_000,
  });
}

/** newContext opens a browser context with generous waits. */
export async function newContext(browser, { width = 1280, height = 820, trusted = true } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    ignoreHTTPSErrors: !trusted,
  });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/** Findings collects what makes a run fail: axe findings, CSP violations, page errors. */
export class Findings {
  problems = [];
  shots = [];

  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
    this.axeSource = readFileSync(axePath, "utf8");
  }

  /** watch records page errors, CSP violations and console errors of a page. Failed
   * requests answered with a status in expected are answers the UI handles: by default 401
   * and 404 (signed out, access ended). */
  watch(page, label, expected = [401, 404]) {
    const handled = new RegExp(`status of (${expected.join("|")})\\b`);
    page.on("pageerror", (err) => this.problems.push(`${label}: page error: ${err.message}`));
    page.on("console", (msg) => {
      const text = msg.text();
      if (/Content.Security.Policy|Refused to/i.test(text)) this.problems.push(`${label}: CSP: ${text}`);
      else if (msg.type() === "error" && !handled.test(text)) {
        this.problems.push(`${label}: console: ${text}`);
      }
    });
  }

  /** shot saves a screenshot of the page as NN-name.png and audits it with axe-core. */
  async shot(page, name) {
    await page.waitForLoadState("load");
    await page.evaluate(() => document.fonts.ready.then(() => true));
    await page.waitForTimeout(200); // let transitions settle for the picture
    const file = `${String(this.shots.length + 1).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: join(this.dir, file) });
    this.shots.push(file);
    await this.audit(page, name);
  }

  /** audit runs axe-core on the page (or frame) and records serious and critical findings. */
  async audit(target, name) {
    // evaluate() runs outside the page's CSP, which forbids inline scripts.
    await target.evaluate(this.axeSource + "\n;0");
    const found = await target.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const res = await axe.run(document, { resultTypes: ["violations"] });
      return res.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => {
          const where = v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ");
          return `${v.id} (${v.impact}, ${v.help}): ${where}`;
        });
    });
    for (const f of found) this.problems.push(`${name}: axe ${f}`);
  }

  /** failureShots saves every open page as failed-N.png, to show where a run stopped. */
  async failureShots(browser) {
    const pages = browser.contexts().flatMap((c) => c.pages());
    for (const [i, page] of pages.entries()) {
      const file = `failed-${i + 1}.png`;
      await page.screenshot({ path: join(this.dir, file), timeout: 5_000 }).then(
        () => this.shots.push(file),
        () => {},
      );
    }
  }

  /** report prints the screenshots and findings; it returns whether the run is clean. */
  report() {
    console.log(`screenshots in ${this.dir}:`);
    for (const s of this.shots) console.log(`  ${s}`);
    if (this.problems.length === 0) {
      console.log("no serious axe-core findings, CSP violations or page errors");
      return true;
    }
    console.log(`\n${this.problems.length} problem(s):`);
    for (const p of this.problems) console.log(`  - ${p}`);
    return false;
  }
}

/** mailLink asks the Go test's mailbox for the first link under path in the first mail
 * to an address; the mailbox waits for the mail to arrive. */
export async function mailLink(mailbox, to, path) {
  const url = `${mailbox}/link?to=${encodeURIComponent(to)}&path=${encodeURIComponent(path)}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  const text = (await res.text()).trim();
  if (!res.ok) throw new Error(`mailbox: ${res.status} ${text}`);
  return text;
}

/** step logs a step with the time since start, so a slow or stuck step shows. */
export function stepper() {
  const began = Date.now();
  return (what) => console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${what}`);
}
