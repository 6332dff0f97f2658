// The page of `healthgraph export --format html`. Its data is the JSON in
// #healthgraph-data: the lossless JSON of what is shown, and what the
// library computed about time (possible and sure days, how `agreements
// --on` lists each agreement over time). The page makes no rule about time
// of its own: it looks answers up. Every text from the data goes into the
// page as text (textContent), never as markup.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('healthgraph-data').textContent);
  const $ = (id) => document.getElementById(id);
  $('title').textContent = data.title;

  if (data.too_many) {
    document.querySelector('header').hidden = true;
    document.querySelector('main').hidden = true;
    const box = $('too-many');
    box.hidden = false;
    const p = (text) => { const e = document.createElement('p'); e.textContent = text; box.appendChild(e); return e; };
    p(data.title);
    p('This view has ' + data.counts.entities + ' entities and ' + data.counts.relations +
      ' relations, more than the ' + data.limit + ' a page can draw legibly: the browser would freeze and the picture would be a blur.');
    const ask = p('Draw an ego network instead, for example: ');
    const code = document.createElement('code');
    code.textContent = 'healthgraph export ENTITY --depth 1 --format html --output page.html';
    ask.appendChild(code);
    p('or narrow the view with --kinds, --status or --on.');
    window.healthgraphPage = { ready: true, tooMany: true };
    return;
  }

  const graph = data.graph;
  const styles = data.styles;
  const sources = new Map(graph.sources.map((s) => [s.id, s]));
  const entities = new Map(graph.entities.map((e) => [e.id, e]));
  const relations = new Map(graph.relations.map((r) => [r.id, r]));
  const time = data.time;
  const dashed = new Set(styles.dashed);

  // ---- small helpers -------------------------------------------------------
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  const nameOf = (id) => { const e = entities.get(id); return e ? (e.name_en || e.name) : id; };
  const precision = (d) => (d.length === 4 ? 'year' : d.length === 7 ? 'month' : 'day');
  const period = (r) => (r.start || r.end) ? (r.start || '') + '..' + (r.end || '') : 'undated';
  const periodWords = (r) => {
    const side = (d, what) => d ? what + ' ' + d + ' (known to the ' + precision(d) + ')' : what + ' not stated';
    return side(r.start, 'from') + ', ' + side(r.end, 'to');
  };
  // Folding as the library folds: no diacritics (đ is d), lower case, words.
  const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

  // ---- the network ---------------------------------------------------------
  // Labels stay short in the drawing; the details show the whole name.
  const short = (name) => (name.length > 42 ? name.slice(0, 40).replace(/\s+\S*$/, '') + '…' : name);
  const elements = [];
  for (const e of graph.entities) {
    const s = styles.entity[e.kind] || { shape: 'ellipse', fill: '#eeeeee' };
    elements.push({ group: 'nodes', data: { id: 'e:' + e.id, ent: e.id, label: short(e.name_en || e.name), shape: s.shape, fill: s.fill } });
  }
  for (const r of graph.relations) {
    if (!entities.has(r.from) || !entities.has(r.to)) continue;
    const s = styles.relation[r.kind];
    elements.push({
      group: 'edges',
      data: {
        id: 'r:' + r.id, rel: r.id, source: 'e:' + r.from, target: 'e:' + r.to, label: r.kind + ' ' + period(r),
        color: s.color, width: s.width, arrow: s.symmetric ? 'none' : 'triangle',
        line: dashed.has(r.status) ? 'dashed' : s.line,
      },
    });
  }
  // A deterministic start (a circle in id order) so that the same data
  // gives the same picture.
  const n = graph.entities.length;
  graph.entities.forEach((e, i) => {
    const a = (2 * Math.PI * i) / Math.max(n, 1);
    elements[i].position = { x: 400 * Math.cos(a), y: 400 * Math.sin(a) };
  });

  const cy = cytoscape({
    container: $('network'),
    elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: {
        shape: 'data(shape)', 'background-color': 'data(fill)', 'border-width': 1, 'border-color': '#555',
        width: 26, height: 26, label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3,
        'text-wrap': 'wrap', 'text-max-width': 120, 'text-background-color': '#ffffff', 'text-background-opacity': 0.75,
        'text-background-padding': 1,
      } },
      { selector: 'node.center', style: { 'border-width': 4 } },
      { selector: 'edge', style: {
        'curve-style': 'bezier', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
        'target-arrow-shape': 'data(arrow)', width: 'data(width)', 'line-style': 'data(line)', 'arrow-scale': 0.9,
      } },
      { selector: 'edge:selected, edge.hover', style: { label: 'data(label)', 'font-size': 9, 'text-rotation': 'autorotate', color: 'data(color)', 'text-background-color': '#fff', 'text-background-opacity': 0.8, 'overlay-opacity': 0.15 } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#d4380d' } },
      { selector: 'edge:selected', style: { 'overlay-color': '#d4380d', 'overlay-opacity': 0.25 } },
      { selector: '.maybe', style: { opacity: 0.25 } },
      { selector: 'node.idle', style: { opacity: 0.4 } },
      { selector: '.hidden', style: { display: 'none' } },
    ],
    layout: { name: 'preset' },
  });
  if (data.center) cy.getElementById('e:' + data.center).addClass('center');

  // A force-directed layout (cose) costs the square of the entities on
  // every iteration: above COSE_LIMIT it would keep the page busy for tens
  // of seconds, so larger views are drawn in rings, the most connected
  // entities in the middle (an ego network in rings by hops).
  const COSE_LIMIT = 300;
  const layout = () => {
    const options = n > COSE_LIMIT && data.center
      ? { name: 'concentric', concentric: (node) => -distance.get(node.data('ent')), levelWidth: () => 1, minNodeSpacing: 28, animate: false }
      : n > COSE_LIMIT
      ? { name: 'concentric', concentric: (node) => node.degree(), levelWidth: () => 2, minNodeSpacing: 12, animate: false }
      : { name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
          boundingBox: { x1: 0, y1: 0, w: cy.width(), h: cy.height() }, nodeRepulsion: () => 50000,
          nodeOverlap: 20, idealEdgeLength: () => 50, edgeElasticity: () => 100, gravity: 1.5, numIter: n > 100 ? 1000 : 2500, componentSpacing: 80 };
    cy.layout(options).run();
    cy.fit(undefined, 30);
  };
  // Hops from the center, for an ego network's rings.
  const distance = new Map();
  if (data.center) {
    const queue = [data.center];
    distance.set(data.center, 0);
    while (queue.length) {
      const at = queue.shift();
      for (const edge of cy.getElementById('e:' + at).connectedEdges()) {
        for (const end of [edge.data('source').slice(2), edge.data('target').slice(2)]) {
          if (!distance.has(end)) { distance.set(end, distance.get(at) + 1); queue.push(end); }
        }
      }
    }
    for (const id of entities.keys()) if (!distance.has(id)) distance.set(id, 99);
  }
  layout();
  $('fit').addEventListener('click', () => cy.fit(undefined, 30));

  // ---- filters by kind and status -------------------------------------------
  const kinds = [...new Set(graph.relations.map((r) => r.kind))].sort();
  const statuses = [...new Set(graph.relations.map((r) => r.status))].sort();
  const shownKinds = new Set(kinds);
  const shownStatuses = new Set(statuses);
  const checkboxes = (box, values, set) => {
    for (const v of values) {
      const label = el('label');
      const input = el('input');
      input.type = 'checkbox'; input.checked = true; input.value = v; input.dataset.filter = box.id;
      input.addEventListener('change', () => { if (input.checked) set.add(v); else set.delete(v); refresh(); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + v));
      box.appendChild(label);
    }
  };
  checkboxes($('kind-filters'), kinds, shownKinds);
  checkboxes($('status-filters'), statuses, shownStatuses);

  // ---- time ------------------------------------------------------------------
  // Days are ISO strings: they compare as dates do.
  const mode = $('time-mode');
  const from = $('date-from');
  const to = $('date-to');
  const slider = $('date-slider');
  const dayNumber = (iso) => Math.round(Date.parse(iso + 'T00:00:00Z') / 86400000);
  const isoOf = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
  const known = [];
  for (const t of Object.values(time)) {
    for (const d of t.may) if (d) known.push(d);
  }
  known.push(data.today);
  known.sort();
  const first = known[0].slice(0, 4) + '-01-01';
  const last = String(Number(known[known.length - 1].slice(0, 4)) + 1) + '-12-31';
  slider.min = dayNumber(first); slider.max = dayNumber(last); slider.step = 1;
  from.min = to.min = first; from.max = to.max = last;
  from.value = data.today; to.value = data.today;
  slider.value = dayNumber(data.today);

  // What the time control asks: null for all time, else [a, b] (a day is [d, d]).
  const window_ = () => {
    if (mode.value === 'all' || !from.value) return null;
    if (mode.value === 'on') return [from.value, from.value];
    const b = to.value || from.value;
    return from.value <= b ? [from.value, b] : [b, from.value];
  };
  // 'sure', 'maybe' or 'no': did the relation hold in [a, b]? Looked up in
  // the days the library computed.
  const held = (id, w) => {
    if (!w) return 'sure';
    const t = time[id];
    const [a, b] = w;
    if (t.sure && t.sure[0] <= b && a <= t.sure[1]) return 'sure';
    const may = (t.may[0] === null || t.may[0] <= b) && (t.may[1] === null || a <= t.may[1]);
    return may ? 'maybe' : 'no';
  };
  // How `healthgraph agreements --on` lists an agreement in [a, b]: 'in
  // force' if on some day of it, else 'unknown' if on some day, else null.
  const listed = (id, w) => {
    const steps = time[id].listed;
    if (!steps) return null;
    let answer = null;
    steps.forEach(([start, value], i) => {
      const next = i + 1 < steps.length ? steps[i + 1][0] : null;
      const overlaps = (start === null || start <= w[1]) && (next === null || next > w[0]);
      if (!overlaps || value === null) return;
      if (value === 'in force' || answer === null) answer = value;
    });
    return answer;
  };

  const refresh = () => {
    const w = window_();
    cy.batch(() => {
      cy.edges().forEach((edge) => {
        const r = relations.get(edge.data('rel'));
        const kept = shownKinds.has(r.kind) && shownStatuses.has(r.status);
        const h = kept ? held(r.id, w) : 'no';
        edge.toggleClass('hidden', h === 'no');
        edge.toggleClass('maybe', h === 'maybe');
      });
      cy.nodes().forEach((node) => {
        const active = node.connectedEdges().some((e) => !e.hasClass('hidden'));
        node.toggleClass('idle', !active && node.connectedEdges().length > 0);
      });
    });
    listAgreements(w);
  };

  const listAgreements = (w) => {
    const box = $('agreements-list');
    box.replaceChildren();
    const asked = w || [data.today, data.today];
    $('agreements-title').textContent = w === null
      ? 'Agreements in force today (' + data.today + ')'
      : w[0] === w[1] ? 'Agreements on ' + w[0] : 'Agreements in force at some time from ' + w[0] + ' to ' + w[1];
    const groups = { 'in force': [], unknown: [] };
    for (const id of [...relations.keys()].sort()) {
      const answer = listed(id, asked);
      if (answer) groups[answer].push(relations.get(id));
    }
    for (const [answer, list] of Object.entries(groups)) {
      box.appendChild(el('h3', (answer === 'in force' ? 'In force' : 'Unknown: signed or ongoing, but the dates cannot decide') + ' (' + list.length + ')'));
      const ul = el('ul');
      ul.dataset.answer = answer;
      for (const r of list) {
        const li = el('li');
        li.dataset.id = r.id;
        const a = el('a', r.kind + ' ' + period(r) + ': ' + nameOf(r.from) + ' \u2014 ' + nameOf(r.to), 'jump');
        a.addEventListener('click', () => selectRelation(r.id));
        li.appendChild(a);
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
  };

  mode.addEventListener('change', () => {
    $('time-inputs').hidden = mode.value === 'all';
    $('window-to').hidden = mode.value !== 'window';
    refresh();
  });
  from.addEventListener('input', () => { if (from.value) slider.value = dayNumber(from.value); refresh(); });
  from.addEventListener('change', () => refresh());
  to.addEventListener('input', () => refresh());
  to.addEventListener('change', () => refresh());
  slider.addEventListener('input', () => { from.value = isoOf(Number(slider.value)); refresh(); });

  // ---- details -----------------------------------------------------------------
  const details = $('details');
  const show = (heading, rows, extra) => {
    details.replaceChildren(el('h2', heading));
    const dl = el('dl');
    for (const [k, v] of rows) {
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
      dl.appendChild(el('dt', k));
      const dd = el('dd');
      if (v instanceof Node) dd.appendChild(v); else dd.textContent = Array.isArray(v) ? v.join('; ') : String(v);
      dl.appendChild(dd);
    }
    details.appendChild(dl);
    if (extra) details.appendChild(extra);
  };
  const jump = (text, onClick) => { const a = el('a', text, 'jump'); a.addEventListener('click', onClick); return a; };
  const sourceList = (ids) => {
    const ul = el('ul');
    for (const id of ids || []) {
      const s = sources.get(id);
      const li = el('li');
      li.dataset.source = id;
      if (!s) { li.textContent = id; ul.appendChild(li); continue; }
      li.appendChild(el('span', s.title + ' (' + s.published + (s.publisher ? ', ' + s.publisher : '') + ')'));
      if (s.url && /^https?:\/\//i.test(s.url)) {
        const a = el('a', ' link');
        a.href = s.url; a.target = '_blank'; a.rel = 'noopener noreferrer';
        li.appendChild(a);
      } else if (s.seed) {
        li.appendChild(el('span', ' [seed ' + s.seed + (s.section ? ', ' + s.section : '') + ']', 'hint'));
      }
      ul.appendChild(li);
    }
    return ul;
  };

  const showEntity = (id) => {
    const e = entities.get(id);
    const partners = el('ul');
    const seen = [];
    cy.getElementById('e:' + id).connectedEdges().forEach((edge) => {
      const r = relations.get(edge.data('rel'));
      const other = r.from === id ? r.to : r.from;
      seen.push([nameOf(other), r]);
    });
    seen.sort((x, y) => x[0].localeCompare(y[0]) || x[1].id.localeCompare(y[1].id));
    for (const [name, r] of seen) {
      const li = el('li');
      li.appendChild(jump(name, () => selectEntity(r.from === id ? r.to : r.from)));
      li.appendChild(document.createTextNode(' \u2014 '));
      li.appendChild(jump(r.kind + ' ' + period(r) + ' (' + r.status + ')', () => selectRelation(r.id)));
      partners.appendChild(li);
    }
    const former = (e.former_names || []).map((f) => f.name + ((f.start || f.end) ? ' (' + (f.start || '') + '..' + (f.end || '') + ')' : ''));
    const rows = [['id', e.id], ['name', e.name], ['English name', e.name_en], ['aliases', e.aliases], ['former names', former], ['kind', e.kind], ['country', e.country]];
    for (const [k, v] of Object.entries(e)) {
      if (!['id', 'name', 'name_en', 'aliases', 'former_names', 'kind', 'country', 'sources'].includes(k)) rows.push([k, typeof v === 'object' ? JSON.stringify(v) : v]);
    }
    rows.push(['partners (' + seen.length + ')', partners]);
    rows.push(['sources', sourceList(e.sources)]);
    show(e.name, rows);
    details.dataset.entity = id;
    delete details.dataset.relation;
  };

  const showRelation = (id) => {
    const r = relations.get(id);
    const parties = el('span');
    parties.appendChild(jump(nameOf(r.from), () => selectEntity(r.from)));
    parties.appendChild(document.createTextNode(styles.relation[r.kind].symmetric ? ' \u2014 ' : ' \u2192 '));
    parties.appendChild(jump(nameOf(r.to), () => selectEntity(r.to)));
    const people = (r.people || []).map((p) => p.name + (p.role ? ' (' + p.role + ')' : '') + (p.organisation ? ', ' + nameOf(p.organisation) : ''));
    const figures = (r.figures || []).map((f) => (f.qualifier ? f.qualifier + ' ' : '') + f.value.toLocaleString('en') + ' ' + f.unit);
    const link = (id) => (id && relations.has(id) ? jump(id, () => selectRelation(id)) : id);
    const periodText = el('span');
    periodText.appendChild(el('b', period(r), 'period'));
    periodText.appendChild(el('span', ' \u2014 ' + periodWords(r), 'hint'));
    show(r.kind + ': ' + nameOf(r.from) + ' \u2014 ' + nameOf(r.to), [
      ['id', r.id], ['kind', r.kind], ['parties', parties], ['period', periodText], ['status', r.status],
      ['basis', r.basis], ['renews', link(r.renews)], ['amends', link(r.amends)], ['supersedes', link(r.supersedes)], ['scope', r.scope], ['people', people], ['figures', figures],
      ['claims', (r.claims || []).map((c) => ((c.start || c.end) ? (c.start || '') + '..' + (c.end || '') : 'undated') +
        (c.status ? ' ' + c.status : '') + ' (' + (c.rank || 'normal') + '; ' + c.sources.join(', ') + ')')],
      ['note', r.note], ['sources', sourceList(r.sources)],
    ]);
    details.dataset.relation = id;
    delete details.dataset.entity;
  };

  const selectEntity = (id) => {
    cy.elements(':selected').unselect();
    const node = cy.getElementById('e:' + id);
    node.select();
    showEntity(id);
  };
  const selectRelation = (id) => {
    cy.elements(':selected').unselect();
    cy.getElementById('r:' + id).select();
    showRelation(id);
  };
  cy.on('tap', 'node', (evt) => showEntity(evt.target.data('ent')));
  cy.on('tap', 'edge', (evt) => showRelation(evt.target.data('rel')));
  cy.on('mouseover', 'edge', (evt) => evt.target.addClass('hover'));
  cy.on('mouseout', 'edge', (evt) => evt.target.removeClass('hover'));

  // ---- search ------------------------------------------------------------------
  // An entity matches when every word of the query begins a word of one of
  // its names (folded by the library); fewer words in that name rank first.
  const before = (x, y) => (x[0] - y[0] || x[1] - y[1] || x[2] - y[2]) < 0;
  const search = (text) => {
    const words = fold(text);
    if (!words.length) return [];
    const hits = [];
    for (const [id, names] of Object.entries(data.folded)) {
      let best = null;
      names.forEach((name, at) => {
        const parts = name.split(' ');
        if (words.every((w) => parts.some((p) => p.startsWith(w)))) {
          const exact = words.every((w) => parts.includes(w)) ? 0 : 1;
          const rank = [exact, parts.length, at];
          if (!best || before(rank, best)) best = rank;
        }
      });
      if (best) hits.push({ id, rank: best });
    }
    hits.sort((x, y) => x.rank[0] - y.rank[0] || x.rank[1] - y.rank[1] || x.rank[2] - y.rank[2] || x.id.localeCompare(y.id));
    return hits.map((h) => h.id);
  };
  $('search').addEventListener('input', () => {
    const hits = search($('search').value);
    const box = $('hits');
    box.replaceChildren();
    box.hidden = !$('search').value.trim();
    if (box.hidden) return;
    box.appendChild(el('h2', hits.length ? hits.length + ' found' : 'Nothing found'));
    for (const id of hits.slice(0, 12)) {
      const a = jump(nameOf(id) + ' (' + id + ')', () => selectEntity(id));
      a.dataset.id = id;
      box.appendChild(a);
    }
    if (hits.length) {
      selectEntity(hits[0]);
      cy.center(cy.getElementById('e:' + hits[0]));
    }
  });

  // ---- the legend: the same shapes and lines, drawn by the same library ------
  (() => {
    const items = [];
    const entityKinds = Object.keys(styles.entity);
    entityKinds.forEach((k, i) => {
      const s = styles.entity[k];
      items.push({ group: 'nodes', data: { id: 'k:' + k, label: k, shape: s.shape, fill: s.fill }, position: { x: 20, y: 16 + i * 28 }, classes: 'kind' });
    });
    const lines = Object.keys(styles.relation).filter((k) => kinds.includes(k)).map((k) => [k, styles.relation[k], 'solid']);
    lines.push(['proposal', { color: '#555555', width: 1.5, symmetric: true, line: 'dashed' }, 'dashed']);
    lines.push(['may have held', { color: '#555555', width: 1.5, symmetric: true, line: 'solid' }, 'faded']);
    lines.forEach(([k, s, how], i) => {
      const y = 16 + i * 21;
      items.push({ group: 'nodes', data: { id: 'a:' + k }, position: { x: 150, y }, classes: 'end' });
      items.push({ group: 'nodes', data: { id: 'b:' + k, label: k }, position: { x: 200, y }, classes: 'end label' });
      items.push({ group: 'edges', data: { id: 'l:' + k, source: 'a:' + k, target: 'b:' + k, color: s.color, width: s.width,
        line: how === 'dashed' ? 'dashed' : s.line, arrow: s.symmetric ? 'none' : 'triangle' }, classes: how === 'faded' ? 'maybe' : '' });
    });
    const legendHeight = 24 + Math.max(entityKinds.length * 28, lines.length * 21);
    $('legend-graph').style.height = legendHeight + 'px';
    cytoscape({
      container: $('legend-graph'), elements: items, layout: { name: 'preset' },
      userZoomingEnabled: false, userPanningEnabled: false, boxSelectionEnabled: false, autoungrabify: true, autounselectify: true,
      style: [
        { selector: 'node.kind', style: { shape: 'data(shape)', 'background-color': 'data(fill)', 'border-width': 1, 'border-color': '#555', width: 20, height: 20,
          label: 'data(label)', 'font-size': 11, 'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 6 } },
        { selector: 'node.end', style: { width: 1, height: 1, 'background-opacity': 0 } },
        { selector: 'node.label', style: { label: 'data(label)', 'font-size': 11, 'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 4 } },
        { selector: 'edge', style: { 'curve-style': 'straight', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)', 'target-arrow-shape': 'data(arrow)', width: 'data(width)', 'line-style': 'data(line)' } },
        { selector: '.maybe', style: { opacity: 0.25 } },
      ],
    }).fit(undefined, 8);
  })();

  refresh();
  // For tests and scripts: the drawing and what the controls ask.
  window.healthgraphPage = { ready: true, cy, window: window_ };
})();
