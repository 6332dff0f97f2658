// Opens the page `healthgraph export --format html` writes in a real
// browser (Debian's chromium, headless, driven by puppeteer-core, which
// downloads no browser) and checks what a person would see and do:
//
// - the page makes no network request (only its own file is loaded);
// - it shows every entity of the data set, each inside the drawing;
// - moving the time control to 2031-01-01 and to 2026-01-01 lists the
//   agreements `healthgraph agreements --on D` lists, in force and unknown;
// - searching `phu san` selects hanoi-obgyn-hospital;
// - clicking the Karolinska renewal shows its period 2025..2030 and its source;
// - a planted name with `</script>` and quotes shows as text, and the page works.
//
// It saves screenshots (and the SVG timelines) into the output folder. Then, with --synth, it does
// the same for an ego network of a synthetic graph (it draws, every member
// inside the drawing) and takes its screenshot.
//
// Usage: node tests/browser/page_check.mjs --healthgraph target/debug/healthgraph
//          --data data/hanoi.ron --out DIR [--synth FILE --center ID --depth N]
//          [--chromium /usr/bin/chromium]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const hg = resolve(args.healthgraph || 'target/debug/healthgraph');
const data = resolve(args.data || 'data/hanoi.ron');
const out = resolve(args.out || 'target/browser-check');
const chromium = args.chromium || '/usr/bin/chromium';
mkdirSync(out, { recursive: true });
// The pages themselves go to a temporary folder; screenshots and SVGs to --out.
const pages = mkdtempSync(join(tmpdir(), 'healthgraph-pages-'));

let failures = 0;
const check = (ok, what, detail = '') => {
  console.log((ok ? 'ok: ' : 'FAILED: ') + what + (ok || !detail ? '' : '\n  ' + detail));
  if (!ok) failures += 1;
};
const command = (...argv) => execFileSync(hg, ['--data', data, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sameList = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // As root in a container, with no network: no sandbox, and none of
  // chromium's own background connections (they are not the page's).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-features=Translate,OptimizationHints,MediaRouter'],
  defaultViewport: { width: 1600, height: 1000 },
});

// Opens a page file, recording every request it makes and every error.
async function open(file) {
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.healthgraphPage && window.healthgraphPage.ready, { timeout: 60000 });
  return { page, requests, errors, url };
}

// Every node drawn, and inside the drawing's box.
async function drawn(page) {
  return page.evaluate(() => {
    const cy = window.healthgraphPage.cy;
    const box = cy.container().getBoundingClientRect();
    const outside = cy.nodes().filter((n) => {
      const p = n.renderedPosition();
      return !n.visible() || p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height;
    }).map((n) => n.id());
    return { nodes: cy.nodes().length, outside };
  });
}

async function setTime(page, mode, from, to) {
  await page.select('#time-mode', mode);
  if (mode === 'all') return;
  await page.$eval('#date-from', (input, v) => { input.value = v; input.dispatchEvent(new Event('input', { bubbles: true })); }, from);
  if (to) await page.$eval('#date-to', (input, v) => { input.value = v; input.dispatchEvent(new Event('input', { bubbles: true })); }, to);
}

async function listed(page) {
  return page.evaluate(() => {
    const ids = (answer) => [...document.querySelectorAll('#agreements-list ul[data-answer="' + answer + '"] li')].map((li) => li.dataset.id);
    return { inForce: ids('in force'), unknown: ids('unknown') };
  });
}

// ---- the Hanoi page ------------------------------------------------------------
const hanoi = join(pages, 'hanoi.html');
command('export', '--kinds', 'all', '--format', 'html', '--output', hanoi);
const lossless = JSON.parse(command('export', '--kinds', 'all', '--format', 'json'));
{
  const { page, requests, errors, url } = await open(hanoi);
  const shown = await drawn(page);
  check(shown.nodes === lossless.entities.length, `the page draws all ${lossless.entities.length} entities`, `it draws ${shown.nodes}`);
  check(shown.outside.length === 0, 'every entity lies inside the drawing', shown.outside.join(', '));
  await page.screenshot({ path: join(out, 'hanoi-page.png') });

  for (const day of ['2031-01-01', '2026-01-01']) {
    await setTime(page, 'on', day);
    const theirs = await listed(page);
    const ours = JSON.parse(command('agreements', '--on', day, '--format', 'json'));
    const want = { inForce: ours.in_force.map((r) => r.id), unknown: ours.unknown.map((r) => r.id) };
    check(sameList(theirs.inForce, want.inForce), `on ${day} the page lists in force what \`agreements --on ${day}\` does (${want.inForce.length})`,
      `page: ${theirs.inForce} / command: ${want.inForce}`);
    check(sameList(theirs.unknown, want.unknown), `on ${day} the page lists as unknown what \`agreements --on ${day}\` does (${want.unknown.length})`,
      `page: ${theirs.unknown} / command: ${want.unknown}`);
  }
  await setTime(page, 'on', '2017-07-13');
  await page.screenshot({ path: join(out, 'hanoi-page-2017-07-13.png') });
  await setTime(page, 'on', '2025-06-01');
  await page.screenshot({ path: join(out, 'hanoi-page-2025-06-01.png') });
  const faded = await page.evaluate(() => window.healthgraphPage.cy.edges('.maybe').length);
  check(faded > 0, 'on 2025-06-01 relations with coarse dates are drawn faded', `${faded} faded`);

  await setTime(page, 'all');
  await page.type('#search', 'phu san');
  const selected = await page.evaluate(() => ({
    nodes: window.healthgraphPage.cy.nodes(':selected').map((n) => n.data('ent')),
    details: document.getElementById('details').dataset.entity,
  }));
  check(selected.nodes.length === 1 && selected.nodes[0] === 'hanoi-obgyn-hospital' && selected.details === 'hanoi-obgyn-hospital',
    'searching `phu san` selects hanoi-obgyn-hospital and shows it', JSON.stringify(selected));
  await page.$eval('#search', (input) => { input.value = ''; input.dispatchEvent(new Event('input', { bubbles: true })); });

  // Click the renewal as a person would: zoom to its two parties, then
  // click the middle of its line.
  const renewal = 'renewal-karolinska-institute-hanoi-obgyn-hospital-2025';
  const at = await page.evaluate((id) => {
    const cy = window.healthgraphPage.cy;
    const edge = cy.getElementById('r:' + id);
    cy.fit(edge.connectedNodes(), 150);
    const m = edge.renderedMidpoint();
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + m.x, y: box.top + m.y };
  }, renewal);
  await page.mouse.click(at.x, at.y);
  const shownRelation = await page.evaluate(() => {
    const d = document.getElementById('details');
    return {
      relation: d.dataset.relation,
      period: d.querySelector('.period') && d.querySelector('.period').textContent,
      sources: [...d.querySelectorAll('li[data-source]')].map((li) => [li.dataset.source, li.textContent]),
    };
  });
  const r = lossless.relations.find((x) => x.id === renewal);
  const source = lossless.sources.find((s) => s.id === r.sources[0]);
  check(shownRelation.relation === renewal, 'clicking the Karolinska renewal shows it', JSON.stringify(shownRelation));
  check(shownRelation.period === '2025..2030', 'its period shows as 2025..2030', String(shownRelation.period));
  check(shownRelation.sources.length === r.sources.length && shownRelation.sources[0][0] === source.id && shownRelation.sources[0][1].includes(source.title),
    `its source shows: ${source.id}, "${source.title.slice(0, 40)}…"`, JSON.stringify(shownRelation.sources));
  await page.screenshot({ path: join(out, 'hanoi-page-renewal.png') });

  const others = requests.filter((u) => u !== url && !u.startsWith('data:'));
  check(others.length === 0, `the page made no network request (of ${requests.length} requests, all are its own file or data: URLs)`, others.join('\n  '));
  check(errors.length === 0, 'the page logged no error', errors.join('\n  '));
  await page.close();
}

// ---- a planted name cannot break the page ---------------------------------------
{
  const planted = join(pages, 'planted.json');
  const doc = JSON.parse(JSON.stringify(lossless));
  const nasty = '</script><script>window.broken=1</script> "quoted" \'single\' <b>bold</b> & <!--';
  doc.entities.find((e) => e.id === 'hanoi-obgyn-hospital').name = nasty;
  writeFileSync(planted, JSON.stringify(doc));
  const file = join(pages, 'planted.html');
  execFileSync(hg, ['--data', planted, 'export', '--kinds', 'all', '--format', 'html', '--output', file]);
  const { page, errors } = await open(file);
  await page.type('#search', 'phu san');
  const seen = await page.evaluate(() => ({
    broken: window.broken === 1,
    heading: document.querySelector('#details h2').textContent,
    bold: document.querySelectorAll('#details b:not(.period)').length,
    label: window.healthgraphPage.cy.getElementById('e:hanoi-obgyn-hospital').data('label'),
  }));
  check(!seen.broken && seen.heading === nasty && seen.bold === 0, 'a name with </script>, quotes and markup shows as text', JSON.stringify(seen));
  check(errors.length === 0, 'the planted page logged no error', errors.join('\n  '));
  await page.close();
}

// ---- an ego network of a synthetic graph ------------------------------------------
if (args.synth) {
  const file = join(pages, 'synth-ego.html');
  const center = args.center || 'e1';
  const depth = args.depth || '2';
  execFileSync(hg, ['--data', resolve(args.synth), 'export', center, '--depth', depth, '--format', 'html', '--output', file]);
  const ego = JSON.parse(execFileSync(hg, ['--data', resolve(args.synth), 'export', center, '--depth', depth, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const { page, requests, errors, url } = await open(file);
  const shown = await drawn(page);
  check(shown.nodes === ego.entities.length && shown.outside.length === 0,
    `the ego network of ${center} (depth ${depth}) draws its ${ego.entities.length} entities inside the drawing`, JSON.stringify(shown).slice(0, 300));
  await page.screenshot({ path: join(out, 'synth-ego-page.png') });
  // The timeline of the same entity's agreements.
  const svg = join(out, 'synth-agreements.svg');
  writeFileSync(svg, execFileSync(hg, ['--data', resolve(args.synth), 'agreements', center, '--format', 'svg'], { encoding: 'utf8' }));
  await screenshotSvg(svg, join(out, 'synth-agreements.png'));
  check(requests.every((u) => u === url || u.startsWith('data:')) && errors.length === 0, 'the ego page made no request and logged no error',
    [...requests, ...errors].join('\n  '));
  await page.close();
}

// ---- the agreements timeline (SVG) renders ----------------------------------------
{
  const svg = join(out, 'hanoi-agreements.svg');
  writeFileSync(svg, command('agreements', '--format', 'svg'));
  const { bars, errors } = await screenshotSvg(svg, join(out, 'hanoi-agreements.png'));
  const agreements = lossless.relations.filter((x) => ['mou', 'renewal', 'cooperation'].includes(x.kind));
  check(bars === agreements.length, `the timeline draws one bar per agreement (${agreements.length})`, `${bars} bars`);
  check(errors.length === 0, 'the timeline logged no error', errors.join('\n  '));
}

// Opens an SVG file as a document (an XML error would show no bars), takes
// a screenshot of the whole of it, and counts its bars.
async function screenshotSvg(svg, png) {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(svg).href, { waitUntil: 'load' });
  const bars = await page.evaluate(() => document.querySelectorAll('[data-agreement]').length);
  const size = await page.evaluate(() => { const b = document.documentElement.getBoundingClientRect(); return [b.width, b.height]; });
  await page.setViewport({ width: Math.ceil(size[0]), height: Math.ceil(size[1]) });
  await page.screenshot({ path: png });
  await page.close();
  return { bars, errors };
}

await browser.close();
rmSync(pages, { recursive: true, force: true });
console.log(`screenshots in ${out}`);
if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
