// The operator status page. Plain DOM, no framework, no build step: it must load from the service's jar and work
// when half of the system is away. Every value from a service is inserted as text (never as HTML).
'use strict';

const PANEL_REFRESH_MS = 15000;
const rows = new Map();      // "component|target|check" -> <tr>
const latencies = new Map(); // same key -> [latencyMs, ...] oldest first

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function badge(text, cls) { return el('span', { class: 'badge ' + (cls || text) }, text); }

function ago(iso) {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) return s + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 129600) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' days ago';
}

function time(iso) { return iso ? new Date(iso).toLocaleString() : '—'; }

function key(c) { return c.component + '|' + c.target + '|' + c.check; }

function sparkline(values) {
  if (!values || values.length < 2) return el('span', { class: 'empty' }, '');
  const max = Math.max(...values, 1), w = 120, h = 24;
  const pts = values.map((v, i) => (i * w / (values.length - 1)).toFixed(1) + ',' + (h - 2 - v * (h - 4) / max).toFixed(1)).join(' ');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `latency over the last hour: ${Math.min(...values)} to ${max} ms, latest ${values[values.length - 1]} ms`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', pts);
  svg.append(line);
  return svg;
}

function renderRow(c) {
  const k = key(c);
  const tr = rows.get(k) || el('tr');
  tr.replaceChildren(
    el('th', { scope: 'row' }, c.component), el('td', {}, c.target), el('td', {}, c.check),
    el('td', {}, badge(c.status)),
    el('td', {}, el('time', { datetime: c.since || '', title: time(c.since) }, ago(c.since))),
    el('td', {}, sparkline(latencies.get(k)), c.latencyMs != null ? ' ' + c.latencyMs + ' ms' : ''),
    el('td', {}, c.error || ''));
  tr.dataset.status = c.status;
  rows.set(k, tr);
  return tr;
}

function showMessage(id, text) {
  const m = document.getElementById(id);
  m.textContent = text;
  m.hidden = !text;
}

async function loadHealth() {
  try {
    const [report, history] = await Promise.all([
      fetch('/api/health').then(r => { if (!r.ok) throw new Error('answered HTTP ' + r.status); return r.json(); }),
      fetch('/api/health/history?limit=5000').then(r => r.ok ? r.json() : []).catch(() => [])]);
    latencies.clear();
    for (const h of history.slice().reverse()) { // history is newest first
      if (h.latencyMs == null) continue;
      const k = key(h);
      if (!latencies.has(k)) latencies.set(k, []);
      latencies.get(k).push(h.latencyMs);
    }
    const tbody = document.querySelector('#grid tbody');
    rows.clear();
    tbody.replaceChildren(...report.checks.map(renderRow));
    if (report.checks.length === 0) {
      tbody.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'No check is configured: describe the deployment (JITSIOPS_DEPLOYMENT_FILE).')));
    }
    const overall = document.getElementById('overall');
    overall.replaceChildren('Overall: ', badge(report.status), report.checkedAt ? ' — last check ' + ago(report.checkedAt) : '');
    showMessage('components-message', '');
  } catch (e) {
    showMessage('components-message', 'health-service did not answer (' + e.message + '): the component grid shows the last known state.');
    document.getElementById('overall').textContent = 'Overall: unknown — health-service unreachable';
  }
}

function followLiveUpdates() {
  const live = document.getElementById('live');
  const stream = new EventSource('/api/health/stream');
  stream.onopen = () => { live.textContent = 'Live: connected'; };
  stream.onmessage = (msg) => {
    const c = JSON.parse(msg.data);
    const k = key(c);
    if (c.latencyMs != null) {
      const series = latencies.get(k) || [];
      series.push(c.latencyMs);
      latencies.set(k, series.slice(-360));
    }
    const isNew = !rows.has(k);
    const tr = renderRow(c);
    if (isNew) document.querySelector('#grid tbody').append(tr);
    live.textContent = 'Live: last update ' + new Date().toLocaleTimeString();
  };
  stream.onerror = () => { live.textContent = 'Live updates interrupted: reconnecting…'; };
}

const panels = {
  alerts(list) {
    if (!list.length) return el('p', { class: 'empty' }, 'No alert is firing.');
    return el('ul', {}, ...list.map(a => el('li', {},
      badge(a.severity, a.severity), a.page ? ' ' : '', a.page ? badge('pages', 'critical') : '', ' ',
      el('strong', {}, a.summary || a.rule), ' ',
      el('span', { class: 'empty' }, Object.entries(a.labels || {}).filter(([n]) => ['component', 'target', 'room', 'shard'].includes(n)).map(([n, v]) => n + '=' + v).join(' ')),
      ' — since ', el('time', { datetime: a.startsAt || '' }, ago(a.startsAt)),
      a.ackedUntil && Date.parse(a.ackedUntil) > Date.now() ? ' — acknowledged until ' + time(a.ackedUntil) : '')));
  },
  quality(list) {
    if (!list.length) return el('p', { class: 'empty' }, 'No conference is running.');
    const head = ['Room', 'Bridge', 'Participants', 'Bitrate', 'FPS', 'Resolution', 'Loss', 'Jitter', 'RTT', 'Verdict'];
    return el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, ...head.map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...list.map(q => el('tr', {},
        el('th', { scope: 'row' }, q.room), el('td', {}, q.bridge), el('td', {}, q.participants),
        el('td', {}, Math.round(q.bitrateKbps) + ' kbps'), el('td', {}, q.framesPerSecond.toFixed(0)),
        el('td', {}, q.frameWidth + '×' + q.frameHeight), el('td', {}, q.packetLossPercent.toFixed(1) + ' %'),
        el('td', {}, q.jitterMs.toFixed(0) + ' ms'), el('td', {}, q.rttMs == null ? '—' : q.rttMs.toFixed(0) + ' ms'),
        el('td', {}, q.degraded ? badge('degraded: ' + (q.reasons || []).join(', '), 'DEGRADED') : badge('good', 'ok')))))));
  },
  backups(list) {
    if (!list.length) return el('p', { class: 'empty' }, 'No backup yet.');
    const verified = list.filter(b => b.verifiedAt).sort((a, b) => Date.parse(b.verifiedAt) - Date.parse(a.verifiedAt))[0];
    const rpo = verified ? 'RPO: newest verified backup completed ' + ago(verified.completedAt || verified.verifiedAt)
      + (verified.rtoMillis != null ? '; its verification restore took ' + (verified.rtoMillis / 1000).toFixed(1) + ' s (RTO)' : '')
      : 'RPO: no verified backup yet';
    return el('div', {}, el('p', {}, el('strong', {}, rpo)), el('ul', {}, ...list.slice(0, 6).map(b => el('li', {},
      badge(b.status, /fail/i.test(b.status) ? 'failed' : (b.verifiedAt ? 'ok' : 'info')), ' ',
      b.schedule || 'on demand', ' — ', (b.components || []).join(', '), ' — ',
      el('time', { datetime: b.completedAt || b.startedAt || '' }, ago(b.completedAt || b.startedAt)),
      b.verifiedAt ? ' — verified' : ' — not verified', b.error ? ' — ' + b.error : ''))));
  },
  findings(a) {
    const summary = el('p', {}, `${a.entries} entries, ${a.errors} errors, ${a.warnings} warnings in the last hour; trend ${a.verdict}`
      + ` (${a.previousErrors} errors in the hour before).`);
    if (!a.recommendations || !a.recommendations.length) return el('div', {}, summary, el('p', { class: 'empty' }, 'No finding.'));
    return el('div', {}, summary, el('ul', {}, ...a.recommendations.map(r => el('li', {},
      badge(String(r.severity).toLowerCase(), String(r.severity).toLowerCase()), ' ', el('strong', {}, r.title),
      ' (' + r.count + ') — ', r.recommendation))));
  }
};

async function loadPanel(section) {
  const body = section.querySelector('.body');
  const source = section.dataset.source;
  try {
    const r = await fetch('/status/api/' + source);
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      body.replaceChildren(el('p', { class: 'message' }, (data.service || source) + ' is unavailable: '
        + (data.unavailable || 'HTTP ' + r.status) + '. This panel retries every 15 s.'));
      return;
    }
    body.replaceChildren(panels[source](data));
  } catch (e) {
    body.replaceChildren(el('p', { class: 'message' }, 'health-service did not answer for this panel (' + e.message + ').'));
  }
}

function loadPanels() { document.querySelectorAll('section.panel').forEach(loadPanel); }

loadHealth().then(followLiveUpdates);
loadPanels();
setInterval(loadPanels, PANEL_REFRESH_MS);
setInterval(loadHealth, 4 * PANEL_REFRESH_MS); // the live stream keeps rows fresh; this refreshes since/sparklines
