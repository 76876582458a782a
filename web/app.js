/* app.js — parley's page: plain JavaScript and hand-written SVG, talking
 * only to the server it came from (docs/api.md). */
'use strict';

const state = {
  scenario: null,      /* the scenario document being edited (parley's JSON) */
  models: [],          /* /api/models */
  runs: null,          /* the last /api/run answer */
  previous: null,      /* forecasts before the last change: {model: {issue: x}} */
  inFlight: false,
  dirty: false,
  lastRunIds: null,
};
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
                '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79', '#637939'];
const SVGNS = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

/* ---- small helpers ------------------------------------------------------ */

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

async function api(method, path, body) {
  const init = {method, headers: {}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) {
    const e = data.error || {};
    throw new Error((e.field ? e.field + ': ' : '') + (e.message || response.statusText));
  }
  return data;
}

function status(text, bad) {
  const s = $('status');
  s.textContent = text;
  s.className = bad ? 'bad' : '';
}

const valueOf = (v) => (typeof v === 'number' ? v : v.value);
const sdOf = (v) => (typeof v === 'object' && v.sd !== undefined ? v.sd : null);
const noteOf = (v) => (typeof v === 'object' && v.note ? v.note : '');

/* Sets the value of a field that may be a bare number or a value object,
 * widening a stated range so that it still holds the value. */
function setValue(owner, key, x) {
  const v = owner[key];
  if (typeof v !== 'object') { owner[key] = x; return; }
  v.value = x;
  if (v.range) v.range = [Math.min(v.range[0], x), Math.max(v.range[1], x)];
}

function setSd(owner, key, sd) {
  let v = owner[key];
  if (typeof v !== 'object') v = owner[key] = {value: v};
  delete v.range;
  if (sd > 0) v.sd = sd; else delete v.sd;
}

function fmt(x, issue) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const span = issue ? issue.scale.high - issue.scale.low : 100;
  return x.toFixed(span >= 10 ? 1 : 2);
}

const actorName = (id) => (state.scenario.actors.find((a) => a.id === id) || {}).name || id;

/* ---- the scenario table ----------------------------------------------- */

function stakeOf(actor, issue) {
  return state.scenario.positions.find((p) => p.actor === actor && p.issue === issue);
}

function numberInput(value, attrs, onchange) {
  const input = el('input', Object.assign({type: 'number', value}, attrs));
  input.addEventListener('input', () => {
    const x = parseFloat(input.value);
    if (Number.isFinite(x)) { onchange(x); changed(); }
  });
  return input;
}

function stakeCell(actor, issue) {
  const stake = stakeOf(actor.id, issue.id);
  const td = el('td', {class: 'stake'});
  if (!stake) { td.append(el('span', {class: 'none'}, 'no stake')); return td; }
  const {low, high} = issue.scale;
  const step = (high - low) / 200;
  const shown = el('span', {class: 'pos'}, fmt(valueOf(stake.position), issue));
  const slider = el('input', {type: 'range', min: low, max: high, step,
                              value: valueOf(stake.position),
                              'aria-label': `position of ${actor.name || actor.id} on ${issue.name || issue.id}`,
                              'data-actor': actor.id, 'data-issue': issue.id});
  slider.addEventListener('input', () => {
    setValue(stake, 'position', parseFloat(slider.value));
    shown.textContent = fmt(parseFloat(slider.value), issue);
    changed();
  });
  td.title = [noteOf(stake.position), stake.note || ''].filter(Boolean).join('\n\n');
  const sal = numberInput(valueOf(stake.salience), {min: 0, max: 1, step: 0.05,
                          class: 'small', title: 'salience (0..1)\n' + noteOf(stake.salience)},
                          (x) => setValue(stake, 'salience', Math.min(1, Math.max(0, x))));
  const sd = numberInput(sdOf(stake.position) ?? '', {min: 0, step: 1, class: 'small',
                         placeholder: '±', title: 'uncertainty of the position (sd)'},
                         (x) => setSd(stake, 'position', Math.max(0, x)));
  td.append(el('div', {class: 'slider-row'}, slider, shown),
            el('div', {class: 'sub'}, 'sal ', sal, ' ± ', sd));
  return td;
}

function renderTable() {
  const sc = state.scenario;
  const table = $('stakes');
  table.textContent = '';
  const head = el('tr', {}, el('th', {}, 'Actor'), el('th', {}, 'Capability ± sd'));
  for (const issue of sc.issues) {
    const labels = issue.scale.labels || [];
    const lowText = labels.length ? labels[0].text : issue.scale.low;
    const highText = labels.length ? labels[labels.length - 1].text : issue.scale.high;
    head.append(el('th', {title: issue.description || ''},
      el('div', {class: 'issue-name'}, issue.name || issue.id),
      el('div', {class: 'ends'}, el('span', {class: 'end-low', title: lowText},
                                    `${issue.scale.low}: ${lowText}`),
         el('span', {class: 'end-high', title: highText}, `${issue.scale.high}: ${highText}`))));
  }
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const actor of sc.actors) {
    const tr = el('tr');
    tr.append(el('th', {title: [actor.description, actor.note].filter(Boolean).join('\n\n')},
                 actor.name || actor.id));
    const cap = numberInput(valueOf(actor.capability), {min: 0.001, step: 1, class: 'mid',
                            title: noteOf(actor.capability)},
                            (x) => setValue(actor, 'capability', Math.max(0.001, x)));
    const capSd = numberInput(sdOf(actor.capability) ?? '', {min: 0, step: 1, class: 'small',
                              placeholder: '±'}, (x) => setSd(actor, 'capability', Math.max(0, x)));
    tr.append(el('td', {class: 'cap'}, cap, ' ± ', capSd));
    for (const issue of sc.issues) tr.append(stakeCell(actor, issue));
    body.append(tr);
  }
  table.append(body);
}

/* ---- models and running ---------------------------------------------- */

function selectedModel() {
  return state.models.find((m) => m.name === $('model').value) || state.models[0];
}

function renderParams() {
  const m = selectedModel();
  const span = $('params');
  span.textContent = '';
  $('model-summary').textContent = m ? `${m.summary} (${m.reference})` : '';
  for (const p of (m ? m.params : [])) {
    let input;
    if (p.type === 'choice') {
      input = el('select', {'data-param': p.name});
      for (const c of p.choices) input.append(el('option', {value: c}, c));
      input.value = p.choices[p.default] ?? p.default;
    } else if (p.type === 'bool') {
      input = el('input', {type: 'checkbox', 'data-param': p.name});
      input.checked = !!p.default;
    } else {
      input = el('input', {type: 'number', 'data-param': p.name, value: p.default,
                           min: p.min, max: p.max, step: p.type === 'int' ? 1 : 'any',
                           class: 'mid'});
    }
    input.addEventListener('change', changed);
    span.append(el('label', {title: p.summary}, p.name + ' ', input), ' ');
  }
}

function paramValues() {
  const out = {};
  for (const input of $('params').querySelectorAll('[data-param]')) {
    const name = input.dataset.param;
    if (input.type === 'checkbox') out[name] = input.checked;
    else if (input.tagName === 'SELECT') out[name] = input.value;
    else if (input.value !== '') out[name] = Number(input.value);
  }
  return out;
}

function changed() {
  if ($('whatif').checked) scheduleRun();
}

/* One request at a time: changes made while one runs are sent together as
 * soon as it returns, so dragging a slider never queues stale runs. */
function scheduleRun() {
  if (state.inFlight) { state.dirty = true; return; }
  runModels();
}

function forecastsByModel(answer) {
  const out = {};
  for (const run of answer.runs) {
    out[run.model] = {};
    for (const f of run.forecasts || []) out[run.model][f.issue] = f.forecast;
  }
  return out;
}

async function runModels(store) {
  state.inFlight = true;
  state.dirty = false;
  const t0 = performance.now();
  const m = selectedModel();
  try {
    const answer = await api('POST', '/api/run', {
      scenario: state.scenario, store: !!store, history: m ? [m.name] : true,
      params: m ? {[m.name]: paramValues()} : {},
    });
    if (state.runs) state.previous = forecastsByModel(state.runs);
    state.runs = answer;
    state.why = {};
    renderForecasts();
    renderPaths();
    $('run-time').textContent = `all models re-run and drawn in ${Math.round(performance.now() - t0)} ms`;
    status(store ? `stored as run ${answer.stored.join(', ')}` : 'ok');
    if (store) loadRuns();
  } catch (e) {
    status(e.message, true);
  } finally {
    state.inFlight = false;
    if (state.dirty) scheduleRun();
  }
}

/* Why an actor moved in a round: the chosen model's trace events of that
 * round involving that actor, fetched on hover (a whole trace can run to
 * megabytes) and kept until the inputs change. */
async function fetchWhy(run, actorId, round) {
  const key = `${run.model}/${actorId}/${round}`;
  state.why = state.why || {};
  if (!(key in state.why)) {
    const answer = await api('POST', '/api/run', {scenario: state.scenario, models: [run.model],
      trace: true, history: false, events_for: {actor: actorId, round},
      params: {[run.model]: paramValues()}});
    state.why[key] = answer.runs[0].events || [];
  }
  return state.why[key];
}

/* ---- forecasts ------------------------------------------------------- */

function scaleX(x, issue, x0, width) {
  return x0 + (x - issue.scale.low) / (issue.scale.high - issue.scale.low) * width;
}

function renderForecasts() {
  const sc = state.scenario;
  const out = $('forecasts');
  out.textContent = '';
  const selected = selectedModel().name;
  const before = state.previous || {};
  const W = 640, x0 = 150, width = 360;
  const legend = el('div', {class: 'legend'});
  state.runs.runs.forEach((run, k) => legend.append(
    el('span', {class: run.model === selected ? 'chosen' : ''},
       el('i', {style: `background:${COLORS[k % COLORS.length]}`}), run.model)));
  out.append(legend);
  for (const issue of sc.issues) {
    const rows = state.runs.runs.length;
    const H = 34 + rows * 16;
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, width: '100%', class: 'forecast',
                          'data-issue': issue.id});
    s.append(svg('text', {x: 0, y: 14, class: 'issue-label'}, issue.name || issue.id));
    const labels = issue.scale.labels || [];
    s.append(svg('text', {x: x0, y: H - 1, class: 'end'}, String(issue.scale.low)),
             svg('text', {x: x0 + width, y: H - 1, class: 'end', 'text-anchor': 'end'},
                 String(issue.scale.high)));
    let moved = [];
    state.runs.runs.forEach((run, k) => {
      const y = 24 + k * 16;
      const color = COLORS[k % COLORS.length];
      s.append(svg('line', {x1: x0, x2: x0 + width, y1: y, y2: y, class: 'track'}));
      s.append(svg('text', {x: x0 - 6, y: y + 4, 'text-anchor': 'end',
                            class: run.model === selected ? 'model chosen' : 'model'}, run.model));
      const f = (run.forecasts || []).find((g) => g.issue === issue.id);
      const x = f ? f.forecast : null;
      const old = before[run.model] ? before[run.model][issue.id] : undefined;
      if (old !== undefined && old !== null && x !== null && Math.abs(old - x) > 1e-9) {
        moved.push(run.model);
        s.append(svg('line', {x1: scaleX(old, issue, x0, width), x2: scaleX(x, issue, x0, width),
                              y1: y, y2: y, class: 'moved-line'}));
        s.append(svg('circle', {cx: scaleX(old, issue, x0, width), cy: y, r: 4, class: 'ghost'}));
      }
      if (x === null || x === undefined) {
        s.append(svg('text', {x: x0 + width + 8, y: y + 4, class: 'value'},
                     run.status ? `did not run: ${run.message}` : 'no forecast'));
        return;
      }
      const circle = svg('circle', {cx: scaleX(x, issue, x0, width), cy: y,
                                    r: run.model === selected ? 6 : 4.5, fill: color,
                                    class: 'mark'});
      circle.append(svg('title', {}, `${run.model}: ${fmt(x, issue)} — ${f.label}` +
                                     (f.note ? `\n${f.note}` : '')));
      s.append(circle);
      const delta = old !== undefined && old !== null ? x - old : 0;
      s.append(svg('text', {x: x0 + width + 8, y: y + 4, class: Math.abs(delta) > 1e-9 ? 'value moved' : 'value'},
                   fmt(x, issue) + (Math.abs(delta) > 1e-9 ? ` (${delta > 0 ? '+' : ''}${fmt(delta, issue)})` : '')));
    });
    const box = el('div', {class: moved.length ? 'issue-box moved' : 'issue-box'}, s);
    const sel = (state.runs.runs.find((r) => r.model === selected) || {}).forecasts || [];
    const mine = sel.find((g) => g.issue === issue.id);
    box.append(el('div', {class: 'words'},
      `${labels.length ? labels[0].text : ''}  ⟷  ${labels.length ? labels[labels.length - 1].text : ''}`));
    if (mine && mine.label) box.append(el('div', {class: 'words chosen-label'}, `${selected}: “${mine.label}”`));
    if (moved.length) box.append(el('div', {class: 'moved-note'}, `moved: ${moved.join(', ')}`));
    out.append(box);
  }
}

/* ---- paths ------------------------------------------------------------- */

function showTip(event, text) {
  const tip = $('tooltip');
  tip.textContent = text;
  tip.hidden = false;
  const box = event.target.getBoundingClientRect(); /* where the point is, however it was entered */
  tip.style.left = Math.min(window.scrollX + box.right + 8, window.scrollX + window.innerWidth - 380) + 'px';
  tip.style.top = (window.scrollY + box.bottom + 8) + 'px';
}

function hideTip() { $('tooltip').hidden = true; }

function whyMoved(events, issueId) {
  const lines = events.filter((e) => e.issue === null || e.issue === issueId || e.issue2 === issueId)
    .map((e) => '• ' + (e.text || e.kind));
  return lines.slice(0, 8).join('\n') + (lines.length > 8 ? `\n… ${lines.length - 8} more` : '');
}

function renderPaths() {
  const out = $('paths');
  out.textContent = '';
  const run = state.runs.runs.find((r) => r.model === selectedModel().name);
  if (!run || !run.states || run.states.length < 2 || !run.iterative) {
    out.append(el('p', {class: 'muted'}, `${selectedModel().name} has no rounds: pick an iterative model to see the paths.`));
    return;
  }
  const sc = state.scenario;
  const W = 300, H = 170, left = 34, bottom = 20, top = 16;
  const rounds = run.states.length - 1;
  sc.issues.forEach((issue, i) => {
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'path'});
    const X = (t) => left + t / Math.max(1, rounds) * (W - left - 8);
    const Y = (x) => top + (1 - (x - issue.scale.low) / (issue.scale.high - issue.scale.low)) * (H - top - bottom);
    s.append(svg('text', {x: left, y: 11, class: 'issue-label'}, issue.name || issue.id));
    s.append(svg('line', {x1: left, x2: left, y1: top, y2: H - bottom, class: 'axis'}),
             svg('line', {x1: left, x2: W - 8, y1: H - bottom, y2: H - bottom, class: 'axis'}),
             svg('text', {x: left - 4, y: top + 4, 'text-anchor': 'end', class: 'tick'}, String(issue.scale.high)),
             svg('text', {x: left - 4, y: H - bottom, 'text-anchor': 'end', class: 'tick'}, String(issue.scale.low)),
             svg('text', {x: W - 8, y: H - 6, 'text-anchor': 'end', class: 'tick'}, `round ${rounds}`));
    run.actors.forEach((actorId, a) => {
      const pts = run.states.map((st, t) => [t, st.positions[a][i]]).filter((p) => p[1] !== null);
      if (!pts.length) return;
      const color = COLORS[a % COLORS.length];
      s.append(svg('polyline', {points: pts.map(([t, x]) => `${X(t)},${Y(x)}`).join(' '),
                                stroke: color, class: 'line'}));
      for (const [t, x] of pts) {
        if (t === 0) continue;
        const prev = run.states[t - 1].positions[a][i];
        const c = svg('circle', {cx: X(t), cy: Y(x), r: 3, fill: color, class: 'point'});
        c.addEventListener('mouseenter', async (ev) => {
          const head = `${actorName(actorId)}, round ${t}: ${fmt(prev, issue)} → ${fmt(x, issue)}\n`;
          showTip(ev, head + '…');
          try {
            const why = whyMoved(await fetchWhy(run, actorId, t), issue.id);
            if (!$('tooltip').hidden) showTip(ev, head + (why || 'no event recorded for this actor in this round'));
          } catch (e) { showTip(ev, head + e.message); }
        });
        c.addEventListener('mouseleave', hideTip);
        s.append(c);
      }
    });
    out.append(s);
  });
  const legend = el('div', {class: 'legend'});
  run.actors.forEach((id, a) => legend.append(el('span', {}, el('i', {style: `background:${COLORS[a % COLORS.length]}`}), actorName(id))));
  out.append(legend, el('p', {class: 'muted'}, run.stop_reason || ''));
}

/* ---- jobs -------------------------------------------------------------- */

async function followJob(id, progress, onDone) {
  for (;;) {
    const job = await api('GET', `/api/jobs/${id}`);
    progress.max = job.total || 1;
    progress.value = job.done;
    if (job.state !== 'running') { onDone(job); return; }
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function startMc() {
  const events = $('mc-events').value.split(';').map((t) => t.trim()).filter(Boolean);
  try {
    const job = await api('POST', '/api/jobs', {kind: 'mc', model: selectedModel().name,
      params: paramValues(), samples: Number($('mc-samples').value), events,
      scenario: state.scenario});
    state.mcJob = job.id;
    $('mc-cancel').disabled = false;
    status(`Monte Carlo job ${job.id} started`);
    await followJob(job.id, $('mc-progress'), renderMc);
  } catch (e) { status(e.message, true); }
  $('mc-cancel').disabled = true;
}

function renderMc(job) {
  const out = $('mc-out');
  out.textContent = '';
  if (!job.result) { out.append(el('p', {class: 'bad'}, job.error ? job.error.message : job.state)); return; }
  const r = job.result;
  out.append(el('p', {class: 'muted'}, `${job.model}: ${r.done} of ${r.samples} samples` +
    (job.state === 'cancelled' ? ' (cancelled)' : '') + `, ${job.seconds.toFixed(2)} s`));
  const grid = el('div', {class: 'grid'});
  r.issues.forEach((is, i) => {
    const issue = state.scenario.issues[i];
    const W = 300, H = 130, left = 6, bottom = 18;
    const counts = is.histogram.counts;
    const max = Math.max(1, ...counts);
    const bw = (W - 2 * left) / counts.length;
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'hist'});
    s.append(svg('text', {x: left, y: 11, class: 'issue-label'}, issue.name || issue.id));
    counts.forEach((c, b) => s.append(svg('rect', {x: left + b * bw, width: Math.max(0.5, bw - 0.5),
      y: H - bottom - c / max * (H - bottom - 30), height: c / max * (H - bottom - 30), class: 'bar'})));
    const q = is.quantiles;
    const X = (x) => left + (x - is.histogram.low) / (is.histogram.high - is.histogram.low) * (W - 2 * left);
    s.append(svg('text', {x: left, y: H - 1, class: 'tick'}, String(issue.scale.low)),
             svg('text', {x: W - left, y: H - 1, 'text-anchor': 'end', class: 'tick'}, String(issue.scale.high)));
    if (q.p05 !== null) s.append(svg('line', {x1: X(q.p05), x2: X(q.p95), y1: H - 8, y2: H - 8, class: 'band'}),
                                 svg('circle', {cx: X(q.p50), cy: H - 8, r: 3, class: 'median'}));
    s.append(svg('text', {x: left, y: 24, class: 'tick'},
                 `mean ${fmt(is.mean, issue)}, 90 % of samples in ${fmt(q.p05, issue)}–${fmt(q.p95, issue)}`));
    grid.append(s);
  });
  out.append(grid);
  if (r.events.length) {
    const t = el('table', {class: 'events'}, el('tr', {}, el('th', {}, 'event'), el('th', {}, 'probability')));
    for (const e of r.events) {
      t.append(el('tr', {}, el('td', {}, e.text), el('td', {},
        el('span', {class: 'pbar', style: `width:${Math.round(e.probability * 120)}px`}),
        ` ${(100 * e.probability).toFixed(1)} % ± ${(100 * e.std_error).toFixed(1)}`)));
    }
    out.append(t);
  }
}

async function startSens() {
  try {
    const job = await api('POST', '/api/jobs', {kind: 'sensitivity', model: selectedModel().name,
      params: paramValues(), scenario: state.scenario});
    status(`sensitivity job ${job.id} started`);
    await followJob(job.id, $('sens-progress'), renderSens);
  } catch (e) { status(e.message, true); }
}

function renderSens(job) {
  const out = $('sens-out');
  out.textContent = '';
  if (!job.result) { out.append(el('p', {class: 'bad'}, job.error ? job.error.message : job.state)); return; }
  const grid = el('div', {class: 'grid wide'});
  job.result.issues.forEach((is, i) => {
    const issue = state.scenario.issues[i];
    const bars = is.inputs.filter((b) => b.swing > 0).slice(0, 8);
    const W = 460, row = 16, H = 40 + Math.max(1, bars.length) * row, x0 = 190, x1 = W - 8;
    const X = (v) => x0 + (v - issue.scale.low) / (issue.scale.high - issue.scale.low) * (x1 - x0);
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'tornado'});
    s.append(svg('text', {x: 0, y: 12, class: 'issue-label'}, `${issue.name || issue.id}: ${fmt(is.base, issue)}`));
    s.append(svg('line', {x1: X(is.base), x2: X(is.base), y1: 18, y2: H - 14, class: 'axis'}),
             svg('text', {x: x0, y: H - 2, class: 'tick'}, String(issue.scale.low)),
             svg('text', {x: x1, y: H - 2, 'text-anchor': 'end', class: 'tick'}, String(issue.scale.high)));
    bars.forEach((b, k) => {
      const y = 22 + k * row;
      const ends = [b.at_low ?? is.base, b.at_high ?? is.base];
      const lo = Math.min(...ends), hi = Math.max(...ends);
      const label = b.input.length > 30 ? b.input.slice(0, 29) + '…' : b.input;
      s.append(svg('text', {x: x0 - 6, y: y + 10, 'text-anchor': 'end', class: 'tick'}, label));
      const r = svg('rect', {x: X(lo), width: Math.max(1, X(hi) - X(lo)), y, height: row - 3, class: 'bar'});
      r.append(svg('title', {}, `${b.input}: at ${fmt(b.low)} → ${fmt(b.at_low, issue)}, at ${fmt(b.high)} → ${fmt(b.at_high, issue)} (swing ${fmt(b.swing, issue)})`));
      s.append(r);
    });
    if (!bars.length) s.append(svg('text', {x: x0, y: 34, class: 'tick'}, 'no input moves this forecast'));
    grid.append(s);
  });
  out.append(grid);
}

/* ---- stored runs -------------------------------------------------------- */

async function loadRuns() {
  const table = $('runs');
  table.textContent = '';
  let answer;
  try { answer = await api('GET', '/api/runs'); } catch (e) {
    table.append(el('tr', {}, el('td', {class: 'muted'}, e.message)));
    return;
  }
  table.append(el('tr', {}, ...['', 'id', 'kind', 'model', 'scenario', 'started', 'rounds / samples', ''].map((h) => el('th', {}, h))));
  for (const r of answer.runs.slice(0, 50)) {
    const box = el('input', {type: 'checkbox', value: r.id});
    box.addEventListener('change', () => {
      $('runs-diff').disabled = table.querySelectorAll('input:checked').length !== 2;
    });
    table.append(el('tr', {}, el('td', {}, box), el('td', {}, String(r.id)), el('td', {}, r.kind),
      el('td', {}, r.model), el('td', {}, r.scenario_id), el('td', {}, r.started),
      el('td', {}, String(r.kind === 'mc' ? r.samples : r.n_rounds)),
      el('td', {}, el('a', {href: `/api/runs/${r.id}/report`, target: '_blank'}, 'report'))));
  }
  if (!answer.runs.length) table.append(el('tr', {}, el('td', {class: 'muted', colspan: 8}, 'no stored runs yet: “Store this run” keeps one')));
}

async function diffRuns() {
  const ids = [...$('runs').querySelectorAll('input:checked')].map((b) => b.value).sort((a, b) => a - b);
  const out = $('diff');
  out.textContent = '';
  try {
    const d = await api('GET', `/api/runs/${ids[0]}/diff/${ids[1]}`);
    const t = el('table', {class: 'diff'}, el('tr', {}, ...['', `run ${d.a}`, `run ${d.b}`, 'change'].map((h) => el('th', {}, h))));
    for (const c of d.changes) {
      t.append(el('tr', {class: c.section + (c.delta ? ' changed' : '')}, el('td', {}, c.what),
        el('td', {}, c.before), el('td', {}, c.after),
        el('td', {}, c.delta === null ? (c.before !== c.after ? 'changed' : '') : (c.delta > 0 ? '+' : '') + c.delta.toFixed(2))));
    }
    out.append(t);
  } catch (e) { status(e.message, true); }
}

/* ---- loading ------------------------------------------------------------ */

async function loadScenario(name) {
  try {
    state.scenario = await api('GET', `/api/scenarios/${encodeURIComponent(name)}`);
    state.runs = null;
    state.previous = null;
    $('scenario-title').textContent = state.scenario.name || state.scenario.id;
    $('save-name').value = name === 'default' ? `${state.scenario.id}-edited.json` : name;
    renderTable();
    await runModels();
    status(`loaded ${name}`);
  } catch (e) { status(e.message, true); }
}

async function save() {
  const name = $('save-name').value.trim();
  try {
    await api('PUT', `/api/scenarios/${encodeURIComponent(name)}`, state.scenario);
    status(`saved ${name}`);
    await loadScenarioList(name);
  } catch (e) { status(e.message, true); }
}

async function loadScenarioList(selected) {
  const answer = await api('GET', '/api/scenarios');
  const select = $('scenario-select');
  select.textContent = '';
  for (const s of answer.scenarios)
    select.append(el('option', {value: s.name}, s.builtin ? 'default (built in)' : s.name));
  select.value = selected || 'default';
}

async function init() {
  $('scenario-select').addEventListener('change', (e) => loadScenario(e.target.value));
  $('save').addEventListener('click', save);
  $('run').addEventListener('click', () => runModels());
  $('store-run').addEventListener('click', () => runModels(true));
  $('model').addEventListener('change', () => {
    renderParams();
    state.why = {};
    if (state.runs) { renderForecasts(); renderPaths(); }
  });
  $('mc-start').addEventListener('click', startMc);
  $('mc-cancel').addEventListener('click', () => state.mcJob && api('DELETE', `/api/jobs/${state.mcJob}`));
  $('sens-start').addEventListener('click', startSens);
  $('runs-refresh').addEventListener('click', loadRuns);
  $('runs-diff').addEventListener('click', diffRuns);
  try {
    state.models = await api('GET', '/api/models');
    for (const m of state.models) $('model').append(el('option', {value: m.name}, m.name));
    const iterative = state.models.find((m) => m.iterative);
    if (iterative) $('model').value = iterative.name;
    renderParams();
    await loadScenarioList();
    await loadScenario('default');
    loadRuns();
  } catch (e) { status(e.message, true); }
}

init();
