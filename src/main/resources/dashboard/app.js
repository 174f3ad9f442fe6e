'use strict';
// CPRA dashboard: tiles, a canvas grid of every monitor, search and drill-down. The grid comes as one
// byte per monitor (state | colour << 3) from /api/v1/grid; names are fetched by range only on hover or
// click, so a million monitors never travel as JSON objects.

const STATES = ['unknown', 'healthy', 'degraded', 'remediating', 'verifying', 'unhealthy', 'paused'];
const COLOURS = ['none', 'yellow', 'red', 'cyan', 'green', 'gray'];
const FREE = 0xff;
const POLL_MS = 2000;
const NAME_CHUNK = 256;
const SEARCH_RESULTS = 20;

const $ = id => document.getElementById(id);
const css = getComputedStyle(document.documentElement);
const cssColour = name => css.getPropertyValue('--' + name).trim();
const stateColour = STATES.map(s => cssColour(s));
const statePixel = STATES.map(s => toPixel(cssColour(s)));
const BACKGROUND = toPixel('#ffffff');

let layout = null;        // {version, total, groups: [{name, count}]}
let cells = new Uint8Array(0);
let geometry = null;      // {cell, cols, label, blocks: [{name, start, count, top, rows}], width, height}
let names = new Map();    // chunk index -> Promise<string[]>
let detailName = null;

function toPixel(hex) {   // #rrggbb -> ABGR (little-endian RGBA in a Uint32Array)
  const v = parseInt(hex.replace('#', ''), 16);
  return (0xff << 24 | (v & 0xff) << 16 | (v & 0xff00) | (v >> 16 & 0xff)) >>> 0;
}

async function getJson(url) {
  const r = await fetch(url, {cache: 'no-store'});
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(body.error || r.status + ' ' + r.statusText), {status: r.status});
  return body;
}

// ---------------------------------------------------------------- polling

async function poll() {
  try {
    const r = await fetch('api/v1/grid', {cache: 'no-store'});
    if (!r.ok) throw new Error('grid: ' + r.status);
    const version = r.headers.get('X-Grid-Version');
    const bytes = new Uint8Array(await r.arrayBuffer());
    if (!layout || String(layout.version) !== version) {
      layout = await getJson('api/v1/grid/layout');
      names = new Map();
      geometry = null;
    }
    cells = bytes;
    renderTiles();
    renderGrid();
    const s = await getJson('api/v1/summary');
    $('rates').textContent = `${s.monitors.toLocaleString()} monitors · ${s.checks_per_second == null ? 'measuring' : s.checks_per_second.toLocaleString()} checks/s · `
      + `${s.in_flight} in flight · ${s.waiting} waiting · late ${s.late} · missed ${s.missed}`
      + (s.maintenance_active ? ` · ${s.maintenance_active} maintenance windows` : '');
    if (detailName) showDetail(detailName, false);
    $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    $('status').textContent = 'update failed: ' + e.message;
  }
  setTimeout(poll, POLL_MS);
}

// ---------------------------------------------------------------- tiles

function renderTiles() {
  const byState = new Array(STATES.length).fill(0);
  const byColour = new Array(COLOURS.length).fill(0);
  for (let i = 0; i < cells.length; i++) {
    const b = cells[i];
    if (b === FREE) continue;
    byState[b & 7]++;
    byColour[b >> 3]++;
  }
  fillTiles($('state-tiles'), 'state', STATES, byState, s => cssColour(s));
  fillTiles($('colour-tiles'), 'colour', COLOURS, byColour, c => cssColour(c));
}

function fillTiles(row, kind, keys, counts, colourOf) {
  if (!row.children.length) {
    for (const key of keys) {
      const tile = document.createElement('div');
      tile.className = 'tile';
      tile.id = `tile-${kind}-${key}`;
      tile.style.setProperty('--c', colourOf(key));
      tile.innerHTML = `<div class="n">0</div><div class="k">${kind === 'colour' && key === 'none' ? 'no alert' : key}</div>`;
      tile.title = kind === 'state' ? `monitors ${key}` : `monitors whose last alert was ${key}`;
      tile.addEventListener('click', () => listMonitors({[kind]: key}, `${kind} ${key}`));
      row.appendChild(tile);
    }
  }
  keys.forEach((key, i) => {
    const tile = $(`tile-${kind}-${key}`);
    tile.dataset.count = counts[i];
    tile.querySelector('.n').textContent = counts[i].toLocaleString();
    tile.classList.toggle('zero', counts[i] === 0);
  });
}

// ---------------------------------------------------------------- the grid

function layoutGrid(width) {
  const groups = layout.groups;
  const label = groups.length <= 200 ? 16 : 0;
  const gap = label ? 6 : 0;
  const budget = Math.max(360, window.innerHeight * 0.72);
  let chosen = null;
  for (const cell of [14, 12, 10, 8, 6, 5, 4, 3, 2, 1]) {
    const cols = Math.max(1, Math.floor(width / cell));
    let top = 0;
    const blocks = groups.reduce((acc, g) => {
      const start = acc.length ? acc[acc.length - 1].start + acc[acc.length - 1].count : 0;
      const rows = Math.ceil(g.count / cols);
      acc.push({name: g.name, start, count: g.count, top, rows});
      top += label + rows * cell + gap;
      return acc;
    }, []);
    chosen = {cell, cols, label, blocks, width, height: Math.max(1, top)};
    if (top <= budget) break;
  }
  return chosen;
}

function renderGrid() {
  const canvas = $('grid');
  const width = Math.max(100, Math.floor(canvas.clientWidth || $('grid-wrap').clientWidth - 16));
  if (!geometry || geometry.width !== width) geometry = layoutGrid(width);
  const g = geometry;
  if (canvas.width !== g.width || canvas.height !== g.height) {
    canvas.width = g.width;
    canvas.height = g.height;
    canvas.style.height = g.height + 'px';
  }
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(g.width, g.height);
  const px = new Uint32Array(image.data.buffer);
  px.fill(BACKGROUND);
  const size = g.cell >= 4 ? g.cell - 1 : g.cell; // a 1 px gap between cells when they are big enough
  let drawn = 0;
  for (const b of g.blocks) {
    const y0 = b.top + g.label;
    for (let i = 0; i < b.count; i++) {
      const v = cells[b.start + i];
      if (v === undefined || v === FREE) continue;
      const colour = statePixel[v & 7];
      const x = (i % g.cols) * g.cell;
      const y = y0 + Math.floor(i / g.cols) * g.cell;
      for (let dy = 0; dy < size; dy++) {
        const row = (y + dy) * g.width + x;
        for (let dx = 0; dx < size; dx++) px[row + dx] = colour;
      }
      drawn++;
    }
  }
  ctx.putImageData(image, 0, 0);
  if (g.label) {
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = '#1d232b';
    for (const b of g.blocks) ctx.fillText(`${b.name || '(no group)'} · ${b.count.toLocaleString()}`, 0, b.top + 12);
  }
  canvas.dataset.cells = drawn;
  canvas.dataset.version = layout.version;
}

/** The grid position under a canvas point, or -1. */
function cellAt(x, y) {
  const g = geometry;
  if (!g) return -1;
  for (const b of g.blocks) {
    const y0 = b.top + g.label;
    if (y < y0 || y >= y0 + b.rows * g.cell) continue;
    const col = Math.floor(x / g.cell);
    if (col >= g.cols) return -1;
    const i = Math.floor((y - y0) / g.cell) * g.cols + col;
    return i < b.count ? b.start + i : -1;
  }
  return -1;
}

function nameAt(index) {
  const chunk = Math.floor(index / NAME_CHUNK);
  if (!names.has(chunk)) {
    const version = layout.version;
    const p = getJson(`api/v1/grid/names?version=${version}&from=${chunk * NAME_CHUNK}&count=${NAME_CHUNK}`)
      .then(r => r.names)
      .catch(e => { names.delete(chunk); throw e; });
    names.set(chunk, p);
  }
  return names.get(chunk).then(list => list[index - chunk * NAME_CHUNK]);
}

function canvasPoint(event) {
  const canvas = $('grid');
  const scale = canvas.width / canvas.clientWidth;
  return [event.offsetX * scale, event.offsetY * scale];
}

$('grid').addEventListener('mousemove', async event => {
  const index = cellAt(...canvasPoint(event));
  const tip = $('tooltip');
  if (index < 0) { tip.hidden = true; return; }
  tip.style.left = (event.offsetX + 20) + 'px';
  tip.style.top = (event.offsetY + 12) + 'px';
  tip.hidden = false;
  const state = STATES[cells[index] & 7];
  tip.textContent = `… ${state}`;
  try {
    const name = await nameAt(index);
    if (!tip.hidden) tip.textContent = `${name} · ${state}`;
  } catch (e) {
    tip.textContent = state;
  }
});
$('grid').addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
$('grid').addEventListener('click', async event => {
  const index = cellAt(...canvasPoint(event));
  if (index >= 0) showDetail(await nameAt(index), true);
});
// the grid re-flows when its box changes width (window resized, detail panel opened or closed)
new ResizeObserver(() => {
  if (layout && geometry && Math.floor($('grid').clientWidth) !== geometry.width) {
    geometry = null;
    renderGrid();
  }
}).observe($('grid-wrap'));

// ---------------------------------------------------------------- search and lists

async function listMonitors(filter, title) {
  const list = $('search-results');
  const found = [];
  let cursor = 0;
  // a page scans a bounded number of monitors: follow the cursor until enough matched or the end
  for (let request = 0; request < 8 && found.length < SEARCH_RESULTS; request++) {
    const params = new URLSearchParams({...filter, limit: String(SEARCH_RESULTS - found.length), cursor: String(cursor)});
    const page = await getJson('api/v1/monitors?' + params);
    found.push(...page.monitors);
    if (page.next_cursor == null) break;
    cursor = page.next_cursor;
  }
  list.replaceChildren();
  if (!found.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = `no monitor matches ${title}`;
    list.appendChild(li);
  }
  for (const m of found) {
    const li = document.createElement('li');
    li.dataset.name = m.name;
    li.innerHTML = `<span></span><span class="badge" style="--c:${stateColour[STATES.indexOf(m.state)]}">${m.state}</span>`;
    li.firstChild.textContent = m.name;
    li.addEventListener('click', () => { list.hidden = true; showDetail(m.name, true); });
    list.appendChild(li);
  }
  list.hidden = false;
}

let searchTimer = 0;
$('search').addEventListener('input', event => {
  clearTimeout(searchTimer);
  const q = event.target.value.trim();
  if (!q) { $('search-results').hidden = true; return; }
  searchTimer = setTimeout(() => listMonitors({name: q}, `“${q}”`).catch(e => { $('status').textContent = e.message; }), 200);
});
document.addEventListener('click', event => {
  if (!event.target.closest('.search') && !event.target.closest('.tile')) $('search-results').hidden = true;
});

// ---------------------------------------------------------------- drill-down

async function showDetail(name, open) {
  let m;
  try {
    m = await getJson('api/v1/monitors/' + encodeURIComponent(name));
  } catch (e) {
    if (open) $('status').textContent = e.message;
    if (e.status === 404 && detailName === name) closeDetail();
    return;
  }
  if (!open && detailName !== name) return;
  detailName = name;
  const esc = s => String(s ?? '—').replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  const rows = [
    ['type', m.type], ['target', m.target], ['interval', m.interval], ['timeout', m.timeout],
    ['groups', m.groups.join(', ') || '—'],
    ['thresholds', `unhealthy ${m.thresholds.unhealthy} · recovery ${m.thresholds.recovery} · verify ${m.thresholds.verify}`],
    ['intervention', m.intervention ? `${m.intervention.action} (max ${m.intervention.max_failures} failed runs)` : 'none'],
    ['counters', `failures ${m.counters.failures} · successes ${m.counters.successes} · failed runs ${m.counters.failed_runs}`],
    ['incident', m.incident ? `${m.incident.id} since ${new Date(m.incident.since).toLocaleString()}` : 'none'],
    ['last error', m.last_error],
  ];
  const recent = m.recent.map(r => `<tr><td>${new Date(r.at).toLocaleTimeString()}</td>`
    + `<td class="${r.ok ? 'ok' : 'fail'}">${r.ok ? 'ok' : 'fail'}</td>`
    + `<td>${r.latency_ms == null ? '—' : r.latency_ms.toFixed(1) + ' ms'}</td><td>${esc(r.error ?? '')}</td></tr>`).join('');
  $('detail-body').innerHTML = `<h2>${esc(m.name)}</h2>`
    + `<span class="badge state" style="--c:${stateColour[STATES.indexOf(m.state)]}">${m.state}</span> `
    + (m.colour ? `<span class="badge" style="--c:${cssColour(m.colour)}">last alert ${m.colour}</span>` : '')
    + `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`
    + `<h3>Recent checks</h3><table id="recent"><thead><tr><th>time</th><th>result</th><th>latency</th><th>error</th></tr></thead>`
    + `<tbody>${recent || '<tr><td colspan="4">no result yet</td></tr>'}</tbody></table>`;
  $('detail').hidden = false;
}

function closeDetail() {
  detailName = null;
  $('detail').hidden = true;
}
$('detail-close').addEventListener('click', closeDetail);

poll();
