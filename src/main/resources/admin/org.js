/*
 * orgsync console: the organisation view. An enterprise's department tree (member counts,
 * leaders), members found by mobile, name or userid or listed by department, and one member with
 * every field of the read API's answer. Read through the read API (/api/v1/corps/..., the lookup
 * by mobile) with the console's admin token, which the read routes take (docs/http-api.md).
 * Hooks for browser tests are listed in console.js. Server text goes through textContent only.
 */
(function () {
  'use strict';

  var C = window.orgsyncConsole;
  var h = C.h;
  var enc = C.enc;
  var PAGE = 100;
  var STATUS = { 1: 'active', 2: 'disabled', 4: 'not activated', 5: 'left' };
  var STATUS_BADGE = { 1: 'badge-ok', 2: 'badge-warn', 4: 'badge-muted', 5: 'badge-dead' };

  var org = {
    corp: '',
    generation: 0,     // answers for an earlier choice are dropped
    departments: [],
    byId: new Map(),
    list: null,        // {title, path, cursor, items}
    member: null
  };

  function $(sel) { return document.querySelector(sel); }

  function message(text, kind) {
    var el = $('#org-message');
    el.textContent = text || '';
    el.className = 'form-message' + (kind ? ' ' + kind : '');
    el.hidden = !text;
  }

  function corpPath() { return '/corps/' + enc(org.corp); }

  /** A field's value, or "not known" for null (the set-up did not read it, or WeCom has none). */
  function value(v) {
    if (v === null || v === undefined) return h('span', { className: 'muted unknown', text: 'not known' });
    return String(v);
  }

  function statusBadge(status) {
    if (status === null || status === undefined) return value(null);
    return C.badge(status + ' ' + (STATUS[status] || '?'), STATUS_BADGE[status] || 'badge-muted');
  }

  function userButton(userid) {
    return h('button', {
      type: 'button', className: 'linklike', 'data-userid': userid, text: userid,
      onclick: function () { openMember(userid); }
    });
  }

  /** Userids as buttons that open each member, comma-separated. */
  function userList(userids) {
    return userids.map(function (u, i) { return [i ? ', ' : '', userButton(u)]; });
  }

  // ------------------------------------------------------------------ enterprise
  function renderSelect() {
    var sel = $('#org-corp');
    var ids = C.corpIds();
    var sig = ids.map(function (id) { return id + '\u0001' + C.corpLabel(id); }).join('\u0002');
    if (sel._sig !== sig) {
      sel._sig = sig;
      while (sel.options.length > 1) sel.remove(1);
      ids.forEach(function (id) { sel.add(h('option', { value: id, text: C.corpLabel(id) })); });
    }
    if (sel.value !== org.corp) sel.value = org.corp;
  }

  function choose(corp) {
    org.corp = corp;
    org.generation++;
    org.departments = [];
    org.byId = new Map();
    message(null);
    showList(null);
    closeMember();
    $('#org-q').disabled = !corp;
    $('#org-search').disabled = !corp;
    renderTree();
    if (!corp) return;
    var gen = org.generation;
    C.read(corpPath() + '/departments').then(function (tree) {
      if (gen !== org.generation) return;
      org.departments = tree;
      org.byId = new Map(tree.map(function (d) { return [d.id, d]; }));
      renderTree();
    }, function (e) {
      if (gen === org.generation) message('Cannot read the departments of ' + corp + ': ' + C.errText(e), 'error');
    });
  }

  // ------------------------------------------------------------------ the tree
  function renderTree() {
    var root = $('#org-tree');
    while (root.firstChild) root.removeChild(root.firstChild);
    var lists = new Map();
    org.departments.forEach(function (d) {
      var leaders = d.leaders === null ? [value(null)] : d.leaders.length ? userList(d.leaders) : [];
      var item = h('li', { 'data-dept-id': d.id },
        h('button', {
          type: 'button', className: 'linklike', 'data-testid': 'dept-name', title: d.path || '',
          text: d.name === null ? '(department ' + d.id + ')' : d.name,
          onclick: function () { listDepartment(d); }
        }),
        ' ',
        h('span', { className: 'badge badge-muted', 'data-testid': 'member-count', title: 'members directly in it', text: d.memberCount }),
        h('span', { className: 'org-leaders', 'data-testid': 'leaders' }, leaders.length ? ['leads: ', leaders] : []));
      var children = h('ul');
      item.appendChild(children);
      lists.set(d.id, children);
      // parents come before their children; a department whose parent is not listed is a root
      (lists.get(d.parentId) || root).appendChild(item);
    });
    $('#org-tree-empty').hidden = org.departments.length > 0;
    $('#org-count').textContent = org.corp && org.departments.length ? org.departments.length + ' departments' : '';
  }

  // ------------------------------------------------------------------ member lists
  function showList(list) {
    org.list = list;
    renderList();
  }

  function load(list) {
    var gen = org.generation;
    var sep = list.path.indexOf('?') < 0 ? '?' : '&';
    var page = list.path + sep + 'limit=' + PAGE + (list.cursor ? '&cursor=' + enc(list.cursor) : '');
    return C.read(page).then(function (answer) {
      if (gen !== org.generation || org.list !== list) return;
      list.items = list.items.concat(answer.items);
      list.cursor = answer.nextCursor;
      renderList();
    }, function (e) {
      if (gen === org.generation) message(list.title + ': ' + C.errText(e), 'error');
    });
  }

  function listDepartment(d) {
    message(null);
    var list = { title: 'Members of ' + (d.path || d.name || d.id), path: corpPath() + '/departments/' + d.id + '/members', cursor: null, items: [] };
    showList(list);
    load(list);
  }

  /**
   * A number that reads as a mobile is looked up by mobile; every query is also the start of a
   * name or userid (a userid may be all digits), and both answers are shown, the mobile's first.
   */
  function search(q) {
    q = (q || '').trim();
    message(null);
    if (!org.corp) return;
    var list = { title: q ? 'Search: ' + q : 'All members', path: corpPath() + '/members?q=' + enc(q), cursor: null, items: [] };
    showList(list);
    var digits = q.replace(/[\s-]/g, '');
    var mobile = /^(\+86|0086)?1[3-9]\d{9}$/.test(digits) || /^(\+|00)\d{6,15}$/.test(digits);
    var gen = org.generation;
    var byMobile = !mobile ? Promise.resolve([]) :
      C.read('/members/by-mobile/' + enc(digits) + '?corpId=' + enc(org.corp)).then(function (answer) {
        return answer.members;
      }, function (e) {
        if (e.status === 404) return [];
        throw e;
      });
    return byMobile.then(function (found) {
      if (gen !== org.generation || org.list !== list) return;
      list.items = found;
      return load(list);
    }, function (e) {
      if (gen === org.generation) message('Search by mobile: ' + C.errText(e), 'error');
    });
  }

  function renderList() {
    var list = org.list;
    var seen = new Set();
    var items = list ? list.items.filter(function (m) { return !seen.has(m.userid) && seen.add(m.userid); }) : [];
    C.reconcile($('#org-members tbody'), items, function (m) { return m.userid; }, 'data-userid', createMemberRow, updateMemberRow);
    $('#org-members-title').textContent = list ? list.title + ' (' + items.length + (list.cursor ? '+' : '') + ')' : 'Members';
    $('#org-more').hidden = !(list && list.cursor);
  }

  function createMemberRow(userid) {
    var tr = h('tr', { className: 'clickable', onclick: function () { openMember(userid); } });
    tr._cells = {
      userid: h('td', { 'data-testid': 'userid', className: 'mono' }),
      name: h('td', { 'data-testid': 'name' }),
      mobile: h('td', { 'data-testid': 'mobile', className: 'mono' }),
      status: h('td', { 'data-testid': 'status' }),
      departments: h('td', { 'data-testid': 'departments' })
    };
    Object.keys(tr._cells).forEach(function (k) { tr.appendChild(tr._cells[k]); });
    return tr;
  }

  function updateMemberRow(tr, m) {
    var c = tr._cells;
    C.setCell(c.userid, m.userid, function () { return m.userid; });
    C.setCell(c.name, String(m.name), function () { return value(m.name); });
    C.setCell(c.mobile, String(m.mobile), function () { return value(m.mobile); });
    C.setCell(c.status, String(m.status), function () { return statusBadge(m.status); });
    var paths = m.departments.map(function (d) { return (d.path || d.name || d.id) + (d.isLeader ? ' ★' : ''); }).join(', ');
    C.setCell(c.departments, paths, function () { return paths; });
  }

  // ------------------------------------------------------------------ one member
  function openMember(userid) {
    var gen = org.generation;
    return C.read(corpPath() + '/members/' + enc(userid) + '?includeDeparted=true').then(function (m) {
      if (gen !== org.generation) return;
      org.member = m;
      renderMember();
    }, function (e) {
      if (gen === org.generation) message('Member ' + userid + ': ' + C.errText(e), 'error');
    });
  }

  function closeMember() {
    org.member = null;
    renderMember();
  }

  function field(name, label, content) {
    return [h('dt', { text: label }), h('dd', { 'data-field': name }, content)];
  }

  function renderMember() {
    var m = org.member;
    var box = $('#org-member');
    box.hidden = !m;
    var dl = $('#org-member-fields');
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    if (!m) return;
    $('#org-member-title').textContent = (m.name === null ? m.userid : m.name) + ' · ' + org.corp;
    var main = org.byId.get(m.mainDepartment);
    var departments = m.departments.map(function (d) {
      return h('div', { 'data-dept-id': d.id }, d.path || d.name || String(d.id),
        d.isLeader === true ? C.badge('leader', 'badge-self', 'is_leader_in_dept') :
          d.isLeader === null ? h('span', { className: 'muted unknown', text: ' (leader: not known)' }) : '');
    });
    var leaders = m.directLeader === null ? value(null) : m.directLeader.length ? userList(m.directLeader) : 'none';
    dl.appendChild(h('div', null,
      field('userid', 'Userid', m.userid),
      field('name', 'Name', value(m.name)),
      field('mobile', 'Mobile', value(m.mobile)),
      field('email', 'E-mail', value(m.email)),
      field('position', 'Position', value(m.position)),
      field('status', 'Status', statusBadge(m.status)),
      field('alias', 'Alias', value(m.alias)),
      field('telephone', 'Telephone', value(m.telephone)),
      field('mainDepartment', 'Main department', main ? (main.path || main.name || String(main.id)) : String(m.mainDepartment)),
      field('departments', 'Departments', departments),
      field('directLeader', 'Direct leader', leaders),
      field('updatedAt', 'Updated', C.timeNodes(m.updatedAt))));
  }

  // ------------------------------------------------------------------ wiring
  C.addView({
    render: renderSelect,
    reset: function () {
      $('#org-corp')._sig = null;
      choose('');
      renderSelect();
    }
  });

  function init() {
    $('#org-corp').addEventListener('change', function (ev) { choose(ev.target.value || ''); });
    $('#org-search-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      search($('#org-q').value);
    });
    $('#org-more').addEventListener('click', function () { if (org.list && org.list.cursor) load(org.list); });
    $('#org-member-close').addEventListener('click', closeMember);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
