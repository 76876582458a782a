// web.test.mjs — parley serve's page in headless Chromium: load the default
// scenario, move Russia's position on federalisation, see the forecasts
// change (and how fast), hover a path point, save a screenshot.
//
// Needs PARLEY_BIN (the parley binary) and Debian's chromium (CHROMIUM,
// default /usr/bin/chromium); `npm ci` here installs playwright-core, which
// drives the browser over the DevTools protocol and downloads nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, mkdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const PARLEY = process.env.PARLEY_BIN || 'parley';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = process.env.E2E_OUT || join(process.cwd(), 'e2e-out');

function startServer(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(PARLEY, ['serve', '--port', '0', '--dir', dir, '--db', join(dir, 'runs.db')],
                        {stdio: ['ignore', 'pipe', 'inherit']});
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({child, url: m[0]});
    });
    child.on('exit', (code) => reject(new Error(`parley serve exited with ${code}: ${text}`)));
    setTimeout(() => reject(new Error('parley serve did not start')), 10000);
  });
}

/* The value shown for every model on every issue, as text. */
const forecastTexts = (page) => page.$$eval('svg.forecast text.value', (ts) => ts.map((t) => t.textContent));

test('edit a position, see the forecasts move, screenshot', async () => {
  const work = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const profile = join(work, 'profile');
  mkdirSync(join(work, 'scenarios'));
  mkdirSync(OUT, {recursive: true});
  const {child, url} = await startServer(join(work, 'scenarios'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true,
    viewport: {width: 1400, height: 900},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(url)) foreign.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('svg.forecast');
    assert.equal(await page.locator('svg.forecast').count(), 6, 'one forecast chart per issue');
    assert.match(await page.textContent('#scenario-title'), /Ukraine/);
    const before = await forecastTexts(page);

    // Move Russia's position on federalisation from 95 to 0; the page re-runs
    // every model (what-if) and redraws.  Measure that round trip.
    const slider = page.locator('input[type=range][data-actor="russia"][data-issue="federalisation"]');
    await slider.waitFor();
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const input = document.querySelector('input[data-actor="russia"][data-issue="federalisation"]');
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        if (document.querySelector('.issue-box.moved')) { seen.disconnect(); resolve(performance.now() - t0); }
      });
      seen.observe(document.getElementById('forecasts'), {childList: true, subtree: true});
      input.value = '0';
      input.dispatchEvent(new Event('input', {bubbles: true}));
    }));
    console.log(`what-if: input to redrawn forecasts in ${ms.toFixed(1)} ms`);
    // The target is 100 ms on an idle machine; the assertion only catches a
    // page that never redraws (CI machines are shared and loaded).
    assert.ok(ms < 10000, `what-if took ${ms} ms`);
    const after = await forecastTexts(page);
    assert.notDeepEqual(after, before, 'some forecast changed');
    assert.ok(await page.locator('.issue-box.moved').count() >= 1, 'the moved forecasts are marked');
    const movedNote = await page.textContent('.issue-box.moved .moved-note');
    assert.match(movedNote, /moved:/);

    await page.locator('#forecast-panel').screenshot({path: join(OUT, 'web-whatif.png')});

    // Store this run, move Russia back, store again, and diff the two.
    await page.click('#store-run');
    await page.waitForFunction(() => /stored as run/.test(document.getElementById('status').textContent));
    await slider.fill('95');
    await page.waitForFunction(() => document.getElementById('status').textContent === 'ok');
    await page.click('#store-run');
    const nModels = await page.locator('#model option').count();
    await page.waitForFunction((n) => document.querySelectorAll('#runs input[type=checkbox]').length >= 2 * n, nModels);
    const boxes = page.locator('#runs input[type=checkbox]');
    await boxes.nth(0).check();       // newest first: the last model of the second batch
    await boxes.nth(nModels).check(); // and the same model in the first
    await page.click('#runs-diff');
    await page.waitForSelector('table.diff');
    assert.match(await page.textContent('table.diff'), /position of .* on federalisation/);

    // Monte Carlo with an event, then the sensitivity tornado.
    await page.fill('#mc-samples', '400');
    await page.click('#mc-start');
    await page.waitForSelector('#mc-out svg.hist', {timeout: 60000});
    assert.equal(await page.locator('#mc-out svg.hist').count(), 6);
    assert.match(await page.textContent('#mc-out table.events'), /%/);
    await page.click('#sens-start');
    await page.waitForSelector('#sens-out svg.tornado', {timeout: 60000});
    assert.equal(await page.locator('#sens-out svg.tornado').count(), 6);

    // Run the selected model with the button too, then hover a path point.
    await page.click('#run');
    await page.waitForFunction(() => /ok/.test(document.getElementById('status').textContent));
    const point = page.locator('#paths svg.path circle.point').last();
    if (await point.count()) {
      await point.dispatchEvent('mouseenter');
      await page.waitForFunction(() => !document.getElementById('tooltip').textContent.endsWith('…'));
      assert.match(await page.textContent('#tooltip'), /round \d+: .*\n(•|no event)/);
      await page.screenshot({path: join(OUT, 'web-hover.png')});
      await point.dispatchEvent('mouseleave');
    }
    await page.mouse.move(5, 5);
    await page.screenshot({path: join(OUT, 'web.png'), fullPage: true});
    await page.screenshot({path: join(OUT, 'web-top.png')});
    await page.locator('#sens-panel').screenshot({path: join(OUT, 'web-tornado.png')});
    await page.locator('#mc-panel').screenshot({path: join(OUT, 'web-mc.png')});
    assert.deepEqual(foreign, [], 'nothing is loaded from anywhere but the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await context.close();
    child.kill('SIGTERM');
    rmSync(work, {recursive: true, force: true});
  }
});
