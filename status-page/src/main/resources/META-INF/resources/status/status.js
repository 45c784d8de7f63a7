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
/** A measured figure with its digits and unit, or a dash when there is none (null). */
function figure(value, digits, unit) { return value == null ? '—' : value.toFixed(digits) + unit; }

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

// Why no notification goes out for a firing alert: a silence (its ids) or a firing alert that inhibits it (e.g. the
// component's DOWN over its DEGRADED warning); the list's silencedBy / inhibitedBy say which. The inhibiting alert is
// named when it is in the list too (it fires, so it is unless the list is cut at its limit).
function mutedMarker(a, byFingerprint) {
  if (a.muted !== true) return '';
  if ((a.silencedBy || []).length) return el('span', { class: 'silenced' }, ' — silenced: no notification goes out while a silence matches it');
  const by = byFingerprint.get((a.inhibitedBy || [])[0]);
  return el('span', { class: 'inhibited' }, by
    ? ' — inhibited by "' + (by.summary || by.rule) + '": no notification goes out while it fires'
    : ' — inhibited: no notification goes out while the alert that inhibits it fires');
}

const panels = {
  // The most severe first (critical, then paging ones); X-Total-Count says how many fire beyond the list's limit.
  alerts(list, answer) {
    if (!list.length) return el('p', { class: 'empty' }, 'No alert is firing.');
    const byFingerprint = new Map(list.map(a => [a.fingerprint, a]));
    const total = Number(answer && answer.headers.get('X-Total-Count'));
    const cut = total > list.length
      ? el('p', { class: 'empty cut' }, 'Showing the ' + list.length + ' most severe of ' + total
        + ' firing alerts: GET /api/alerts?state=firing&order=severity&limit=1000 on alert-service lists up to 1,000 (filters: severity, label).')
      : '';
    const items = el('ul', {}, ...list.map(a => el('li', { class: 'alert', 'data-fingerprint': a.fingerprint || '' },
      badge(a.severity, a.severity), a.page ? ' ' : '', a.page ? badge('pages', 'critical') : '', ' ',
      el('strong', {}, a.summary || a.rule), ' ',
      el('span', { class: 'empty' }, Object.entries(a.labels || {}).filter(([n]) => ['component', 'target', 'room', 'shard'].includes(n)).map(([n, v]) => n + '=' + v).join(' ')),
      ' — since ', el('time', { datetime: a.startsAt || '' }, ago(a.startsAt)),
      a.ackedUntil && Date.parse(a.ackedUntil) > Date.now() ? el('span', { class: 'acked' }, ' — acknowledged until ' + time(a.ackedUntil)) : '',
      mutedMarker(a, byFingerprint),
      signedIn() && a.fingerprint ? alertActions(a) : '')));
    return cut ? el('div', {}, cut, items) : items;
  },
  restores(list) {
    if (!list.length) return el('p', { class: 'empty' }, 'No restore yet.');
    return el('ul', { class: 'restores' }, ...list.map(r => el('li', { class: 'restore', 'data-restore-id': r.id, 'data-status': r.status },
      badge(String(r.status).replace(/_/g, ' '), restoreClass(r.status)), ' ',
      el('strong', {}, (r.dryRun ? 'Dry run of backup ' : 'Restore of backup ') + r.backupId), ' — ', (r.components || []).join(', '),
      ' — started ', el('time', { datetime: r.startedAt || '', title: time(r.startedAt) }, ago(r.startedAt)),
      r.endedAt ? ', ended ' + time(r.endedAt) : (r.status === 'RUNNING' ? ' (running)' : ''),
      r.status === 'ROLLED_BACK' ? el('p', { class: 'rolled-back' }, el('strong', {}, 'Rolled back: a step failed and what it had changed was put back as before.')) : '',
      r.status === 'ROLLBACK_FAILED' ? el('p', { class: 'rolled-back rollback-failed' }, el('strong', {}, 'Rollback failed: a step failed and putting things back failed too; check the steps below by hand.')) : '',
      r.error ? el('p', { class: 'restore-error' }, 'Error: ' + r.error) : '',
      el('ol', { class: 'steps', 'aria-label': 'steps of restore ' + r.id }, ...(r.steps || []).map(st => el('li', { 'data-step': st.step, 'data-status': st.status },
        badge(st.status, restoreClass(st.status)), ' ', el('strong', {}, st.step), st.detail ? ' — ' + st.detail : ''))))));
  },
  quality(list) {
    if (!list.length) return el('p', { class: 'empty' }, 'No conference is running.');
    const head = ['Room', 'Bridge', 'Participants', 'Bitrate', 'FPS', 'Resolution', 'Loss', 'Jitter', 'RTT', 'Verdict'];
    return el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, ...head.map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...list.map(q => el('tr', {},
        el('th', { scope: 'row' }, q.room), el('td', {}, q.bridge), el('td', {}, q.participants),
        // metrics-service answers null for a figure nobody gives: no bitrate, frame rate or resolution when nobody
        // sends video (cameras off), no loss or jitter before the bridge measured any
        el('td', {}, q.bitrateKbps == null ? 'no video' : Math.round(q.bitrateKbps) + ' kbps'), el('td', {}, figure(q.framesPerSecond, 0, '')),
        el('td', {}, q.frameHeight ? q.frameWidth + '×' + q.frameHeight : '—'), el('td', {}, figure(q.packetLossPercent, 1, ' %')),
        el('td', {}, figure(q.jitterMs, 0, ' ms')), el('td', {}, figure(q.rttMs, 0, ' ms')),
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

function restoreClass(status) {
  if (/^(COMPLETED|OK|DONE|SUCCEEDED)$/.test(status)) return 'ok';
  if (/FAIL|ROLLED/.test(status)) return 'failed';
  return 'info';
}

async function loadPanel(section) {
  const body = section.querySelector('.body');
  // An operator filling in a silence keeps the form: the panel refreshes once it is sent or cancelled.
  if (section.querySelector('form.silence-form')) return;
  const source = section.dataset.source;
  try {
    const r = await fetch('/status/api/' + source);
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      body.replaceChildren(el('p', { class: 'message' }, (data.service || source) + ' is unavailable: '
        + (data.unavailable || 'HTTP ' + r.status) + '. This panel retries every 15 s.'));
      return;
    }
    body.replaceChildren(panels[source](data, r));
  } catch (e) {
    body.replaceChildren(el('p', { class: 'message' }, 'health-service did not answer for this panel (' + e.message + ').'));
  }
}

function loadPanels() { document.querySelectorAll('section.panel').forEach(loadPanel); }

// ---- Signing in (OAuth 2.0 authorization code + PKCE S256, public client: no secret in the page) ----
// The access token lives in this tab's sessionStorage only: never in a URL (the code is removed from the address
// bar at once), never in a cookie, gone when the tab closes.
const TOKEN_KEY = 'jitsiops.status.token';
const PKCE_KEY = 'jitsiops.status.pkce';
let signInSettings = null;

function b64url(bytes) {
  let bin = '';
  bytes.forEach(b => { bin += String.fromCharCode(b); });
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function randomString(bytes) { const a = new Uint8Array(bytes); crypto.getRandomValues(a); return b64url(a); }
async function s256(verifier) {
  return b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}
function claimsOf(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(part + '='.repeat((4 - part.length % 4) % 4)))));
}
function redirectUri() { return location.origin + '/status/'; }

function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
    if (s && s.exp * 1000 > Date.now()) return s;
    if (s) { sessionStorage.removeItem(TOKEN_KEY); say('Your sign-in expired: sign in again to act on alerts.', true); }
  } catch (e) { sessionStorage.removeItem(TOKEN_KEY); }
  return null;
}
function signedIn() { return session() !== null; }

function say(text, refused) {
  const m = document.getElementById('action-message');
  m.textContent = text;
  m.hidden = !text;
  m.classList.toggle('refused', !!refused);
}

function renderSession() {
  const s = session();
  const status = document.getElementById('session-status');
  document.getElementById('sign-in').hidden = !!s;
  document.getElementById('sign-out').hidden = !s;
  if (!s) { status.textContent = 'Not signed in: the page is read-only.'; return; }
  status.textContent = 'Signed in as ' + s.user + (s.roles.length ? ' (' + s.roles.join(', ') + ')' : ' (no jitsi-ops role)')
    + ', until ' + new Date(s.exp * 1000).toLocaleTimeString() + '.';
}

async function signIn() {
  if (signInSettingsLoaded) await signInSettingsLoaded;
  if (!signInSettings) { say('Sign-in is not available: health-service did not give its settings (/status/api/config).', true); return; }
  if (!window.crypto || !crypto.subtle) { say('Sign-in needs a secure page (https, or http on localhost/127.0.0.1) for PKCE.', true); return; }
  const pending = { verifier: randomString(48), state: randomString(16), nonce: randomString(16) };
  sessionStorage.setItem(PKCE_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code', client_id: signInSettings.clientId, redirect_uri: redirectUri(), scope: signInSettings.scope,
    state: pending.state, nonce: pending.nonce, code_challenge: await s256(pending.verifier), code_challenge_method: 'S256' });
  location.assign(signInSettings.authorizationEndpoint + '?' + query);
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  say('Signed out.');
  renderSession();
  loadPanel(document.getElementById('alerts'));
}

/** Back from Janssen: ?code=…&state=… (or ?error=…). The address bar is cleaned before anything else. */
async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return;
  history.replaceState(null, '', location.pathname);
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
  sessionStorage.removeItem(PKCE_KEY);
  if (params.has('error')) {
    say('Sign-in failed: ' + params.get('error') + (params.get('error_description') ? ' — ' + params.get('error_description') : ''), true);
    return;
  }
  if (!pending || pending.state !== params.get('state')) {
    say('Sign-in failed: the answer does not belong to a sign-in started on this page (state mismatch). Try again.', true);
    return;
  }
  try {
    const r = await fetch(signInSettings.tokenEndpoint, { method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
        client_id: signInSettings.clientId, code_verifier: pending.verifier }) });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) { say('Sign-in failed: Janssen answered ' + (answer.error || 'HTTP ' + r.status) + (answer.error_description ? ' — ' + answer.error_description : ''), true); return; }
    const id = answer.id_token ? claimsOf(answer.id_token) : {};
    if (answer.id_token && id.nonce !== pending.nonce) { say('Sign-in failed: the id_token does not answer this sign-in (nonce).', true); return; }
    const access = claimsOf(answer.access_token);
    const roles = [].concat(access.role || id.role || []);
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: answer.access_token,
      user: id.preferred_username || access.preferred_username || id.name || id.sub || access.sub,
      roles, exp: access.exp || Math.floor(Date.now() / 1000) + (answer.expires_in || 300) }));
    say('Signed in.');
  } catch (e) {
    say('Sign-in failed: the token endpoint did not answer (' + e.message + ').', true);
  }
}

// ---- Acting on alerts: health-service passes the bearer on to alert-service, which decides ----
function alertActions(a) {
  const name = a.summary || a.rule;
  const ack = el('button', { type: 'button', class: 'ack', 'aria-label': 'Acknowledge: ' + name }, 'Acknowledge');
  const silence = el('button', { type: 'button', class: 'silence', 'aria-expanded': 'false', 'aria-label': 'Silence…: ' + name }, 'Silence…');
  ack.addEventListener('click', () => acknowledge(a, ack));
  silence.addEventListener('click', () => openSilenceForm(a, silence));
  return el('span', { class: 'actions' }, ack, silence);
}

async function act(url, body, what, onDone) {
  const s = session();
  if (!s) { say('Sign in first to ' + what + '.', true); renderSession(); return; }
  let r, data;
  try {
    r = await fetch(url, { method: 'POST', headers: { Authorization: 'Bearer ' + s.token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body) });
    data = await r.json().catch(() => ({}));
  } catch (e) {
    say('health-service did not answer (' + e.message + '): nothing was changed.', true);
    return;
  }
  if (r.ok) { onDone(data); }
  else if (r.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY); // refused as a whole (expired, another issuer or audience): sign in anew
    renderSession();
    say('alert-service did not accept your sign-in (401): sign in again. Nothing was changed.', true);
  }
  else if (r.status === 403) { say('Signed in as ' + s.user + ' without role ' + (signInSettings ? signInSettings.operatorRole : 'jitsi-ops-operator') + ': alert-service refused to ' + what + ' (403).', true); }
  else if (r.status === 503) { say((data.service || 'alert-service') + ' is unavailable: ' + (data.unavailable || 'HTTP 503') + '. Nothing was changed.', true); }
  else { say('alert-service refused to ' + what + ': HTTP ' + r.status + (data.error ? ' — ' + data.error : '') + '.', true); }
  document.getElementById('action-message').focus();
  loadPanel(document.getElementById('alerts'));
}

function acknowledge(a, button) {
  button.disabled = true;
  act('/status/api/alerts/' + encodeURIComponent(a.fingerprint) + '/ack', {}, 'acknowledge "' + (a.summary || a.rule) + '"',
    data => say('Acknowledged "' + (a.summary || a.rule) + '" until ' + time(data.acknowledgedUntil) + ': no repeat notification until then.'));
}

function openSilenceForm(a, button) {
  const li = button.closest('li');
  if (li.querySelector('form.silence-form')) return;
  button.setAttribute('aria-expanded', 'true');
  const duration = el('select', { name: 'duration' },
    el('option', { value: '1' }, '1 hour'), el('option', { value: '4' }, '4 hours'), el('option', { value: '24' }, '24 hours'),
    el('option', { value: '168' }, '7 days'));
  const comment = el('input', { name: 'comment', type: 'text', required: 'required', autocomplete: 'off' });
  const cancel = el('button', { type: 'button', class: 'cancel' }, 'Cancel');
  const form = el('form', { class: 'silence-form', 'aria-label': 'Silence ' + (a.summary || a.rule) },
    el('label', {}, 'Duration', duration), el('label', {}, 'Comment (why)', comment),
    el('button', { type: 'submit', class: 'primary' }, 'Silence'), cancel);
  const close = () => { form.remove(); button.setAttribute('aria-expanded', 'false'); button.focus(); };
  cancel.addEventListener('click', () => { close(); loadPanel(document.getElementById('alerts')); });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const endsAt = new Date(Date.now() + Number(duration.value) * 3600 * 1000).toISOString();
    // Every label of the alert, exactly: the silence mutes this alert and nothing else.
    const matchers = Object.entries(a.labels || {}).map(([n, v]) => n + '="' + v + '"');
    form.remove();
    act('/status/api/silences', { matchers, endsAt, comment: comment.value }, 'silence "' + (a.summary || a.rule) + '"',
      data => say('Silenced "' + (a.summary || a.rule) + '" until ' + time(data.endsAt || endsAt) + (data.id ? ' (silence ' + data.id + ')' : '') + '.'));
  });
  li.append(form);
  comment.focus();
}

let signInSettingsLoaded = null;

async function loadSignInSettings() {
  try {
    const r = await fetch('/status/api/config');
    if (r.ok) signInSettings = await r.json();
  } catch (e) { /* the button says so when pressed */ }
}

async function startSignIn() {
  // The buttons work from the first moment: a click before the settings arrived waits for them (it used to do
  // nothing, because the listener was attached only after the fetch: a stack test run on a busy machine saw it).
  signInSettingsLoaded = loadSignInSettings();
  document.getElementById('sign-in').addEventListener('click', signIn);
  document.getElementById('sign-out').addEventListener('click', signOut);
  await signInSettingsLoaded;
  await completeSignIn();
  renderSession();
}

loadHealth().then(followLiveUpdates);
startSignIn().then(loadPanels);
setInterval(loadPanels, PANEL_REFRESH_MS);
setInterval(loadHealth, 4 * PANEL_REFRESH_MS); // the live stream keeps rows fresh; this refreshes since/sparklines
