/*
 * orgsync console: the change feed's subscriptions (docs/feed.md). Each with its state, lag,
 * last delivery and last error; created and edited through the form (the secret the server
 * generates is shown once, right after the create), enabled or disabled, replayed for one
 * enterprise from a sequence number, deleted. Over /admin/api/subscriptions with the console's
 * admin token. Hooks for browser tests are listed in console.js. Server text goes through
 * textContent and attributes only.
 */
(function () {
  'use strict';

  var C = window.orgsyncConsole;
  var h = C.h;
  var enc = C.enc;
  var STATE_BADGE = { active: 'badge-ok', failing: 'badge-err', disabled: 'badge-muted' };
  var TYPE_PREFIX = 'io.orgsync.';

  var subs = {
    list: [],
    byName: new Map(),
    absent: false,
    loaded: false,    // the first answer came: "none" means none
    editing: null     // name being edited, or null for a new subscription
  };

  function $(sel) { return document.querySelector(sel); }
  function muted(text) { return h('span', { className: 'muted', text: text }); }

  // ------------------------------------------------------------------ the table
  function createRow(name) {
    var tr = h('tr');
    var c = {
      name: h('td', { 'data-testid': 'name', className: 'mono', text: name }),
      url: h('td', { 'data-testid': 'url', className: 'mono' }),
      filters: h('td', { 'data-testid': 'filters' }),
      state: h('td', { 'data-testid': 'state' }),
      lag: h('td', { 'data-testid': 'lag', className: 'nowrap' }),
      delivered: h('td', { 'data-testid': 'last-delivered', className: 'nowrap' }),
      error: h('td', { 'data-testid': 'last-error', className: 'error-cell' }),
      actions: h('td', { className: 'actions' })
    };
    c.toggle = h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'disable', text: 'Disable',
      onclick: function () { setEnabled(name, c.toggle.getAttribute('data-action') === 'enable'); } });
    c.actions.append(
      h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'edit', text: 'Edit',
        onclick: function () { edit(name, false); } }),
      c.toggle,
      h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'replay', text: 'Replay',
        title: 'Deliver an enterprise\'s changes again', onclick: function () { edit(name, true); } }),
      h('button', { type: 'button', className: 'btn btn-small btn-danger', 'data-action': 'delete', text: 'Delete',
        onclick: function () { remove(name); } }));
    tr._c = c;
    tr.append(c.name, c.url, c.filters, c.state, c.lag, c.delivered, c.error, c.actions);
    return tr;
  }

  function shortType(t) { return String(t).indexOf(TYPE_PREFIX) === 0 ? String(t).slice(TYPE_PREFIX.length) : String(t); }

  function filterNodes(s) {
    var corps = Array.isArray(s.corpIds) && s.corpIds.length ? s.corpIds.join(', ') : null;
    var types = Array.isArray(s.types) && s.types.length ? s.types.map(shortType).join(', ') : null;
    return [
      h('span', { className: 'sub' + (corps ? '' : ' muted'), 'data-filter': 'corpIds', text: corps || 'all enterprises' }),
      h('span', { className: 'sub' + (types ? '' : ' muted'), 'data-filter': 'types', text: types || 'all types' })
    ];
  }

  function lagText(lag) {
    if (!lag || lag.events === null || lag.events === undefined) return '—';
    var n = Number(lag.events);
    return n + (n === 1 ? ' event' : ' events') + ' · ' + C.duration(Number(lag.seconds || 0) * 1000);
  }

  function updateRow(tr, s) {
    var c = tr._c;
    var st = String(s.state || '?');
    tr.setAttribute('data-state', st);
    tr.className = (subs.editing === s.name ? 'selected ' : '') + (st === 'failing' ? 'failing' : '');
    var url = s.url ? String(s.url) : '';
    C.setCell(c.url, url, function () { return url; });
    var fsig = JSON.stringify([s.corpIds || null, s.types || null]);
    C.setCell(c.filters, fsig, function () { return filterNodes(s); });
    C.setCell(c.state, st, function () {
      return C.badge(st, STATE_BADGE[st] || 'badge-muted',
        st === 'failing' ? 'Gave up after ORGSYNC_FEED_RETRY_HOURS of failed deliveries: enable it to resume' : undefined);
    });
    var lag = lagText(s.lag);
    C.setCell(c.lag, lag, function () { return lag; });
    var d = s.lastDeliveredAt;
    C.setCell(c.delivered, String(d), function () { return C.timeNodes(d, 'never'); });
    var err = s.lastError ? String(s.lastError) : '';
    C.setCell(c.error, err, function () { return err ? h('span', { title: err, text: C.truncate(err, 200) }) : ''; });
    // a failing subscription is resumed by enabling it again
    var resume = s.enabled === false || st === 'failing';
    c.toggle.setAttribute('data-action', resume ? 'enable' : 'disable');
    c.toggle.textContent = resume ? 'Enable' : 'Disable';
    c.toggle.title = st === 'failing' ? 'Resume from where it stopped' : resume ? 'Deliver again' : 'Stop delivering';
  }

  function render() {
    $('#subscriptions-unavailable').hidden = !subs.absent;
    $('#sub-new').disabled = subs.absent;
    C.reconcile($('#subscriptions tbody'), subs.list, function (s) { return s.name; }, 'data-subscription', createRow, updateRow);
    $('#subscriptions-empty').hidden = !subs.loaded || subs.absent || subs.list.length > 0;
    var n = subs.list.length;
    var failing = subs.list.filter(function (s) { return s.state === 'failing'; }).length;
    $('#subscriptions-count').textContent = n ? n + (n === 1 ? ' subscription' : ' subscriptions') + (failing ? ' · ' + failing + ' failing' : '') : '';
    renderReplayCorps();
  }

  function apply(list) {
    subs.loaded = true;
    subs.absent = false;
    subs.list = list;
    subs.byName = new Map(list.map(function (s) { return [s.name, s]; }));
  }

  // ------------------------------------------------------------------ the form
  function els() {
    return {
      form: $('#subscription-form'), title: $('#sub-form-title'), name: $('#sub-name'), url: $('#sub-url'),
      corpIds: $('#sub-corpIds'), startAt: $('#sub-startAt'), startAtLabel: $('#sub-startAt-label'),
      secret: $('#sub-secret-input'), secretHint: $('#sub-secret-hint'), enabled: $('#sub-enabled'),
      save: $('#sub-save'), message: $('#sub-message'), replay: $('#sub-replay')
    };
  }
  function typeBoxes() { return Array.prototype.slice.call(document.querySelectorAll('#sub-types input[type=checkbox]')); }
  function clearInvalid(f) { [f.name, f.url, f.corpIds, f.secret].forEach(function (el) { el.removeAttribute('aria-invalid'); }); }

  function newForm(keepMessage) {
    var f = els();
    subs.editing = null;
    f.title.textContent = 'New subscription';
    f.name.readOnly = false;
    f.name.value = '';
    f.url.value = '';
    f.corpIds.value = '';
    typeBoxes().forEach(function (b) { b.checked = false; });
    f.startAt.value = 'now';
    f.startAt.hidden = false;
    f.startAtLabel.hidden = false;
    f.secret.value = '';
    f.secret.placeholder = 'generated when left empty';
    f.secretHint.textContent = 'Write-only. Left empty on create, one is generated and shown once.';
    f.enabled.checked = true;
    f.save.textContent = 'Create';
    f.replay.hidden = true;
    clearInvalid(f);
    if (!keepMessage) C.formMessage(f.message, null);
    render();
  }

  function edit(name, replay) {
    var s = subs.byName.get(name);
    if (!s) { C.notify('Subscription ' + name + ' no longer exists.', 'error'); return; }
    var f = els();
    subs.editing = name;
    f.title.textContent = 'Edit ' + name;
    f.name.value = name;
    f.name.readOnly = true;
    f.url.value = s.url ? String(s.url) : '';
    f.corpIds.value = Array.isArray(s.corpIds) ? s.corpIds.join(', ') : '';
    var types = Array.isArray(s.types) ? s.types : [];
    typeBoxes().forEach(function (b) { b.checked = types.indexOf(b.value) >= 0; });
    f.startAt.hidden = true;          // taken on create only
    f.startAtLabel.hidden = true;
    f.secret.value = '';              // never pre-filled
    f.secret.placeholder = 'leave empty to keep the current one';
    f.secretHint.textContent = 'Write-only: type a new one only to replace the stored secret.';
    f.enabled.checked = s.enabled !== false;
    f.save.textContent = 'Save';
    f.replay.hidden = false;
    C.formMessage($('#sub-replay-message'), null);
    clearInvalid(f);
    C.formMessage(f.message, null);
    render();
    var target = replay ? f.replay : f.form;
    if (target.scrollIntoView) target.scrollIntoView({ block: 'nearest' });
    (replay ? $('#sub-replay-after') : f.url).focus();
  }

  function listOf(text) {
    return text.split(/[\s,]+/).map(function (x) { return x.trim(); }).filter(function (x) { return x; });
  }

  function submit() {
    var f = els();
    clearInvalid(f);
    var name = f.name.value.trim();
    if (!/^[a-z0-9-]{1,64}$/.test(name)) {
      f.name.setAttribute('aria-invalid', 'true');
      C.formMessage(f.message, 'Enter a name of 1 to 64 lower-case letters, digits and dashes, e.g. crm.', 'error');
      f.name.focus();
      return Promise.resolve();
    }
    var editing = subs.editing === name;
    var exists = subs.byName.has(name);
    var body = { enabled: !!f.enabled.checked };
    var url = f.url.value.trim();
    if (url) body.url = url;
    var corps = listOf(f.corpIds.value);
    body.corpIds = corps.length ? corps : null;
    var types = typeBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    body.types = types.length ? types : null;
    var secret = f.secret.value.trim();
    if (secret) body.secret = secret;   // write-only: omitted means "keep" (or "generate" on create)
    if (!exists) body.startAt = f.startAt.value;
    var gen = C.generation();
    var pre = Promise.resolve(true);
    if (!editing && exists) {
      pre = C.confirm('Overwrite subscription?', 'Subscription ' + name + ' already exists. Replace its settings with this form?', 'Overwrite');
    }
    return pre.then(function (yes) {
      if (!yes || gen !== C.generation()) return;
      f.save.disabled = true;
      C.formMessage(f.message, 'Saving…', 'info');
      return C.admin('PUT', '/subscriptions/' + enc(name), body).then(function (r) {
        if (gen !== C.generation()) return;
        newForm(true);
        C.formMessage(f.message, (exists ? 'Saved ' : 'Created ') + name + '.' + (exists && secret ? ' Secret replaced.' : ''), 'ok');
        C.notify((exists ? 'Saved subscription ' : 'Created subscription ') + name + '.', 'ok');
        if (r && typeof r === 'object' && r.secret) showSecret(String(r.secret));
        if (r && typeof r === 'object' && r.name) {
          // the answer is the view: show it before the next refresh
          subs.byName.set(r.name, r);
          subs.list = subs.list.filter(function (s) { return s.name !== r.name; }).concat([r])
            .sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
          render();
        }
      }, function (e) {
        if (gen !== C.generation() || e.status === 401 || e.code === 'admin_disabled') return;
        C.formMessage(f.message, C.errText(e), 'error');
        if (e.status === 400) {
          var m = String(e.message || '');
          var target = /url/i.test(m) ? f.url : /corp/i.test(m) ? f.corpIds : /secret/i.test(m) ? f.secret : /name/i.test(m) ? f.name : null;
          if (target) { target.setAttribute('aria-invalid', 'true'); target.focus({ preventScroll: true }); }
        }
      }).then(function () {
        f.save.disabled = false;
        if (gen === C.generation()) C.refresh();
      });
    });
  }

  // ------------------------------------------------------------------ the secret, once
  function showSecret(secret) {
    $('#sub-secret').value = secret;
    $('#sub-secret-box').hidden = false;
  }
  function hideSecret() {
    $('#sub-secret').value = '';
    $('#sub-secret-box').hidden = true;
  }
  function copySecret() {
    var input = $('#sub-secret');
    var msg = $('#sub-message');
    var fallback = function () {
      input.select();
      C.formMessage(msg, 'Selected: press Ctrl+C (⌘C) to copy it.', 'info');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(function () { C.formMessage(msg, 'Copied the secret.', 'ok'); }, fallback);
    } else fallback();
  }

  // ------------------------------------------------------------------ actions
  function setEnabled(name, enabled) {
    var gen = C.generation();
    var s = subs.byName.get(name);
    if (!s) { C.notify('Subscription ' + name + ' no longer exists.', 'error'); return Promise.resolve(); }
    // a PUT sets the whole subscription: what it shows now, but for enabled
    var body = { url: s.url, corpIds: s.corpIds || null, types: s.types || null, enabled: enabled };
    return C.admin('PUT', '/subscriptions/' + enc(name), body).then(function () {
      if (gen !== C.generation()) return;
      C.notify((enabled ? 'Enabled ' : 'Disabled ') + name + '.', 'ok');
    }, function (e) {
      if (e.status === 401 || e.code === 'admin_disabled') return;
      C.notify((enabled ? 'Enable ' : 'Disable ') + name + ' failed: ' + C.errText(e), 'error');
    }).then(function () { if (gen === C.generation()) C.refresh(); });
  }

  function renderReplayCorps() {
    var sel = $('#sub-replay-corp');
    var s = subs.editing ? subs.byName.get(subs.editing) : null;
    var ids = s && Array.isArray(s.corpIds) && s.corpIds.length ? s.corpIds : C.corpIds();
    var sig = ids.join('\u0001');
    if (sel._sig === sig) return;
    sel._sig = sig;
    var keep = sel.value;
    while (sel.options.length) sel.remove(0);
    ids.forEach(function (id) { sel.add(h('option', { value: id, text: C.corpLabel(id) })); });
    if (keep && ids.indexOf(keep) >= 0) sel.value = keep;
  }

  function replay() {
    var name = subs.editing;
    var msg = $('#sub-replay-message');
    if (!name) return Promise.resolve();
    var corpId = $('#sub-replay-corp').value;
    var after = $('#sub-replay-after').value.trim();
    if (!corpId) { C.formMessage(msg, 'Choose an enterprise.', 'error'); return Promise.resolve(); }
    if (!/^\d{1,19}$/.test(after)) {
      C.formMessage(msg, 'After must be a sequence number (0 replays everything the log still holds).', 'error');
      $('#sub-replay-after').focus();
      return Promise.resolve();
    }
    var gen = C.generation();
    $('#sub-replay-go').disabled = true;
    return C.admin('POST', '/subscriptions/' + enc(name) + '/replay', { corpId: corpId, after: Number(after) }).then(function () {
      if (gen !== C.generation()) return;
      C.formMessage(msg, 'Replaying ' + corpId + ' after ' + after + ' to ' + name + '.', 'ok');
    }, function (e) {
      if (gen !== C.generation() || e.status === 401 || e.code === 'admin_disabled') return;
      C.formMessage(msg, C.errText(e), 'error');
    }).then(function () {
      $('#sub-replay-go').disabled = false;
      if (gen === C.generation()) C.refresh();
    });
  }

  function remove(name) {
    var gen = C.generation();
    return C.confirm('Delete subscription?', 'Delete ' + name + '? Nothing more is delivered to its receiver. This cannot be undone.',
      'Delete', true).then(function (yes) {
      if (!yes || gen !== C.generation()) return;
      return C.admin('DELETE', '/subscriptions/' + enc(name)).then(function () {
        if (gen !== C.generation()) return;
        C.notify('Deleted subscription ' + name + '.', 'ok');
        if (subs.editing === name) newForm(false);
      }, function (e) {
        if (e.status === 401 || e.code === 'admin_disabled') return;
        C.notify('Delete ' + name + ' failed: ' + C.errText(e), 'error');
      }).then(function () { if (gen === C.generation()) C.refresh(); });
    });
  }

  // ------------------------------------------------------------------ wiring
  C.addPanel({
    name: 'subscriptions',
    path: function () { return '/subscriptions'; },
    pick: function (v) { return v && Array.isArray(v.items) ? v.items : null; },
    apply: apply,
    absent: function () { subs.loaded = true; subs.absent = true; subs.list = []; subs.byName = new Map(); },
    render: render
  });
  C.addView({
    render: function () {},
    reset: function () {
      subs.list = [];
      subs.byName = new Map();
      subs.absent = false;
      subs.loaded = false;
      hideSecret();
      $('#sub-replay-corp')._sig = null;
      newForm(false);
    }
  });

  function init() {
    $('#subscription-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      submit();
    });
    $('#sub-cancel').addEventListener('click', function () { newForm(false); });
    $('#sub-new').addEventListener('click', function () {
      newForm(false);
      var f = els();
      if (f.form.scrollIntoView) f.form.scrollIntoView({ block: 'nearest' });
      f.name.focus();
    });
    $('#sub-secret-copy').addEventListener('click', copySecret);
    $('#sub-secret-hide').addEventListener('click', hideSecret);
    $('#sub-replay-go').addEventListener('click', replay);
    $('#sub-replay-after').addEventListener('keydown', function (ev) {
      // Enter here replays, not the subscription form around it
      if (ev.key === 'Enter') { ev.preventDefault(); replay(); }
    });
    newForm(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
