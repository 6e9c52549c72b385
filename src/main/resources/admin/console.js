/*
 * orgsync operator console: plain JavaScript, no framework, no build step, no network access
 * beyond this node's own /admin/api, the read routes of /api/v1 (org.js) and /health.
 *
 * Served at /admin/ (index.html); assets are relative (console.js, console.css). The API base is
 * derived from the page's own path, so "/admin/" -> "/admin/api/...", and health is "../health".
 *
 * ---------------------------------------------------------------------------------------------
 * STABLE HOOKS FOR AUTOMATED BROWSER TESTS (Selenium / headless Chromium)
 * ---------------------------------------------------------------------------------------------
 * Sign-in
 *   #token                      password input for the admin token
 *   #sign-in                    sign-in button (submits #sign-in-form; Enter in #token works too)
 *   #sign-in-message            message on the sign-in view (401 rejected, 503 admin_disabled,
 *                               unreachable server, "signed out")
 *   #sign-in-view / #console    the two views; exactly one is visible
 *   #sign-out                   sign-out button (clears the token from sessionStorage)
 *
 * Header (from GET /health, no token needed)
 *   #env, #node, #version, #health, #scheduler-state, #read-only (shown only on a read-only node)
 *   #updated                    "updated hh:mm:ss" (local time of the last fully successful refresh;
 *                               gets class "stale" while refreshes fail)
 *   #refresh                    refresh now
 *   #error                      banner shown while a refresh fails (hidden again after a good one)
 *   #message                    short-lived notice with the outcome of the last action
 *                               (class "ok" or "error"; text includes the server's message)
 *
 * Refresh: every 5 s (the page's ?refresh=<seconds>, 1 to 300, sets another interval) and right
 * after every action.
 *
 * Jobs (GET /admin/api/jobs, refreshed every 5 s and right after every action)
 *   #jobs                       table
 *   #jobs tr[data-corp="<corpId>"]   one row per job; also data-state="<STATE>"
 *     [data-testid=enterprise]  cell: corpId + name; its button [data-action=history] opens history
 *     [data-testid=state]       cell whose text is exactly NORMAL | PAUSED | RUNNING | ERROR
 *     [data-testid=cron]  [data-testid=next-fire]  [data-testid=previous-fire]
 *     [data-testid=last-run]    status badge (exact status word) + time + counts + error
 *     [data-action=pause] [data-action=resume] [data-action=trigger]   buttons (never disabled)
 *     [data-testid=row-message] server message of the last action on this row (e.g. a 409)
 *   Trigger on a PAUSED job opens the confirmation dialog; "yes" sends ?force=true.
 *   A 409 to an unforced trigger re-reads the job and, if it is paused, asks the same question.
 *   #pause-all, #resume-all     both ask for confirmation first
 *
 * Confirmation dialog (in-page, never window.confirm)
 *   #confirm                    the modal (visible while asking)
 *   #confirm-text               the question
 *   #confirm-yes, #confirm-no   answer buttons (Esc = no, click outside = no)
 *
 * Run history (GET /admin/api/runs?corpId=X&limit=50, refreshed every 5 s while open)
 *   #history-corp               <select> of enterprises (also opened by [data-action=history])
 *   #history-close              closes the history
 *   #history                    table; rows tr[data-run-id="<id>"] with data-status="<STATUS>"
 *     [data-testid=status] (exact status word)  [data-testid=instance]  [data-testid=started]
 *     [data-testid=duration]  [data-testid=departments]  [data-testid=added]
 *     [data-testid=updated]  [data-testid=removed]  [data-testid=upstream-calls]  [data-testid=error]
 *   #history-empty              note shown when nothing is selected or there are no runs
 *
 * Cluster (GET /admin/api/cluster)
 *   #cluster                    table; rows tr[data-instance="<instanceId>"] with
 *                               data-alive="true|false", data-fenced="true|false",
 *                               classes "dead" / "fenced"
 *     [data-testid=instance]  [data-testid=env]  [data-testid=version]  [data-testid=scheduler]
 *     [data-testid=read-only]  [data-testid=last-seen]
 *     [data-testid=status]      badges: "alive" or "dead", plus "fenced", plus "this node"
 *
 * Enterprises (GET/PUT/DELETE /admin/api/enterprises)
 *   #enterprises                table; rows tr[data-enterprise="<corpId>"] (not data-corp, which
 *                               belongs to the jobs table)
 *     [data-testid=corp-id]  [data-testid=name]  [data-testid=cron]  [data-testid=enabled]
 *     [data-testid=reads]: the secrets held and what the set-up read at its last complete sync
 *       ("access"; "not checked yet" before one); the cell's data-access="names|mobiles|complete|range"
 *     [data-testid=agent-id]  [data-testid=updated-at]
 *     [data-action=edit]  [data-action=delete] (delete asks for confirmation)
 *   #ent-new                    empty form for a new enterprise
 *   #enterprise-form            the form: #ent-corpId #ent-name #ent-secret (the app's)
 *                               #ent-contactSecret (the contact-sync secret) #ent-cron
 *                               #ent-enabled (checkbox) #ent-agentId #ent-save #ent-cancel
 *   #ent-message                the server's message (400 invalid cron, 503 read_only, ...) or
 *                               "Saved ..." (classes "error" / "ok")
 *   Secrets are never pre-filled; an empty one is omitted from the PUT body (the stored one stays);
 *   a new enterprise needs at least one of the two.
 *
 * Recent runs (GET /admin/api/runs?limit=1000, every refresh: the newest runs of all enterprises)
 *   #jobs tr[data-corp] [data-testid=run-chart]   cell with an inline <svg data-testid=run-chart>
 *     of the enterprise's last 20 runs, oldest left; one <rect data-run-id data-status
 *     data-duration-ms> per run (height: duration, colour: outcome), and a summary line
 *     [data-testid=run-summary] ("6 runs · 1 failed · longest 1.2 s")
 *   #history-chart              the same chart, larger, for the enterprise whose history is open
 *                               (its last 50 runs), with the duration scale and time span
 *
 * Mini-programs (GET/PUT/DELETE /admin/api/miniapps)
 *   #miniapps                   table; rows tr[data-app="<appId>"] with
 *     [data-testid=app-id]  [data-testid=name]  [data-testid=token-mode]  [data-testid=created-at]
 *     [data-testid=updated-at]  [data-action=edit]  [data-action=delete] (asks for confirmation)
 *   #app-new                    empty form for a new app
 *   #miniapp-form               the form: #app-appId #app-name #app-secret #app-tokenMode (select)
 *                               #app-save #app-cancel; #app-message the outcome (classes error / ok)
 *   The secret is write-only, as an enterprise's.
 *
 * Alerts (GET /admin/api/alerts?limit=50)
 *   #alerts                     table; rows tr[data-alert="<type> <subject>"] with data-type
 *     [data-testid=type]  [data-testid=subject]  [data-testid=message]  [data-testid=last-at]
 *     [data-testid=first-at]  [data-testid=count]  [data-testid=delivered]
 *
 * Callback settings (in the enterprise form while editing; PUT/DELETE /admin/api/enterprises/{corpId}/callback)
 *   #ent-callback               the box (hidden for a new enterprise)
 *   #cb-status                  badge "on" | "off" (from the listing's `callback`)
 *   #cb-url                     read-only input with the listing's `callbackUrl`; #cb-copy copies it
 *   #cb-url-missing             shown instead when callbackUrl is null (ORGSYNC_CALLBACK_BASE_URL unset)
 *   #cb-token #cb-aesKey        write-only inputs, never pre-filled; #cb-save sends both
 *   #cb-off                     DELETE (asks for confirmation)
 *   #cb-message                 the server's message (a 400's text) or the outcome (classes error / ok)
 *   #enterprises [data-testid=enabled] also carries a "callbacks" badge when they are on
 *
 * Events (GET /admin/api/events?corpId=&limit=50, newest first)
 *   #events-corp                <select>: all enterprises or one
 *   #events                     table; rows tr[data-event-id="<id>"] with data-status="<STATUS>"
 *     [data-testid=change-type]  [data-testid=subject]  [data-testid=corp-id]  [data-testid=received]
 *     [data-testid=applied]  [data-testid=status] (exact PENDING | APPLIED | SKIPPED | FAILED)
 *     [data-testid=lag]  [data-testid=error]
 *   #events-empty               note shown when there are none
 *
 * Subscriptions (subscriptions.js; GET/PUT/DELETE /admin/api/subscriptions, POST .../{name}/replay)
 *   #subscriptions              table; rows tr[data-subscription="<name>"] with data-state="active|failing|disabled"
 *     [data-testid=name]  [data-testid=url]  [data-testid=filters]  [data-testid=state] (exact state word)
 *     [data-testid=lag] ("<n> events · <duration>")  [data-testid=last-delivered]  [data-testid=last-error]
 *     [data-action=edit]  [data-action=enable] or [data-action=disable]  [data-action=replay]
 *     [data-action=delete] (asks for confirmation)
 *   #subscriptions-empty        note when there are none; #subscriptions-unavailable when the node's
 *                               build has no change feed (its route answers 404)
 *   #sub-new                    empty form for a new subscription
 *   #subscription-form          #sub-name #sub-url #sub-corpIds (comma-separated, empty = all)
 *                               #sub-types input[type=checkbox][value=<event type>] (none ticked = all)
 *                               #sub-startAt (select now|beginning, create only) #sub-secret-input
 *                               (optional whsec_...; write-only) #sub-enabled #sub-save #sub-cancel
 *   #sub-message                the outcome or the server's 400 message (classes error / ok)
 *   #sub-secret-box             shown once after a create that generated the secret: #sub-secret
 *                               (read-only input with it), #sub-secret-copy, #sub-secret-hide
 *   #sub-replay                 replay box of the subscription being edited: #sub-replay-corp (select)
 *                               #sub-replay-after #sub-replay-go #sub-replay-message
 *
 * Organisation (org.js; the read API /api/v1/corps/..., with the admin token)
 *   #org-corp                   <select> of enterprises
 *   #org-q, #org-search         search by mobile, name or userid (#org-search-form); #org-message outcome
 *   #org-tree                   the department tree: li[data-dept-id] with [data-testid=dept-name]
 *                               (button: lists its members), [data-testid=member-count], [data-testid=leaders]
 *                               (buttons [data-userid] open a leader)
 *   #org-members                table; rows tr[data-userid] (click opens the member) with
 *     [data-testid=userid] [data-testid=name] [data-testid=mobile] [data-testid=status] [data-testid=departments]
 *   #org-members-title          what the list shows; #org-more loads the next page
 *   #org-member                 the open member: [data-field=<field>] per field of the API's member
 *                               (a field not known reads "not known", class "unknown")
 * ---------------------------------------------------------------------------------------------
 *
 * All server-provided text goes through textContent / attributes; nothing uses innerHTML.
 */
(function () {
  'use strict';

  // every 5 s; the page's ?refresh=<seconds> (1 to 300) sets another interval, e.g. /admin/?refresh=30
  // on a wall screen, or ?refresh=1 where a test watches the console follow the cluster
  var REFRESH_MS = refreshMillis(window.location.search);
  var REQUEST_TIMEOUT_MS = 15000;
  var TOKEN_KEY = 'orgsync.adminToken';
  var HISTORY_LIMIT = 50;
  var SPARK_RUNS = 20;            // runs in a job row's chart
  var RECENT_RUNS_LIMIT = 1000;   // newest runs of all enterprises read for the job rows' charts
  var ALERTS_LIMIT = 50;
  var EVENTS_LIMIT = 50;

  /** The auto-refresh interval: ?refresh=<whole seconds, 1 to 300>; anything else, 5 s. */
  function refreshMillis(search) {
    var m = /[?&]refresh=(\d{1,3})(?:&|$)/.exec(search || '');
    var seconds = m ? parseInt(m[1], 10) : 5;
    return (seconds >= 1 && seconds <= 300 ? seconds : 5) * 1000;
  }

  // ------------------------------------------------------------------ paths
  function computeBase() {
    var p = window.location.pathname || '/admin/';
    if (p.charAt(p.length - 1) !== '/') {
      if (/\/admin$/.test(p)) {
        p += '/';
      } else {
        p = p.replace(/[^\/]*$/, '');
      }
    }
    return p;
  }
  var BASE = computeBase();                       // "/admin/"
  var API = BASE + 'api';                         // "/admin/api"
  var HEALTH_URL = new URL('../health', window.location.origin + BASE).pathname; // "/health"
  var READ_API = new URL('../api/v1', window.location.origin + BASE).pathname;   // "/api/v1"

  // ------------------------------------------------------------------ token storage
  var memoryToken = null;
  function getToken() {
    try {
      var t = window.sessionStorage.getItem(TOKEN_KEY);
      if (t !== null) return t;
    } catch (e) { /* storage disabled */ }
    return memoryToken;
  }
  function setToken(t) {
    memoryToken = t;
    try { window.sessionStorage.setItem(TOKEN_KEY, t); } catch (e) { /* keep in memory */ }
  }
  function clearToken() {
    memoryToken = null;
    try { window.sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
  }

  // ------------------------------------------------------------------ DOM helpers
  function $(sel) { return document.querySelector(sel); }

  /** h('td', {className: 'x', 'data-testid': 'state', text: 'PAUSED'}, child, ...) */
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') el.textContent = String(v);
        else if (k === 'className') el.className = v;
        else if (k.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  /** Replace a cell's content only when its signature changed (keeps DOM stable between ticks). */
  function setCell(td, sig, build) {
    if (td._sig === sig) return;
    td._sig = sig;
    while (td.firstChild) td.removeChild(td.firstChild);
    append(td, build());
  }
  /**
   * Keyed update of a tbody: existing rows are reused (Selenium element references stay valid,
   * focus and hover are kept), new rows created, missing rows removed, order follows items.
   */
  function reconcile(tbody, items, keyOf, attr, create, update) {
    var existing = new Map();
    Array.prototype.slice.call(tbody.children).forEach(function (tr) {
      var k = tr.getAttribute(attr);
      if (k === null || existing.has(k)) tr.remove(); else existing.set(k, tr);
    });
    var seen = new Set();
    var index = 0;
    items.forEach(function (item) {
      var key = String(keyOf(item));
      if (seen.has(key)) return;
      seen.add(key);
      var tr = existing.get(key);
      if (tr) existing.delete(key);
      else { tr = create(key); tr.setAttribute(attr, key); }
      update(tr, item);
      var at = tbody.children[index];
      if (at !== tr) tbody.insertBefore(tr, at || null);
      index++;
    });
    existing.forEach(function (tr) { tr.remove(); });
  }

  // ------------------------------------------------------------------ formatting
  function pad(n, w) { var s = String(n); while (s.length < (w || 2)) s = '0' + s; return s; }

  function parseTime(v) {
    if (v === null || v === undefined || v === '') return null;
    if (typeof v === 'number') return new Date(v);
    var s = String(v);
    // The API promises UTC ISO-8601; a string without a zone would otherwise be read as local.
    if (/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(s)) s += 'Z';
    var d = new Date(s);
    return isNaN(d.getTime()) ? null : d;
  }
  function clock(d) { return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }
  function localTime(d) {
    var now = new Date();
    if (sameDay(d, now)) return clock(d);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
      pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  function fullLocal(d) {
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + clock(d);
  }
  function relative(d) {
    var diff = d.getTime() - Date.now();
    var future = diff > 0;
    var s = Math.round(Math.abs(diff) / 1000);
    var txt;
    if (s < 5) return future ? 'in a moment' : 'just now';
    if (s < 60) txt = s + ' s';
    else if (s < 3600) txt = Math.round(s / 60) + ' min';
    else if (s < 48 * 3600) {
      var hrs = Math.floor(s / 3600), mins = Math.round((s % 3600) / 60);
      if (mins === 60) { hrs++; mins = 0; }
      txt = hrs + ' h' + (hrs < 10 && mins ? ' ' + mins + ' min' : '');
    } else txt = Math.round(s / 86400) + ' days';
    return future ? 'in ' + txt : txt + ' ago';
  }
  function duration(ms) {
    if (ms === null || ms === undefined || isNaN(ms) || ms < 0) return '—';
    if (ms < 1000) return (ms / 1000).toFixed(1) + ' s';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    var s = Math.round(ms / 1000);
    if (s < 3600) return Math.floor(s / 60) + ' min ' + pad(s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + pad(Math.floor((s % 3600) / 60)) + ' min';
  }
  function num(v) { return (v === null || v === undefined || v === '') ? '—' : String(v); }
  function truncate(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  /** A time cell: local time (title: exact local + UTC) with a relative hint under it. */
  function timeNodes(value, emptyText) {
    var d = parseTime(value);
    if (!d) return h('span', { className: 'muted', text: emptyText || '—' });
    return [
      h('span', { title: fullLocal(d) + ' local · ' + d.toISOString() + ' UTC', text: localTime(d) }),
      h('span', { className: 'sub', text: relative(d) })
    ];
  }
  function timeSig(value) {
    var d = parseTime(value);
    return d ? localTime(d) + '|' + relative(d) : '-';
  }

  var JOB_BADGE = { NORMAL: 'badge-ok', RUNNING: 'badge-run', PAUSED: 'badge-warn', ERROR: 'badge-err' };
  var RUN_BADGE = { SUCCEEDED: 'badge-ok', RUNNING: 'badge-run', FAILED: 'badge-err', REFUSED: 'badge-warn', ABANDONED: 'badge-dead' };
  function badge(word, cls, title) {
    return h('span', { className: 'badge ' + (cls || 'badge-muted'), title: title, text: word });
  }
  function jobBadge(stateWord) { return badge(String(stateWord || '?'), JOB_BADGE[stateWord] || 'badge-muted'); }
  function runBadge(status) { return badge(String(status || '?'), RUN_BADGE[status] || 'badge-muted'); }

  // ------------------------------------------------------------------ API
  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.name = 'ApiError';

  function request(url, method, body, withToken) {
    var headers = { 'Accept': 'application/json' };
    if (withToken) {
      var token = getToken();
      if (token) headers['Authorization'] = 'Bearer ' + token;
    }
    var init = { method: method, headers: headers, cache: 'no-store', credentials: 'same-origin' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    var ctl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = null;
    if (ctl) {
      init.signal = ctl.signal;
      timer = setTimeout(function () { ctl.abort(); }, REQUEST_TIMEOUT_MS);
    }
    return fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        if (text) { try { data = JSON.parse(text); } catch (e) { data = undefined; } }
        return { res: res, data: data };
      });
    }, function (e) {
      if (e && e.name === 'AbortError') {
        throw new ApiError(0, 'timeout', 'The server did not answer within ' + (REQUEST_TIMEOUT_MS / 1000) + ' s.');
      }
      throw new ApiError(0, 'network', 'Cannot reach the server (' + (e && e.message ? e.message : 'network error') + ').');
    }).then(function (r) {
      if (timer) clearTimeout(timer);
      if (!r.res.ok) {
        var err = r.data && typeof r.data === 'object' ? r.data.error : null;
        var code = (err && err.code) || ('http_' + r.res.status);
        var msg = (err && err.message) || ('HTTP ' + r.res.status + (r.res.statusText ? ' ' + r.res.statusText : ''));
        var e = new ApiError(r.res.status, code, msg);
        e.data = r.data;
        throw e;
      }
      return r.data;
    }, function (e) {
      if (timer) clearTimeout(timer);
      throw e;
    });
  }
  function api(method, path, body) { return request(API + path, method, body, true); }
  function enc(s) { return encodeURIComponent(s); }

  function errText(e) {
    if (!e) return 'unknown error';
    if (e instanceof ApiError) {
      if (e.status) return e.message + ' (' + e.status + (e.code && e.code.indexOf('http_') !== 0 ? ' ' + e.code : '') + ')';
      return e.message;
    }
    return e.message || String(e);
  }
  function isUnauthorized(e) { return e instanceof ApiError && e.status === 401; }
  function isAdminDisabled(e) { return e instanceof ApiError && e.code === 'admin_disabled'; }

  var MSG_401 = 'The admin token was rejected (401 unauthorized). Sign in with the current ORGSYNC_ADMIN_TOKEN of this node.';
  var MSG_DISABLED = 'The admin API is disabled on this node: ORGSYNC_ADMIN_TOKEN is not set. ' +
    'Set it and restart the node, or open the console of another node.';

  /** 401 and 503 admin_disabled end the session. Returns true when it handled the error. */
  function handleAuthError(e) {
    if (isUnauthorized(e)) { signOut(MSG_401, 'error'); return true; }
    if (isAdminDisabled(e)) { signOut(MSG_DISABLED, 'error'); return true; }
    return false;
  }

  // ------------------------------------------------------------------ state
  var state = {
    signedIn: false,
    generation: 0,
    health: null,
    jobs: [],
    enterprises: [],
    entByCorp: new Map(),
    cluster: [],
    historyCorp: null,
    historyLoaded: false,
    runs: [],
    rowMessages: new Map(),    // corpId -> {text, kind, until}
    busy: new Map(),           // corpId -> number of requests in flight
    editing: null,             // corpId being edited, or null for a new enterprise
    recentRuns: [],            // newest first, all enterprises (the job rows' charts)
    runsByCorp: new Map(),     // corpId -> its runs from recentRuns, newest first
    miniapps: [],
    appById: new Map(),
    editingApp: null,          // appId being edited, or null for a new app
    alerts: [],
    events: [],
    eventsCorp: '',            // '' = all enterprises
    lastOk: null,
    timer: null,
    inFlight: null,
    again: false
  };

  // ------------------------------------------------------------------ notices
  var messageTimer = null;
  function notify(text, kind) {
    var el = $('#message');
    el.textContent = text;
    el.className = 'notice ' + (kind || '');
    el.hidden = false;
    if (messageTimer) clearTimeout(messageTimer);
    messageTimer = setTimeout(function () { el.hidden = true; }, kind === 'error' ? 12000 : 6000);
  }
  function showError(text) {
    var el = $('#error');
    el.textContent = text;
    el.hidden = false;
    $('#updated').classList.add('stale');
  }
  function clearError() {
    $('#error').hidden = true;
    $('#error').textContent = '';
    $('#updated').classList.remove('stale');
  }
  function setFormMessage(el, text, kind) {
    if (!text) { el.hidden = true; el.textContent = ''; el.className = 'form-message'; return; }
    el.textContent = text;
    el.className = 'form-message ' + (kind || 'info');
    el.hidden = false;
  }

  // ------------------------------------------------------------------ confirmation dialog
  var pendingConfirm = null;
  var confirmReturnFocus = null;
  function confirmDialog(title, text, yesLabel, danger) {
    if (pendingConfirm) pendingConfirm(false);
    var box = $('#confirm');
    $('#confirm-title').textContent = title;
    $('#confirm-text').textContent = text;
    var yes = $('#confirm-yes');
    yes.textContent = yesLabel || 'Yes';
    yes.className = 'btn ' + (danger ? 'btn-primary btn-danger-primary' : 'btn-primary');
    confirmReturnFocus = document.activeElement;
    box.hidden = false;
    yes.focus();
    return new Promise(function (resolve) {
      pendingConfirm = function (answer) {
        pendingConfirm = null;
        box.hidden = true;
        if (confirmReturnFocus && typeof confirmReturnFocus.focus === 'function' && document.contains(confirmReturnFocus)) {
          try { confirmReturnFocus.focus(); } catch (e) { /* ignore */ }
        }
        resolve(answer);
      };
    });
  }
  function answerConfirm(answer) { if (pendingConfirm) pendingConfirm(answer); }

  // ------------------------------------------------------------------ views
  function showSignIn(message, kind) {
    $('#console').hidden = true;
    $('#sign-in-view').hidden = false;
    $('#sign-out').hidden = true;
    $('#refresh').hidden = true;
    $('#updated').textContent = '';
    clearError();
    setFormMessage($('#sign-in-message'), message, kind);
    var t = $('#token');
    t.value = '';
    t.focus();
  }
  function showConsole() {
    $('#sign-in-view').hidden = true;
    $('#console').hidden = false;
    $('#sign-out').hidden = false;
    $('#refresh').hidden = false;
    setFormMessage($('#sign-in-message'), null);
  }

  function resetData() {
    state.jobs = [];
    state.enterprises = [];
    state.entByCorp = new Map();
    state.cluster = [];
    state.historyCorp = null;
    state.historyLoaded = false;
    state.runs = [];
    state.rowMessages = new Map();
    state.busy = new Map();
    state.lastOk = null;
    state.recentRuns = [];
    state.runsByCorp = new Map();
    state.miniapps = [];
    state.appById = new Map();
    state.alerts = [];
    state.events = [];
    state.eventsCorp = '';
    $('#events-corp').value = '';
    $('#events-corp')._sig = null;
    ['#jobs tbody', '#history tbody', '#cluster tbody', '#enterprises tbody', '#miniapps tbody', '#alerts tbody', '#events tbody'].forEach(function (s) {
      var tb = $(s);
      while (tb.firstChild) tb.removeChild(tb.firstChild);
    });
    $('#history-corp').value = '';
    $('#history-corp')._sig = null;
    newEnterpriseForm(true);
    newAppForm(true);
    VIEWS.forEach(function (view) { view.reset(); });
  }

  function signOut(message, kind) {
    state.signedIn = false;
    state.generation++;
    if (state.timer) { clearTimeout(state.timer); state.timer = null; }
    clearToken();
    answerConfirm(false);
    resetData();
    showSignIn(message, kind);
  }

  function signIn(token) {
    token = (token || '').trim();
    var msgEl = $('#sign-in-message');
    if (!token) { setFormMessage(msgEl, 'Enter the admin token.', 'error'); return Promise.resolve(); }
    var btn = $('#sign-in');
    btn.disabled = true;
    setFormMessage(msgEl, 'Signing in…', 'info');
    setToken(token);
    var gen = ++state.generation;
    return api('GET', '/enterprises').then(function () {
      if (gen !== state.generation) return;
      startSession();
    }, function (e) {
      if (gen !== state.generation) return;
      clearToken();
      if (isUnauthorized(e)) $('#token').value = '';   // a rejected token is cleared, ready for the next try
      if (isUnauthorized(e)) setFormMessage(msgEl, 'That token was not accepted (401 unauthorized). Check ORGSYNC_ADMIN_TOKEN of this node.', 'error');
      else if (isAdminDisabled(e)) setFormMessage(msgEl, MSG_DISABLED, 'error');
      else setFormMessage(msgEl, 'Could not sign in: ' + errText(e), 'error');
      $('#token').focus();
    }).then(function () { btn.disabled = false; });
  }

  function startSession() {
    state.signedIn = true;
    $('#token').value = '';
    showConsole();
    refreshNow();
  }

  // ------------------------------------------------------------------ refresh loop
  function schedule() {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    if (state.signedIn) state.timer = setTimeout(refreshNow, REFRESH_MS);
  }

  /** Refresh now; if a refresh is under way, run one more right after it. */
  function refreshNow() {
    if (!state.signedIn) return Promise.resolve();
    if (state.inFlight) { state.again = true; return state.inFlight; }
    if (state.timer) { clearTimeout(state.timer); state.timer = null; }
    var loop = function () {
      state.again = false;
      return refresh().catch(function (e) {
        showError('The console failed to show the data: ' + errText(e));
      }).then(function () {
        if (state.again && state.signedIn) return loop();
      });
    };
    state.inFlight = loop().then(function () {
      state.inFlight = null;
      schedule();
    });
    return state.inFlight;
  }

  function refresh() {
    var gen = state.generation;
    var corp = state.historyCorp;
    loadHealth();
    var parts = [
      { name: 'jobs', p: api('GET', '/jobs') },
      { name: 'enterprises', p: api('GET', '/enterprises') },
      { name: 'cluster', p: api('GET', '/cluster') }
    ];
    if (corp) parts.push({ name: 'history', p: api('GET', '/runs?corpId=' + enc(corp) + '&limit=' + HISTORY_LIMIT) });
    PANELS.forEach(function (panel) { parts.push({ name: panel.name, p: api('GET', panel.path()), panel: panel }); });
    return Promise.all(parts.map(function (part) {
      return part.p.then(function (v) { return { ok: true, value: v }; }, function (e) { return { ok: false, error: e }; });
    })).then(function (results) {
      if (gen !== state.generation || !state.signedIn) return;
      for (var i = 0; i < results.length; i++) {
        if (!results[i].ok && handleAuthError(results[i].error)) return;
      }
      var failures = [];
      results.forEach(function (r, i) {
        var name = parts[i].name;
        var panel = parts[i].panel;
        if (!r.ok) {
          // a route this node's build does not serve (a feature not in it): the panel says so, nothing failed
          if (panel && panel.absent && r.error instanceof ApiError && r.error.status === 404 && r.error.code === 'not_found') panel.absent();
          else failures.push(name + ': ' + errText(r.error));
          return;
        }
        var list = Array.isArray(r.value) ? r.value : panel && panel.pick ? panel.pick(r.value) : null;
        if (!list) { failures.push(name + ': unexpected answer (not a JSON array)'); return; }
        if (name === 'jobs') state.jobs = list;
        else if (name === 'enterprises') {
          state.enterprises = list;
          state.entByCorp = new Map(list.map(function (e) { return [e.corpId, e]; }));
        } else if (name === 'cluster') state.cluster = list;
        else if (name === 'history' && corp === state.historyCorp) {
          state.runs = list;
          state.historyLoaded = true;
        } else if (panel) panel.apply(list);
      });
      renderAll();
      if (failures.length === 0) {
        state.lastOk = new Date();
        $('#updated').textContent = 'updated ' + clock(state.lastOk);
        clearError();
      } else {
        showError('Refresh failed at ' + clock(new Date()) + ': ' + failures.join('; ') +
          '. Showing older data' + (state.lastOk ? ' from ' + clock(state.lastOk) : '') + '; retrying every ' + (REFRESH_MS / 1000) + ' s.');
      }
    });
  }

  function loadHealth() {
    return request(HEALTH_URL, 'GET', undefined, false).then(function (data) {
      state.health = data && typeof data === 'object' ? data : null;
      renderHeader();
    }, function (e) {
      // 503 DOWN still carries the body
      if (e instanceof ApiError && e.data && typeof e.data === 'object') state.health = e.data;
      else state.health = { status: 'UNREACHABLE' };
      renderHeader();
    });
  }

  // ------------------------------------------------------------------ rendering: header
  function selfNode() {
    var id = state.health && state.health.scheduler && state.health.scheduler.instanceId;
    if (!id) return null;
    for (var i = 0; i < state.cluster.length; i++) if (state.cluster[i].instanceId === id) return state.cluster[i];
    return null;
  }

  function renderHeader() {
    var hl = state.health || {};
    var sch = hl.scheduler || {};
    var envEl = $('#env');
    envEl.textContent = sch.env ? String(sch.env) : 'env ?';
    $('#node').textContent = sch.instanceId ? String(sch.instanceId) : '?';
    $('#version').textContent = hl.version ? String(hl.version) : '?';

    var healthEl = $('#health');
    var status = hl.status ? String(hl.status) : '?';
    var db = hl.db;
    var dbText = db === undefined || db === null ? '' :
      (typeof db === 'object' ? (db.status || db.state || '') : String(db));
    healthEl.textContent = 'health ' + status + (dbText ? ' · db ' + dbText : '');
    healthEl.className = 'badge ' + (status === 'UP' ? 'badge-ok' : status === '?' ? 'badge-muted' : 'badge-err');

    var self = selfNode();
    var schEl = $('#scheduler-state');
    if (self && self.fenced) { schEl.textContent = 'scheduler fenced'; schEl.className = 'badge badge-fenced'; }
    else if (sch.enabled === false) { schEl.textContent = 'scheduler disabled'; schEl.className = 'badge badge-muted'; }
    else if (sch.enabled === true && sch.started === true) { schEl.textContent = 'scheduler running'; schEl.className = 'badge badge-ok'; }
    else if (sch.enabled === true) { schEl.textContent = 'scheduler not started'; schEl.className = 'badge badge-warn'; }
    else { schEl.textContent = 'scheduler ?'; schEl.className = 'badge badge-muted'; }
    $('#read-only').hidden = !(self && self.readOnly);

    var tz = '';
    try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { tz = ''; }
    $('#updated').title = 'Times are shown in your local time' + (tz ? ' (' + tz + ')' : '') + '; hover a time for UTC.';

    document.title = 'orgsync console' + (sch.env ? ' · ' + sch.env : '') + (sch.instanceId ? ' · ' + sch.instanceId : '');
  }

  function renderAll() {
    renderHeader();
    renderJobs();
    renderHistorySelect();
    renderHistory();
    renderCluster();
    renderEnterprises();
    PANELS.forEach(function (panel) { if (panel.render) panel.render(); });
    VIEWS.forEach(function (view) { view.render(); });
  }

  /**
   * Views in files of their own (org.js: the organisation), told when the data is drawn and when
   * the session ends; they read what they need through window.orgsyncConsole.
   */
  var VIEWS = [];

  // ------------------------------------------------------------------ panels
  /**
   * Data read on every refresh besides jobs, enterprises, the cluster and the open history: the
   * admin route of each, what to keep of its answer (a JSON array, or what pick finds in an
   * object), and what to draw. A new panel (the events, say) is one more entry and its render
   * function; one in a file of its own comes through window.orgsyncConsole.addPanel, and its
   * absent() is called instead of a failure when the node answers its route 404.
   */
  var PANELS = [
    { name: 'recent runs', path: function () { return '/runs?limit=' + RECENT_RUNS_LIMIT; }, apply: setRecentRuns, render: null },
    { name: 'mini-programs', path: function () { return '/miniapps'; }, apply: setMiniApps, render: renderMiniApps },
    { name: 'alerts', path: function () { return '/alerts?limit=' + ALERTS_LIMIT; }, apply: function (list) { state.alerts = list; },
      render: renderAlerts },
    { name: 'events', path: function () { return '/events?corpId=' + enc(state.eventsCorp) + '&limit=' + EVENTS_LIMIT; },
      apply: function (list) { state.events = list; }, render: renderEvents }
  ];

  function setRecentRuns(list) {
    state.recentRuns = list;
    var by = new Map();
    list.forEach(function (r) {
      var l = by.get(r.corpId);
      if (!l) { l = []; by.set(r.corpId, l); }
      l.push(r);
    });
    state.runsByCorp = by;
  }
  function setMiniApps(list) {
    state.miniapps = list;
    state.appById = new Map(list.map(function (a) { return [a.appId, a]; }));
  }

  // ------------------------------------------------------------------ rendering: jobs
  function rowMessage(corpId) {
    var m = state.rowMessages.get(corpId);
    if (!m) return null;
    if (m.until < Date.now()) { state.rowMessages.delete(corpId); return null; }
    return m;
  }
  function setRowMessage(corpId, text, kind) {
    if (!text) state.rowMessages.delete(corpId);
    else state.rowMessages.set(corpId, { text: text, kind: kind, until: Date.now() + (kind === 'error' ? 120000 : 10000) });
  }

  function createJobRow(corpId) {
    var tr = h('tr');
    var c = {
      enterprise: h('td', { 'data-testid': 'enterprise' }),
      state: h('td', { 'data-testid': 'state' }),
      cron: h('td', { 'data-testid': 'cron', className: 'mono nowrap' }),
      next: h('td', { 'data-testid': 'next-fire', className: 'nowrap' }),
      prev: h('td', { 'data-testid': 'previous-fire', className: 'nowrap' }),
      last: h('td', { 'data-testid': 'last-run' }),
      chart: h('td', { 'data-testid': 'run-chart', className: 'chart-cell' }),
      actions: h('td', { className: 'actions', 'data-testid': 'actions' })
    };
    var pause = h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'pause', text: 'Pause',
      title: 'Stop scheduling this job (a run in progress is not interrupted)',
      onclick: function () { jobAction(corpId, 'pause', false); } });
    var resume = h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'resume', text: 'Resume',
      title: 'Schedule this job again', onclick: function () { jobAction(corpId, 'resume', false); } });
    var trigger = h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'trigger', text: 'Trigger',
      title: 'Run a sync now', onclick: function () { jobAction(corpId, 'trigger', false); } });
    var msg = h('span', { className: 'row-message', 'data-testid': 'row-message', role: 'status' });
    c.actions.append(pause, resume, trigger, msg);
    tr._c = c;
    tr._b = { pause: pause, resume: resume, trigger: trigger };
    tr._msg = msg;
    tr.append(c.enterprise, c.state, c.cron, c.next, c.prev, c.last, c.chart, c.actions);
    c.enterprise.addEventListener('click', function (ev) {
      var t = ev.target;
      while (t && t !== c.enterprise) {
        if (t.getAttribute && t.getAttribute('data-action') === 'history') { openHistory(corpId, true); return; }
        t = t.parentNode;
      }
    });
    return tr;
  }

  function lastRunNodes(run) {
    if (!run) return h('span', { className: 'muted', text: 'never' });
    var started = parseTime(run.startedAt);
    var finished = parseTime(run.finishedAt);
    var line1 = [runBadge(run.status), ' '];
    if (started) {
      line1.push(h('span', { title: fullLocal(started) + ' local · ' + started.toISOString() + ' UTC', text: relative(started) }));
    }
    var dur = started ? ((finished ? finished.getTime() : Date.now()) - started.getTime()) : null;
    if (dur !== null) line1.push(h('span', { className: 'muted', text: ' · ' + duration(dur) + (finished ? '' : ' so far') }));
    var counts = '+' + num(run.membersAdded) + ' ~' + num(run.membersUpdated) + ' −' + num(run.membersRemoved) +
      ' · ' + num(run.departments) + ' depts · ' + num(run.upstreamCalls) + ' calls';
    var out = [h('span', { className: 'nowrap' }, line1),
      h('span', { className: 'sub', title: 'members added ~updated −removed · departments · upstream calls', text: counts })];
    if (run.error) out.push(h('span', { className: 'err-text', title: String(run.error), text: truncate(run.error, 160) }));
    return out;
  }
  function lastRunSig(run) {
    if (!run) return 'none';
    var started = parseTime(run.startedAt);
    return [run.id, run.status, run.startedAt, run.finishedAt, started ? relative(started) : '', run.finishedAt ? '' : Math.floor(Date.now() / 1000),
      run.membersAdded, run.membersUpdated, run.membersRemoved, run.departments, run.upstreamCalls, run.error].join('|');
  }

  function updateJobRow(tr, job) {
    var c = tr._c;
    var corpId = job.corpId;
    var ent = state.entByCorp.get(corpId);
    var name = ent && ent.name ? String(ent.name) : '';
    var st = String(job.state || '?');
    tr.setAttribute('data-state', st);
    tr.className = 'state-' + st.replace(/[^A-Z_]/g, '') + (state.historyCorp === corpId ? ' selected' : '');

    setCell(c.enterprise, corpId + '|' + name, function () {
      return h('button', { type: 'button', className: 'linklike', 'data-action': 'history', title: 'Show run history' },
        h('span', { className: 'corp-id', text: corpId }),
        name ? h('span', { className: 'sub', text: name }) : null);
    });
    setCell(c.state, st, function () { return jobBadge(st); });
    setCell(c.cron, String(job.cron || ''), function () { return job.cron ? String(job.cron) : h('span', { className: 'muted', text: '—' }); });
    setCell(c.next, timeSig(job.nextFireTime) + '|' + st, function () {
      var nodes = timeNodes(job.nextFireTime, st === 'PAUSED' ? 'paused' : '—');
      if (st === 'PAUSED' && parseTime(job.nextFireTime)) return h('span', { className: 'muted', title: 'paused: it will not fire until resumed' }, nodes);
      return nodes;
    });
    setCell(c.prev, timeSig(job.previousFireTime), function () { return timeNodes(job.previousFireTime, 'never'); });
    setCell(c.last, lastRunSig(job.lastRun), function () { return lastRunNodes(job.lastRun); });
    var recent = oldestFirst(state.runsByCorp.get(corpId), SPARK_RUNS);
    setCell(c.chart, chartSig(recent), function () {
      return [runChart(recent, { width: 168, height: 30, slots: SPARK_RUNS, testid: 'run-chart' }),
        h('span', { className: 'sub', 'data-testid': 'run-summary', text: runSummary(recent) })];
    });

    var paused = st === 'PAUSED';
    tr._b.pause.classList.toggle('muted-btn', paused);
    tr._b.resume.classList.toggle('suggested', paused);
    tr._b.resume.classList.toggle('muted-btn', !paused && st !== 'ERROR');
    var busy = (state.busy.get(corpId) || 0) > 0;
    ['pause', 'resume', 'trigger'].forEach(function (k) {
      tr._b[k].classList.toggle('busy', busy);
      tr._b[k].setAttribute('aria-busy', busy ? 'true' : 'false');
    });
    var m = rowMessage(corpId);
    var msgText = m ? m.text : '';
    if (tr._msg.textContent !== msgText) tr._msg.textContent = msgText;
    tr._msg.className = 'row-message' + (m ? ' ' + m.kind : '');
  }

  function renderJobs() {
    var tbody = $('#jobs tbody');
    reconcile(tbody, state.jobs, function (j) { return j.corpId; }, 'data-corp', createJobRow, updateJobRow);
    $('#jobs-empty').hidden = state.jobs.length > 0;
    var counts = {};
    state.jobs.forEach(function (j) { counts[j.state] = (counts[j.state] || 0) + 1; });
    var parts = [state.jobs.length + (state.jobs.length === 1 ? ' job' : ' jobs')];
    ['RUNNING', 'PAUSED', 'ERROR'].forEach(function (s) { if (counts[s]) parts.push(counts[s] + ' ' + s.toLowerCase()); });
    $('#jobs-count').textContent = parts.join(' · ');
  }

  function findJob(corpId) {
    for (var i = 0; i < state.jobs.length; i++) if (state.jobs[i].corpId === corpId) return state.jobs[i];
    return null;
  }
  function entLabel(corpId) {
    var ent = state.entByCorp.get(corpId);
    return ent && ent.name ? corpId + ' (' + ent.name + ')' : corpId;
  }

  function busyInc(corpId, d) {
    var n = (state.busy.get(corpId) || 0) + d;
    if (n > 0) state.busy.set(corpId, n); else state.busy.delete(corpId);
  }

  var DONE = { pause: 'Paused', resume: 'Resumed', trigger: 'Triggered' };

  function confirmForcedTrigger(corpId) {
    return confirmDialog('Trigger a paused job?',
      'The job of ' + entLabel(corpId) + ' is paused. Run one sync now anyway? The schedule stays paused.',
      'Trigger anyway');
  }

  function jobAction(corpId, action, force) {
    var gen = state.generation;
    var pre = Promise.resolve(!!force);
    if (action === 'trigger' && !force) {
      var job = findJob(corpId);
      if (job && job.state === 'PAUSED') pre = confirmForcedTrigger(corpId).then(function (yes) { return yes ? true : null; });
    }
    return pre.then(function (forced) {
      if (forced === null || gen !== state.generation) return;   // cancelled
      var offerForce = false;
      busyInc(corpId, 1);
      setRowMessage(corpId, null);
      renderJobs();
      var path = '/jobs/' + enc(corpId) + '/' + action + (forced ? '?force=true' : '');
      return api('POST', path).then(function (res) {
        if (gen !== state.generation) return;
        if (res && typeof res === 'object' && res.corpId === corpId && res.state) {
          state.jobs = state.jobs.map(function (j) { return j.corpId === corpId ? res : j; });
        }
        setRowMessage(corpId, DONE[action] + (forced ? ' (forced)' : '') + '.', 'ok');
        notify(DONE[action] + ' ' + entLabel(corpId) + (forced ? ' (forced)' : '') + '.', 'ok');
      }, function (e) {
        if (gen !== state.generation) return;
        if (handleAuthError(e)) return;
        var fail = function () {
          setRowMessage(corpId, e.message + (e.status ? ' (' + e.status + ')' : ''), 'error');
          notify(entLabel(corpId) + ': ' + errText(e), 'error');
        };
        if (action === 'trigger' && !forced && e.status === 409) {
          // Maybe the job was paused since the last refresh: look again, and offer to force it.
          return api('GET', '/jobs').then(function (list) {
            if (gen !== state.generation) return;
            if (Array.isArray(list)) state.jobs = list;
            var j = findJob(corpId);
            if (j && j.state === 'PAUSED') offerForce = true; else fail();
          }, fail);
        }
        fail();
      }).then(function () {
        busyInc(corpId, -1);
        if (gen !== state.generation) return;
        renderJobs();
        refreshNow();
        if (offerForce) {
          return confirmForcedTrigger(corpId).then(function (yes) {
            if (yes) return jobAction(corpId, 'trigger', true);
            setRowMessage(corpId, 'Not triggered: the job is paused.', 'error');
            renderJobs();
          });
        }
      });
    });
  }

  function schedulerAction(which) {
    var pause = which === 'pause-all';
    var env = state.health && state.health.scheduler && state.health.scheduler.env;
    var envText = env ? ' of environment "' + env + '"' : '';
    var text = pause
      ? 'Pause every job' + envText + '? No sync starts until the jobs are resumed; runs in progress are not interrupted.'
      : 'Resume every job' + envText + '? Jobs paused one by one are resumed too.';
    var gen = state.generation;
    return confirmDialog(pause ? 'Pause all jobs?' : 'Resume all jobs?', text, pause ? 'Pause all' : 'Resume all', pause)
      .then(function (yes) {
        if (!yes || gen !== state.generation) return;
        var btn = $('#' + which);
        btn.disabled = true;
        return api('POST', '/scheduler/' + which).then(function () {
          notify(pause ? 'All jobs paused.' : 'All jobs resumed.', 'ok');
        }, function (e) {
          if (handleAuthError(e)) return;
          notify((pause ? 'Pause all failed: ' : 'Resume all failed: ') + errText(e), 'error');
        }).then(function () {
          btn.disabled = false;
          if (gen === state.generation) refreshNow();
        });
      });
  }

  // ------------------------------------------------------------------ rendering: history
  function allCorpIds() {
    var ids = [];
    var seen = new Set();
    state.enterprises.forEach(function (e) { if (!seen.has(e.corpId)) { seen.add(e.corpId); ids.push(e.corpId); } });
    state.jobs.forEach(function (j) { if (!seen.has(j.corpId)) { seen.add(j.corpId); ids.push(j.corpId); } });
    if (state.historyCorp && !seen.has(state.historyCorp)) ids.push(state.historyCorp);
    return ids;
  }

  function renderHistorySelect() {
    var sel = $('#history-corp');
    var ids = allCorpIds();
    var sig = ids.map(function (id) { return id + '\u0001' + entLabel(id); }).join('\u0002');
    if (sel._sig !== sig) {
      sel._sig = sig;
      while (sel.options.length > 1) sel.remove(1);
      ids.forEach(function (id) { sel.add(h('option', { value: id, text: entLabel(id) })); });
    }
    var want = state.historyCorp || '';
    if (sel.value !== want) sel.value = want;
  }

  function createRunRow() {
    var tr = h('tr');
    var c = {
      status: h('td', { 'data-testid': 'status' }),
      instance: h('td', { 'data-testid': 'instance', className: 'mono' }),
      started: h('td', { 'data-testid': 'started', className: 'nowrap' }),
      duration: h('td', { 'data-testid': 'duration', className: 'nowrap' }),
      departments: h('td', { 'data-testid': 'departments', className: 'num' }),
      added: h('td', { 'data-testid': 'added', className: 'num' }),
      updated: h('td', { 'data-testid': 'updated', className: 'num' }),
      removed: h('td', { 'data-testid': 'removed', className: 'num' }),
      calls: h('td', { 'data-testid': 'upstream-calls', className: 'num' }),
      error: h('td', { 'data-testid': 'error' })
    };
    tr._c = c;
    tr.append(c.status, c.instance, c.started, c.duration, c.departments, c.added, c.updated, c.removed, c.calls, c.error);
    return tr;
  }
  function updateRunRow(tr, run) {
    var c = tr._c;
    var status = String(run.status || '?');
    tr.setAttribute('data-status', status);
    setCell(c.status, status, function () { return runBadge(status); });
    setCell(c.instance, String(run.instanceId || ''), function () { return run.instanceId ? String(run.instanceId) : '—'; });
    setCell(c.started, timeSig(run.startedAt), function () { return timeNodes(run.startedAt); });
    var s = parseTime(run.startedAt), f = parseTime(run.finishedAt);
    var durText = s ? duration((f ? f.getTime() : Date.now()) - s.getTime()) + (f ? '' : (status === 'RUNNING' ? ' so far' : '')) : '—';
    setCell(c.duration, durText, function () { return durText; });
    [['departments', 'departments'], ['added', 'membersAdded'], ['updated', 'membersUpdated'], ['removed', 'membersRemoved'], ['calls', 'upstreamCalls']]
      .forEach(function (p) { var v = num(run[p[1]]); setCell(c[p[0]], v, function () { return v; }); });
    var err = run.error ? String(run.error) : '';
    setCell(c.error, err, function () { return err; });
  }

  function renderHistory() {
    var tbody = $('#history tbody');
    var corp = state.historyCorp;
    var empty = $('#history-empty');
    $('#history-close').hidden = !corp;
    if (!corp) {
      reconcile(tbody, [], null, 'data-run-id', createRunRow, updateRunRow);
      $('#history-chart-wrap').hidden = true;
      $('#history-title').textContent = '';
      empty.textContent = 'Click an enterprise in the Jobs or Enterprises table to see its last ' + HISTORY_LIMIT + ' runs.';
      empty.hidden = false;
      return;
    }
    var runs = state.historyLoaded ? state.runs : [];
    reconcile(tbody, runs, function (r) { return r.id; }, 'data-run-id', createRunRow, updateRunRow);
    var chartRuns = oldestFirst(runs, HISTORY_LIMIT);
    $('#history-chart-wrap').hidden = chartRuns.length === 0;
    setCell($('#history-chart'), corp + '|' + chartSig(chartRuns), function () {
      // as wide as the card, one slot per run of the history, the newest at the right as in the job rows
      var width = Math.max(480, Math.min(1300, $('#history-chart').clientWidth || 960));
      return runChart(chartRuns, { width: width, height: 120, slots: HISTORY_LIMIT, testid: 'history-run-chart', axis: true });
    });
    if (!state.historyLoaded) {
      $('#history-title').textContent = '';
      empty.textContent = 'Loading the runs of ' + entLabel(corp) + '…';
      empty.hidden = false;
    } else {
      var failed = runs.filter(function (r) { return r.status === 'FAILED' || r.status === 'REFUSED' || r.status === 'ABANDONED'; }).length;
      $('#history-title').textContent = runs.length + (runs.length === 1 ? ' run' : ' runs') + ' (newest first, at most ' + HISTORY_LIMIT + ')' +
        (failed ? ' · ' + failed + ' not succeeded' : '');
      empty.textContent = 'No runs yet for ' + entLabel(corp) + '.';
      empty.hidden = runs.length > 0;
    }
  }

  function openHistory(corpId, scroll) {
    if (!corpId) { closeHistory(); return; }
    if (state.historyCorp !== corpId) {
      state.historyCorp = corpId;
      state.historyLoaded = false;
      state.runs = [];
    }
    renderHistorySelect();
    renderHistory();
    renderJobs();
    renderEnterprises();
    if (scroll) {
      var sec = $('#history-section');
      if (sec.scrollIntoView) sec.scrollIntoView({ block: 'start' });
    }
    refreshNow();
  }
  function closeHistory() {
    state.historyCorp = null;
    state.historyLoaded = false;
    state.runs = [];
    renderHistorySelect();
    renderHistory();
    renderJobs();
    renderEnterprises();
  }

  // ------------------------------------------------------------------ rendering: cluster
  function createNodeRow() {
    var tr = h('tr');
    var c = {
      instance: h('td', { 'data-testid': 'instance', className: 'mono' }),
      status: h('td', { 'data-testid': 'status', className: 'nowrap' }),
      env: h('td', { 'data-testid': 'env' }),
      version: h('td', { 'data-testid': 'version', className: 'mono' }),
      scheduler: h('td', { 'data-testid': 'scheduler' }),
      readOnly: h('td', { 'data-testid': 'read-only' }),
      lastSeen: h('td', { 'data-testid': 'last-seen', className: 'nowrap' })
    };
    tr._c = c;
    tr.append(c.instance, c.status, c.env, c.version, c.scheduler, c.readOnly, c.lastSeen);
    return tr;
  }
  function updateNodeRow(tr, node) {
    var c = tr._c;
    var alive = node.alive !== false;
    var fenced = node.fenced === true;
    var selfId = state.health && state.health.scheduler && state.health.scheduler.instanceId;
    var self = selfId && selfId === node.instanceId;
    tr.setAttribute('data-alive', alive ? 'true' : 'false');
    tr.setAttribute('data-fenced', fenced ? 'true' : 'false');
    tr.className = (alive ? 'alive' : 'dead') + (fenced ? ' fenced' : '') + (self ? ' self' : '');
    setCell(c.instance, String(node.instanceId), function () { return String(node.instanceId); });
    setCell(c.status, [alive, fenced, self].join('|'), function () {
      return [
        alive ? badge('alive', 'badge-ok') : badge('dead', 'badge-dead', 'No heartbeat: the node is gone or unreachable'),
        fenced ? [' ', badge('fenced', 'badge-fenced', 'Its build is older than a live node\'s in this environment: it takes no jobs')] : null,
        self ? [' ', badge('this node', 'badge-self')] : null
      ];
    });
    var env = node.env === undefined || node.env === null ? '—' : String(node.env);
    setCell(c.env, env, function () { return env; });
    var ver = node.version === undefined || node.version === null ? '—' : String(node.version);
    setCell(c.version, ver, function () { return ver; });
    var se = node.schedulerEnabled;
    setCell(c.scheduler, String(se), function () {
      return se === true ? badge('enabled', 'badge-ok') : se === false ? badge('disabled', 'badge-muted') : '—';
    });
    var ro = node.readOnly;
    setCell(c.readOnly, String(ro), function () {
      return ro === true ? badge('read-only', 'badge-warn') : ro === false ? h('span', { className: 'muted', text: 'no' }) : '—';
    });
    setCell(c.lastSeen, timeSig(node.lastSeen), function () { return timeNodes(node.lastSeen); });
  }
  function renderCluster() {
    reconcile($('#cluster tbody'), state.cluster, function (n) { return n.instanceId; }, 'data-instance', createNodeRow, updateNodeRow);
    $('#cluster-empty').hidden = state.cluster.length > 0;
    var alive = state.cluster.filter(function (n) { return n.alive !== false; }).length;
    var dead = state.cluster.length - alive;
    var fenced = state.cluster.filter(function (n) { return n.fenced === true; }).length;
    var parts = [state.cluster.length + (state.cluster.length === 1 ? ' node' : ' nodes'), alive + ' alive'];
    if (dead) parts.push(dead + ' dead');
    if (fenced) parts.push(fenced + ' fenced');
    $('#cluster-count').textContent = parts.join(' · ');
  }

  // ------------------------------------------------------------------ rendering: enterprises
  function createEntRow(corpId) {
    var tr = h('tr');
    var c = {
      corp: h('td', { 'data-testid': 'corp-id' }),
      name: h('td', { 'data-testid': 'name' }),
      cron: h('td', { 'data-testid': 'cron', className: 'mono nowrap' }),
      enabled: h('td', { 'data-testid': 'enabled' }),
      reads: h('td', { 'data-testid': 'reads' }),
      agent: h('td', { 'data-testid': 'agent-id', className: 'mono' }),
      updated: h('td', { 'data-testid': 'updated-at', className: 'nowrap' }),
      actions: h('td', { className: 'actions' })
    };
    c.corp.append(h('button', { type: 'button', className: 'linklike corp-id', 'data-action': 'history', title: 'Show run history',
      text: corpId, onclick: function () { openHistory(corpId, true); } }));
    c.actions.append(
      h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'edit', text: 'Edit',
        onclick: function () { editEnterprise(corpId); } }),
      h('button', { type: 'button', className: 'btn btn-small btn-danger', 'data-action': 'delete', text: 'Delete',
        onclick: function () { deleteEnterprise(corpId); } }));
    tr._c = c;
    tr.append(c.corp, c.name, c.cron, c.enabled, c.reads, c.agent, c.updated, c.actions);
    return tr;
  }
  function updateEntRow(tr, ent) {
    var c = tr._c;
    tr.className = (state.editing === ent.corpId ? 'selected' : '') + (state.historyCorp === ent.corpId ? ' selected' : '');
    tr.setAttribute('data-enabled', ent.enabled ? 'true' : 'false');
    var name = ent.name ? String(ent.name) : '';
    setCell(c.name, name, function () { return name || h('span', { className: 'muted', text: '—' }); });
    var cron = ent.cron ? String(ent.cron) : '';
    setCell(c.cron, cron, function () { return cron || h('span', { className: 'muted', text: '—' }); });
    // problem: what keeps it from syncing (a secret this node cannot open), with the fix as the tooltip
    setCell(c.enabled, String(!!ent.enabled) + '|' + (ent.problem || '') + '|' + !!ent.callback, function () {
      var state = ent.enabled ? badge('enabled', 'badge-ok') : badge('disabled', 'badge-muted');
      return [state,
        ent.callback ? [' ', badge('callbacks', 'badge-run-static', 'Contact-change callbacks are on')] : null,
        ent.problem ? [' ', badge('problem', 'badge-err', String(ent.problem))] : null];
    });
    renderReads(c.reads, ent);
    var agent = ent.agentId === null || ent.agentId === undefined ? '' : String(ent.agentId);
    setCell(c.agent, agent, function () { return agent || h('span', { className: 'muted', text: '—' }); });
    var upd = ent.updatedAt || ent.createdAt;
    setCell(c.updated, timeSig(upd), function () { return timeNodes(upd); });
  }
  /** The secrets held and what the set-up read (GET /admin/api/enterprises "secrets", "access"; docs/setups.md). */
  function renderReads(td, ent) {
    var sec = ent.secrets || {};
    var held = [sec.app ? 'app' : null, sec.contactSync ? 'contact-sync' : null].filter(Boolean);
    var a = ent.access || {};
    var checked = a.checkedAt !== null && a.checkedAt !== undefined;
    var parts = !checked ? [] : [
      a.names ? 'names' : 'ids only',
      'mobiles ' + a.mobiles,
      a.complete ? 'every member' : 'members the app sees',
      a.range === 'partial' ? 'partial range' : 'whole range'];
    var sig = held.join('+') + '|' + parts.join('|') + '|' + (a.checkedAt || '');
    td.setAttribute('data-access', checked ? [a.names, a.mobiles, a.complete, a.range].join('|') : '');
    setCell(td, sig, function () {
      return [
        h('span', { className: 'muted', text: (held.length ? held.join(' + ') : 'no secret') + ' secret' + (held.length > 1 ? 's' : '') + ': ' }),
        checked
          ? h('span', { text: parts.join(' · '), title: 'as the sync that applied at ' + a.checkedAt + ' found it' })
          : h('span', { className: 'muted', text: 'not checked yet' })];
    });
  }
  function renderEnterprises() {
    reconcile($('#enterprises tbody'), state.enterprises, function (e) { return e.corpId; }, 'data-enterprise', createEntRow, updateEntRow);
    $('#enterprises-empty').hidden = state.enterprises.length > 0;
    var n = state.enterprises.length;
    var disabled = state.enterprises.filter(function (e) { return !e.enabled; }).length;
    $('#enterprises-count').textContent = n + (n === 1 ? ' enterprise' : ' enterprises') + (disabled ? ' · ' + disabled + ' disabled' : '');
    renderCallback();
  }

  // ------------------------------------------------------------------ callback settings
  /** The box in the enterprise form: shown while an existing enterprise is edited; never touches typed keys. */
  function renderCallback() {
    var box = $('#ent-callback');
    var ent = state.editing ? state.entByCorp.get(state.editing) : null;
    box.hidden = !ent;
    if (!ent) return;
    var st = $('#cb-status');
    st.textContent = ent.callback ? 'on' : 'off';
    st.className = 'badge ' + (ent.callback ? 'badge-ok' : 'badge-muted');
    var url = ent.callbackUrl ? String(ent.callbackUrl) : '';
    if ($('#cb-url').value !== url) $('#cb-url').value = url;
    $('#cb-url-row').hidden = !url;
    $('#cb-url-missing').hidden = !!url;
    $('#cb-off').disabled = !ent.callback;
  }
  function clearCallbackForm() {
    $('#cb-token').value = '';
    $('#cb-aesKey').value = '';
    $('#cb-token').removeAttribute('aria-invalid');
    $('#cb-aesKey').removeAttribute('aria-invalid');
    setFormMessage($('#cb-message'), null);
  }

  function copyCallbackUrl() {
    var input = $('#cb-url');
    var url = input.value;
    var msg = $('#cb-message');
    if (!url) return Promise.resolve();
    var fallback = function () {
      input.focus();
      input.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      setFormMessage(msg, ok ? 'Copied the callback URL.' : 'Selected: press Ctrl+C (⌘C) to copy it.', ok ? 'ok' : 'info');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(url).then(function () {
        setFormMessage(msg, 'Copied the callback URL.', 'ok');
      }, fallback);
    }
    fallback();
    return Promise.resolve();
  }

  function saveCallback() {
    var corpId = state.editing;
    if (!corpId) return Promise.resolve();
    var tokenEl = $('#cb-token'), keyEl = $('#cb-aesKey'), msg = $('#cb-message');
    tokenEl.removeAttribute('aria-invalid');
    keyEl.removeAttribute('aria-invalid');
    var token = tokenEl.value.trim(), aesKey = keyEl.value.trim();
    if (!token || !aesKey) {
      (token ? keyEl : tokenEl).setAttribute('aria-invalid', 'true');
      setFormMessage(msg, 'Enter both the Token and the EncodingAESKey set in WeCom\'s admin page.', 'error');
      (token ? keyEl : tokenEl).focus();
      return Promise.resolve();
    }
    var gen = state.generation;
    var btn = $('#cb-save');
    btn.disabled = true;
    setFormMessage(msg, 'Saving…', 'info');
    return api('PUT', '/enterprises/' + enc(corpId) + '/callback', { token: token, aesKey: aesKey }).then(function (r) {
      if (gen !== state.generation) return;
      tokenEl.value = '';
      keyEl.value = '';
      mergeCallback(corpId, r);
      setFormMessage(msg, 'Callbacks on for ' + corpId + '.' + (r && r.callbackUrl ? ' Paste the URL into WeCom\'s page.' : ''), 'ok');
    }, function (e) {
      if (gen !== state.generation || handleAuthError(e)) return;
      setFormMessage(msg, errText(e), 'error');
      if (e.status === 400) {
        var target = /aes/i.test(String(e.message)) ? keyEl : /token/i.test(String(e.message)) ? tokenEl : null;
        if (target) { target.setAttribute('aria-invalid', 'true'); target.focus({ preventScroll: true }); }
      }
    }).then(function () {
      btn.disabled = false;
      if (gen === state.generation) refreshNow();
    });
  }

  function callbacksOff() {
    var corpId = state.editing;
    if (!corpId) return Promise.resolve();
    var gen = state.generation;
    var msg = $('#cb-message');
    return confirmDialog('Turn callbacks off?', 'Stop accepting contact-change callbacks for ' + entLabel(corpId) +
      '? Its Token and EncodingAESKey are forgotten; scheduled syncs go on.', 'Turn off', true).then(function (yes) {
      if (!yes || gen !== state.generation) return;
      return api('DELETE', '/enterprises/' + enc(corpId) + '/callback').then(function (r) {
        if (gen !== state.generation) return;
        mergeCallback(corpId, r);
        setFormMessage(msg, 'Callbacks off for ' + corpId + '.', 'ok');
      }, function (e) {
        if (gen !== state.generation || handleAuthError(e)) return;
        setFormMessage(msg, errText(e), 'error');
      }).then(function () { if (gen === state.generation) refreshNow(); });
    });
  }
  /** The PUT/DELETE answer carries the listing's callback fields: show them before the next refresh. */
  function mergeCallback(corpId, r) {
    var ent = state.entByCorp.get(corpId);
    if (ent && r && typeof r === 'object') {
      ent.callback = !!r.callback;
      ent.callbackUrl = r.callbackUrl === undefined ? ent.callbackUrl : r.callbackUrl;
    }
    renderEnterprises();
  }

  // ------------------------------------------------------------------ enterprise form
  function formEls() {
    return {
      form: $('#enterprise-form'), title: $('#ent-form-title'), corpId: $('#ent-corpId'), name: $('#ent-name'),
      secret: $('#ent-secret'), contactSecret: $('#ent-contactSecret'), secretHint: $('#ent-secret-hint'),
      cron: $('#ent-cron'), enabled: $('#ent-enabled'),
      agentId: $('#ent-agentId'), save: $('#ent-save'), message: $('#ent-message')
    };
  }
  function clearInvalid(f) {
    [f.corpId, f.name, f.secret, f.contactSecret, f.cron, f.agentId].forEach(function (el) { el.removeAttribute('aria-invalid'); });
  }

  function newEnterpriseForm(keepMessage) {
    var f = formEls();
    state.editing = null;
    f.title.textContent = 'New enterprise';
    f.corpId.readOnly = false;
    f.corpId.value = '';
    f.name.value = '';
    f.secret.value = '';
    f.secret.placeholder = 'the app\'s secret';
    f.contactSecret.value = '';
    f.contactSecret.placeholder = 'the contact-sync secret';
    f.secretHint.textContent = 'Give one or both (see docs/setups.md). Write-only: never shown again.';
    f.cron.value = '';
    f.enabled.checked = true;
    f.agentId.value = '';
    f.save.textContent = 'Create';
    clearInvalid(f);
    clearCallbackForm();
    if (!keepMessage) setFormMessage(f.message, null);
    renderEnterprises();
  }

  function editEnterprise(corpId) {
    var ent = state.entByCorp.get(corpId);
    if (!ent) { notify('Enterprise ' + corpId + ' no longer exists.', 'error'); return; }
    var f = formEls();
    state.editing = corpId;
    f.title.textContent = 'Edit ' + corpId;
    f.corpId.value = corpId;
    f.corpId.readOnly = true;
    f.name.value = ent.name ? String(ent.name) : '';
    f.secret.value = '';   // never pre-filled
    f.secret.placeholder = 'leave empty to keep the current one';
    f.contactSecret.value = '';
    f.contactSecret.placeholder = 'leave empty to keep the current one';
    f.secretHint.textContent = 'Write-only: type a new one only to replace a stored secret.';
    f.cron.value = ent.cron ? String(ent.cron) : '';
    f.enabled.checked = !!ent.enabled;
    f.agentId.value = ent.agentId === null || ent.agentId === undefined ? '' : String(ent.agentId);
    f.save.textContent = 'Save';
    clearInvalid(f);
    clearCallbackForm();
    setFormMessage(f.message, null);
    renderEnterprises();
    if (f.form.scrollIntoView) f.form.scrollIntoView({ block: 'nearest' });
    f.name.focus();
  }

  function submitEnterprise() {
    var f = formEls();
    clearInvalid(f);
    var corpId = f.corpId.value.trim();
    if (!corpId) {
      f.corpId.setAttribute('aria-invalid', 'true');
      setFormMessage(f.message, 'Enter the corp ID (WeCom 企业ID, e.g. ww0123456789abcdef).', 'error');
      f.corpId.focus();
      return Promise.resolve();
    }
    var editing = state.editing === corpId;
    var exists = state.entByCorp.has(corpId);
    var body = {
      name: f.name.value.trim(),
      cron: f.cron.value.trim(),
      enabled: !!f.enabled.checked
    };
    var secret = f.secret.value.trim();
    if (secret) body.secret = secret;   // write-only: omitted means "keep the current one"
    var contactSecret = f.contactSecret.value.trim();
    if (contactSecret) body.contactSecret = contactSecret;
    var agent = f.agentId.value.trim();
    if (agent !== '' && !/^\d{1,15}$/.test(agent)) {
      f.agentId.setAttribute('aria-invalid', 'true');
      setFormMessage(f.message, 'Agent ID must be a number (the AgentId of the WeCom app), or empty.', 'error');
      f.agentId.focus();
      return Promise.resolve();
    }
    // Empty fields are omitted: on an update the server keeps the current value (null = keep).
    if (agent !== '') body.agentId = Number(agent);
    if (body.name === '') delete body.name;
    if (body.cron === '') delete body.cron;

    var gen = state.generation;
    var pre = Promise.resolve(true);
    if (!editing && exists) {
      pre = confirmDialog('Overwrite enterprise?', 'Enterprise ' + entLabel(corpId) + ' already exists. Replace its settings with this form?' +
        (secret || contactSecret ? '' : ' Its secrets are kept.'), 'Overwrite');
    }
    return pre.then(function (yes) {
      if (!yes || gen !== state.generation) return;
      f.save.disabled = true;
      setFormMessage(f.message, 'Saving…', 'info');
      return api('PUT', '/enterprises/' + enc(corpId), body).then(function () {
        if (gen !== state.generation) return;
        newEnterpriseForm(true);
        setFormMessage(f.message, (exists ? 'Saved ' : 'Created ') + corpId + '.' + (exists && (secret || contactSecret) ? ' Secret replaced.' : ''), 'ok');
        notify((exists ? 'Saved enterprise ' : 'Created enterprise ') + corpId + '.', 'ok');
      }, function (e) {
        if (gen !== state.generation) return;
        if (handleAuthError(e)) return;
        setFormMessage(f.message, errText(e), 'error');
        if (e.status === 400) {
          var m = String(e.message || '');
          var target = /cron/i.test(m) ? f.cron : /contactSecret|contact-sync/i.test(m) ? f.contactSecret : /secret/i.test(m) ? f.secret : /agent/i.test(m) ? f.agentId :
            /name/i.test(m) ? f.name : /corp/i.test(m) ? f.corpId : null;
          if (target) { target.setAttribute('aria-invalid', 'true'); target.focus({ preventScroll: true }); }
        }
        if (f.message.scrollIntoView) f.message.scrollIntoView({ block: 'nearest' });
      }).then(function () {
        f.save.disabled = false;
        if (gen === state.generation) refreshNow();
      });
    });
  }

  function deleteEnterprise(corpId) {
    var gen = state.generation;
    return confirmDialog('Delete enterprise?', 'Delete ' + entLabel(corpId) + '? Its job, its run history and all its synced members and departments are removed. This cannot be undone.',
      'Delete', true).then(function (yes) {
      if (!yes || gen !== state.generation) return;
      return api('DELETE', '/enterprises/' + enc(corpId)).then(function () {
        if (gen !== state.generation) return;
        notify('Deleted enterprise ' + corpId + '.', 'ok');
        if (state.editing === corpId) newEnterpriseForm(false);
        if (state.historyCorp === corpId) closeHistory();
        state.rowMessages.delete(corpId);
      }, function (e) {
        if (handleAuthError(e)) return;
        notify('Delete ' + corpId + ' failed: ' + errText(e), 'error');
      }).then(function () {
        if (gen === state.generation) refreshNow();
      });
    });
  }

  // ------------------------------------------------------------------ run charts
  var SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var el = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) el.appendChild(arguments[i]);
    return el;
  }
  function svgText(x, y, text, anchor) {
    var t = svg('text', { x: x, y: y, 'text-anchor': anchor || 'start', 'class': 'chart-label' });
    t.textContent = text;
    return t;
  }
  /** A newest-first list's first n runs, oldest first. */
  function oldestFirst(newestFirst, n) { return (newestFirst || []).slice(0, n).reverse(); }
  function runMs(run) {
    var s = parseTime(run.startedAt), f = parseTime(run.finishedAt);
    if (!s) return 0;
    return Math.max(0, (f ? f.getTime() : Date.now()) - s.getTime());
  }
  function chartSig(runs) {
    return runs.map(function (r) { return r.id + ':' + r.status + ':' + Math.round(runMs(r) / 100); }).join(',');
  }
  function runSummary(runs) {
    if (!runs.length) return 'no runs yet';
    var bad = runs.filter(function (r) { return r.status === 'FAILED' || r.status === 'REFUSED'; }).length;
    var longest = runs.reduce(function (m, r) { return Math.max(m, runMs(r)); }, 0);
    return runs.length + (runs.length === 1 ? ' run' : ' runs') + (bad ? ' · ' + bad + ' failed or refused' : ' · all ok') +
      ' · longest ' + duration(longest);
  }
  /**
   * Runs oldest first as bars in fixed slots (so that bars keep their width as runs accumulate,
   * the newest at the right): height is the duration against the longest shown, colour the
   * outcome; each bar's tooltip says status, start and duration. The scale is the longest run
   * shown, a second at least. With o.axis, the scale and the time span are labelled.
   */
  function runChart(runs, o) {
    var padLeft = o.axis ? 52 : 0, padBottom = o.axis ? 16 : 0, padTop = o.axis ? 6 : 2;
    var w = o.width, hgt = o.height, plotW = w - padLeft, plotH = hgt - padBottom - padTop;
    // at least a second tall: a 30 ms failure must not look like a long run
    var longest = Math.max(1000, runs.reduce(function (m, r) { return Math.max(m, runMs(r)); }, 0));
    var slot = plotW / o.slots, gap = Math.max(1, Math.min(3, slot * 0.2));
    var chart = svg('svg', { width: w, height: hgt, viewBox: '0 0 ' + w + ' ' + hgt, role: 'img', 'class': 'run-chart',
      'data-testid': o.testid, 'aria-label': runSummary(runs) });
    chart.appendChild(svg('line', { x1: padLeft, y1: padTop + plotH + 0.5, x2: w, y2: padTop + plotH + 0.5, 'class': 'chart-axis' }));
    var first = o.slots - runs.length;
    runs.forEach(function (run, i) {
      var ms = runMs(run);
      var bh = Math.max(3, Math.round(ms / longest * plotH));
      var started = parseTime(run.startedAt);
      var bar = svg('rect', { x: (padLeft + (first + i) * slot + gap / 2).toFixed(1), y: padTop + plotH - bh,
        width: Math.max(1, slot - gap).toFixed(1), height: bh, rx: 1, 'class': 'run-bar run-' + String(run.status),
        'data-run-id': run.id, 'data-status': run.status, 'data-duration-ms': ms });
      var tip = svg('title');
      tip.textContent = String(run.status) + ' · ' + (started ? fullLocal(started) : '?') + ' · ' + duration(ms) +
        (run.instanceId ? ' · ' + run.instanceId : '') + (run.error ? ' · ' + truncate(run.error, 200) : '');
      bar.appendChild(tip);
      chart.appendChild(bar);
    });
    if (o.axis) {
      chart.appendChild(svgText(padLeft - 6, padTop + 10, duration(longest), 'end'));
      chart.appendChild(svgText(padLeft - 6, padTop + plotH, '0 s', 'end'));
      if (runs.length) {
        var a = parseTime(runs[0].startedAt), b = parseTime(runs[runs.length - 1].startedAt);
        // the oldest run's time left of its bar (when there is room), the newest's at the right edge
        if (a) chart.appendChild(first > 4 ? svgText(padLeft + first * slot - 4, hgt - 3, localTime(a), 'end')
          : svgText(padLeft, hgt - 3, localTime(a)));
        if (b && runs.length > 1) chart.appendChild(svgText(w, hgt - 3, localTime(b), 'end'));
      }
    }
    return chart;
  }

  // ------------------------------------------------------------------ rendering: mini-programs
  function createAppRow(appId) {
    var tr = h('tr');
    var c = {
      id: h('td', { 'data-testid': 'app-id', className: 'mono', text: appId }),
      name: h('td', { 'data-testid': 'name' }),
      mode: h('td', { 'data-testid': 'token-mode' }),
      created: h('td', { 'data-testid': 'created-at', className: 'nowrap' }),
      updated: h('td', { 'data-testid': 'updated-at', className: 'nowrap' }),
      actions: h('td', { className: 'actions' })
    };
    c.actions.append(
      h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'edit', text: 'Edit',
        onclick: function () { editApp(appId); } }),
      h('button', { type: 'button', className: 'btn btn-small btn-danger', 'data-action': 'delete', text: 'Delete',
        onclick: function () { deleteApp(appId); } }));
    tr._c = c;
    tr.append(c.id, c.name, c.mode, c.created, c.updated, c.actions);
    return tr;
  }
  function updateAppRow(tr, app) {
    var c = tr._c;
    tr.className = state.editingApp === app.appId ? 'selected' : '';
    var name = app.name ? String(app.name) : '';
    setCell(c.name, name, function () { return name || h('span', { className: 'muted', text: '—' }); });
    var mode = String(app.tokenMode || '?');
    setCell(c.mode, mode, function () {
      return badge(mode, mode === 'stable' ? 'badge-ok' : 'badge-warn',
        mode === 'classic' ? 'Any other fetch with this secret ends the token after 5 minutes' : 'Shared stable token');
    });
    setCell(c.created, timeSig(app.createdAt), function () { return timeNodes(app.createdAt); });
    setCell(c.updated, timeSig(app.updatedAt), function () { return timeNodes(app.updatedAt); });
  }
  function renderMiniApps() {
    reconcile($('#miniapps tbody'), state.miniapps, function (a) { return a.appId; }, 'data-app', createAppRow, updateAppRow);
    $('#miniapps-empty').hidden = state.miniapps.length > 0;
    var n = state.miniapps.length;
    $('#miniapps-count').textContent = n + (n === 1 ? ' app' : ' apps');
  }

  function appEls() {
    return {
      form: $('#miniapp-form'), title: $('#app-form-title'), appId: $('#app-appId'), name: $('#app-name'),
      secret: $('#app-secret'), secretHint: $('#app-secret-hint'), mode: $('#app-tokenMode'), save: $('#app-save'),
      message: $('#app-message')
    };
  }
  function newAppForm(keepMessage) {
    var f = appEls();
    state.editingApp = null;
    f.title.textContent = 'New mini-program';
    f.appId.readOnly = false;
    f.appId.value = '';
    f.name.value = '';
    f.secret.value = '';
    f.secret.placeholder = 'required for a new app';
    f.secretHint.textContent = 'Write-only: it is never shown again.';
    f.mode.value = 'stable';
    f.save.textContent = 'Create';
    [f.appId, f.name, f.secret].forEach(function (el) { el.removeAttribute('aria-invalid'); });
    if (!keepMessage) setFormMessage(f.message, null);
    renderMiniApps();
  }
  function editApp(appId) {
    var app = state.appById.get(appId);
    if (!app) { notify('Mini-program ' + appId + ' no longer exists.', 'error'); return; }
    var f = appEls();
    state.editingApp = appId;
    f.title.textContent = 'Edit ' + appId;
    f.appId.value = appId;
    f.appId.readOnly = true;
    f.name.value = app.name ? String(app.name) : '';
    f.secret.value = '';   // never pre-filled
    f.secret.placeholder = 'leave empty to keep the current secret';
    f.secretHint.textContent = 'Write-only: type a new one only to replace the stored secret.';
    f.mode.value = app.tokenMode === 'classic' ? 'classic' : 'stable';
    f.save.textContent = 'Save';
    setFormMessage(f.message, null);
    renderMiniApps();
    if (f.form.scrollIntoView) f.form.scrollIntoView({ block: 'nearest' });
    f.name.focus();
  }
  function submitApp() {
    var f = appEls();
    var appId = f.appId.value.trim();
    if (!appId) {
      f.appId.setAttribute('aria-invalid', 'true');
      setFormMessage(f.message, 'Enter the app ID (the mini-program\'s AppID, e.g. wx0123456789abcdef).', 'error');
      f.appId.focus();
      return Promise.resolve();
    }
    var exists = state.appById.has(appId);
    var body = { tokenMode: f.mode.value };
    var name = f.name.value.trim();
    if (name) body.name = name;
    var secret = f.secret.value.trim();
    if (secret) body.secret = secret;   // write-only: omitted means "keep the current one"
    var gen = state.generation;
    f.save.disabled = true;
    setFormMessage(f.message, 'Saving…', 'info');
    return api('PUT', '/miniapps/' + enc(appId), body).then(function () {
      if (gen !== state.generation) return;
      newAppForm(true);
      setFormMessage(f.message, (exists ? 'Saved ' : 'Created ') + appId + '.' + (exists && secret ? ' Secret replaced.' : ''), 'ok');
      notify((exists ? 'Saved mini-program ' : 'Created mini-program ') + appId + '.', 'ok');
    }, function (e) {
      if (gen !== state.generation || handleAuthError(e)) return;
      setFormMessage(f.message, errText(e), 'error');
      var m = String(e.message || '');
      var target = /secret/i.test(m) ? f.secret : /name/i.test(m) ? f.name : /appId/i.test(m) ? f.appId : null;
      if (target) { target.setAttribute('aria-invalid', 'true'); target.focus({ preventScroll: true }); }
    }).then(function () {
      f.save.disabled = false;
      if (gen === state.generation) refreshNow();
    });
  }
  function deleteApp(appId) {
    var gen = state.generation;
    return confirmDialog('Delete mini-program?', 'Delete ' + appId + '? Its codes are no longer served; other nodes stop serving the ones they cached within 10 minutes.',
      'Delete', true).then(function (yes) {
      if (!yes || gen !== state.generation) return;
      return api('DELETE', '/miniapps/' + enc(appId)).then(function () {
        if (gen !== state.generation) return;
        notify('Deleted mini-program ' + appId + '.', 'ok');
        if (state.editingApp === appId) newAppForm(false);
      }, function (e) {
        if (handleAuthError(e)) return;
        notify('Delete ' + appId + ' failed: ' + errText(e), 'error');
      }).then(function () {
        if (gen === state.generation) refreshNow();
      });
    });
  }

  // ------------------------------------------------------------------ rendering: alerts
  var ALERT_BADGE = { sync_failed: 'badge-err', sync_refused: 'badge-warn', token_invalidated: 'badge-warn', token_stuck: 'badge-err',
    resolve_budget: 'badge-warn', node_fenced: 'badge-fenced', clock_skew: 'badge-warn', upstream_config: 'badge-err',
    job_unschedulable: 'badge-err', subscription_failing: 'badge-err' };
  function createAlertRow() {
    var tr = h('tr');
    var c = {
      type: h('td', { 'data-testid': 'type', className: 'nowrap' }),
      subject: h('td', { 'data-testid': 'subject', className: 'mono' }),
      message: h('td', { 'data-testid': 'message', className: 'alert-message' }),
      last: h('td', { 'data-testid': 'last-at', className: 'nowrap' }),
      first: h('td', { 'data-testid': 'first-at', className: 'nowrap' }),
      count: h('td', { 'data-testid': 'count', className: 'num' }),
      delivered: h('td', { 'data-testid': 'delivered' })
    };
    tr._c = c;
    tr.append(c.type, c.subject, c.message, c.last, c.first, c.count, c.delivered);
    return tr;
  }
  function deliveryNodes(d) {
    d = d || {};
    return ['webhook', 'email'].map(function (sink) {
      var v = d[sink] === null || d[sink] === undefined ? '—' : String(d[sink]);
      var cls = /^ok|^queued/.test(v) ? 'ok' : /^failed/.test(v) ? 'error' : 'muted';
      return h('span', { className: 'sub delivery ' + cls, 'data-sink': sink, text: sink + ': ' + v });
    });
  }
  function updateAlertRow(tr, a) {
    var c = tr._c;
    var type = String(a.type || '?');
    tr.setAttribute('data-type', type);
    setCell(c.type, type, function () { return badge(type, ALERT_BADGE[type] || 'badge-muted'); });
    var subject = a.subject ? String(a.subject) : '';
    setCell(c.subject, subject, function () { return subject || '—'; });
    var msg = a.message ? String(a.message) : '';
    setCell(c.message, msg, function () { return h('span', { title: msg, text: truncate(msg, 300) }); });
    setCell(c.last, timeSig(a.lastAt), function () { return timeNodes(a.lastAt); });
    setCell(c.first, timeSig(a.firstAt), function () { return timeNodes(a.firstAt); });
    var count = num(a.count);
    setCell(c.count, count, function () { return count; });
    var d = a.delivered || {};
    setCell(c.delivered, String(d.webhook) + '|' + String(d.email), function () { return deliveryNodes(d); });
  }
  function renderAlerts() {
    reconcile($('#alerts tbody'), state.alerts, function (a) { return a.type + ' ' + a.subject; }, 'data-alert', createAlertRow, updateAlertRow);
    $('#alerts-empty').hidden = state.alerts.length > 0;
    var n = state.alerts.length;
    $('#alerts-count').textContent = n ? n + (n === 1 ? ' alert' : ' alerts') + ' (most recently raised first, at most ' + ALERTS_LIMIT + ')' : '';
  }

  // ------------------------------------------------------------------ rendering: events
  var EVENT_BADGE = { PENDING: 'badge-warn', APPLIED: 'badge-ok', SKIPPED: 'badge-muted', FAILED: 'badge-err' };
  function createEventRow() {
    var tr = h('tr');
    var c = {
      type: h('td', { 'data-testid': 'change-type', className: 'mono nowrap' }),
      subject: h('td', { 'data-testid': 'subject', className: 'mono' }),
      corp: h('td', { 'data-testid': 'corp-id', className: 'mono' }),
      received: h('td', { 'data-testid': 'received', className: 'nowrap' }),
      applied: h('td', { 'data-testid': 'applied', className: 'nowrap' }),
      status: h('td', { 'data-testid': 'status' }),
      lag: h('td', { 'data-testid': 'lag', className: 'nowrap' }),
      error: h('td', { 'data-testid': 'error', className: 'error-cell' })
    };
    tr._c = c;
    tr.append(c.type, c.subject, c.corp, c.received, c.applied, c.status, c.lag, c.error);
    return tr;
  }
  function updateEventRow(tr, ev) {
    var c = tr._c;
    var status = String(ev.status || '?');
    tr.setAttribute('data-status', status);
    var type = ev.changeType ? String(ev.changeType) : '';
    setCell(c.type, type, function () { return type || h('span', { className: 'muted', text: '—' }); });
    var subject = ev.subject ? String(ev.subject) : '';
    setCell(c.subject, subject, function () { return subject || h('span', { className: 'muted', text: '—' }); });
    var corp = ev.corpId ? String(ev.corpId) : '';
    setCell(c.corp, corp, function () { return corp; });
    setCell(c.received, timeSig(ev.receivedAt), function () { return timeNodes(ev.receivedAt); });
    setCell(c.applied, timeSig(ev.appliedAt), function () { return timeNodes(ev.appliedAt, 'not yet'); });
    var attempts = ev.attempts === null || ev.attempts === undefined ? '' : String(ev.attempts);
    setCell(c.status, status + '|' + attempts, function () {
      return badge(status, EVENT_BADGE[status] || 'badge-muted', attempts ? attempts + (attempts === '1' ? ' attempt' : ' attempts') : undefined);
    });
    var lag = ev.lagMs === null || ev.lagMs === undefined ? null : Number(ev.lagMs);
    setCell(c.lag, String(lag), function () {
      return lag === null ? h('span', { className: 'muted', text: '—' }) : h('span', { title: lag + ' ms after WeCom\'s CreateTime', text: duration(lag) });
    });
    var err = ev.error ? String(ev.error) : '';
    setCell(c.error, err, function () { return err ? h('span', { title: err, text: truncate(err, 300) }) : ''; });
  }
  function renderEventsSelect() {
    var sel = $('#events-corp');
    var ids = allCorpIds();
    var sig = ids.map(function (id) { return id + '\u0001' + entLabel(id); }).join('\u0002');
    if (sel._sig !== sig) {
      sel._sig = sig;
      while (sel.options.length > 1) sel.remove(1);
      ids.forEach(function (id) { sel.add(h('option', { value: id, text: entLabel(id) })); });
    }
    if (sel.value !== state.eventsCorp) sel.value = state.eventsCorp;
  }
  function renderEvents() {
    renderEventsSelect();
    var list = state.events.filter(function (ev) { return !state.eventsCorp || ev.corpId === state.eventsCorp; });
    reconcile($('#events tbody'), list, function (ev) { return ev.id; }, 'data-event-id', createEventRow, updateEventRow);
    $('#events-empty').hidden = list.length > 0;
    var n = list.length;
    var failed = list.filter(function (ev) { return ev.status === 'FAILED'; }).length;
    var pending = list.filter(function (ev) { return ev.status === 'PENDING'; }).length;
    $('#events-count').textContent = n ? n + (n === 1 ? ' event' : ' events') + ' (newest first, at most ' + EVENTS_LIMIT + ')' +
      (pending ? ' · ' + pending + ' pending' : '') + (failed ? ' · ' + failed + ' failed' : '') : '';
  }

  // ------------------------------------------------------------------ wiring
  function init() {
    $('#sign-in-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      signIn($('#token').value);
    });
    $('#sign-out').addEventListener('click', function () { signOut('Signed out.', 'info'); });
    $('#refresh').addEventListener('click', function () { refreshNow(); });
    $('#pause-all').addEventListener('click', function () { schedulerAction('pause-all'); });
    $('#resume-all').addEventListener('click', function () { schedulerAction('resume-all'); });

    $('#confirm-yes').addEventListener('click', function () { answerConfirm(true); });
    $('#confirm-no').addEventListener('click', function () { answerConfirm(false); });
    $('#confirm').addEventListener('click', function (ev) { if (ev.target === ev.currentTarget) answerConfirm(false); });
    document.addEventListener('keydown', function (ev) {
      if (!pendingConfirm) return;
      if (ev.key === 'Escape') { ev.preventDefault(); answerConfirm(false); }
      else if (ev.key === 'Tab') {   // keep focus inside the dialog
        var yes = $('#confirm-yes'), no = $('#confirm-no');
        ev.preventDefault();
        (document.activeElement === yes ? no : yes).focus();
      }
    });

    $('#history-corp').addEventListener('change', function (ev) {
      var v = ev.target.value;
      if (v) openHistory(v, false); else closeHistory();
    });
    $('#history-close').addEventListener('click', closeHistory);
    $('#events-corp').addEventListener('change', function (ev) {
      state.eventsCorp = ev.target.value || '';
      renderEvents();
      refreshNow();
    });
    $('#cb-copy').addEventListener('click', copyCallbackUrl);
    $('#cb-save').addEventListener('click', saveCallback);
    $('#cb-off').addEventListener('click', callbacksOff);
    ['#cb-token', '#cb-aesKey'].forEach(function (sel) {
      // Enter here saves the callback settings, not the enterprise form around them
      $(sel).addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter') { ev.preventDefault(); saveCallback(); }
      });
    });

    $('#enterprise-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      submitEnterprise();
    });
    $('#ent-cancel').addEventListener('click', function () { newEnterpriseForm(false); });
    $('#miniapp-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      submitApp();
    });
    $('#app-cancel').addEventListener('click', function () { newAppForm(false); });
    $('#app-new').addEventListener('click', function () {
      newAppForm(false);
      var f = appEls();
      if (f.form.scrollIntoView) f.form.scrollIntoView({ block: 'nearest' });
      f.appId.focus();
    });
    $('#ent-new').addEventListener('click', function () {
      newEnterpriseForm(false);
      var f = formEls();
      if (f.form.scrollIntoView) f.form.scrollIntoView({ block: 'nearest' });
      f.corpId.focus();
    });

    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && state.signedIn) refreshNow();
    });

    newEnterpriseForm(false);
    newAppForm(false);
    loadHealth();
    if (getToken()) {
      // Resume the session of this tab; a 401 on the first refresh returns to sign-in.
      state.signedIn = true;
      showConsole();
      refreshNow();
    } else {
      showSignIn(null);
    }
  }

  // what the views in other files (org.js) use: the page's helpers, the read API with this session's token
  window.orgsyncConsole = {
    h: h,
    enc: enc,
    setCell: setCell,
    reconcile: reconcile,
    badge: badge,
    timeNodes: timeNodes,
    errText: errText,
    corpIds: allCorpIds,
    corpLabel: entLabel,
    /** GET of a read route (/api/v1/...) with the admin token, which the read routes take; a 401 ends the session. */
    read: function (path) {
      return request(READ_API + path, 'GET', undefined, true).catch(function (e) {
        handleAuthError(e);
        throw e;
      });
    },
    addView: function (view) { VIEWS.push(view); },
    addPanel: function (panel) { PANELS.push(panel); },
    duration: duration,
    truncate: truncate,
    notify: notify,
    formMessage: setFormMessage,
    confirm: confirmDialog,
    refresh: refreshNow,
    generation: function () { return state.generation; },
    /** An admin route (/admin/api/...) with this session's token; a 401 or admin_disabled ends the session. */
    admin: function (method, path, body) {
      return api(method, path, body).catch(function (e) {
        handleAuthError(e);
        throw e;
      });
    }
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
