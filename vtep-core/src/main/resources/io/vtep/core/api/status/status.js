// vtep status page. Reads the read-only JSON API every INTERVAL_MS and renders it; rates are
// computed here from the deltas of the API's counters (vtep keeps only cumulative counters).
// Everything that came from the network (MACs, peer descriptions, errors) is inserted as text
// (textContent), never as markup; the page's Content-Security-Policy allows no inline script.
'use strict';

(function () {
  const INTERVAL_MS = 2000;
  const HISTORY = 90;          // chart samples kept: 3 minutes at 2 s
  const FDB_PAGE = 50;         // FDB rows a page (the API's cursor paging; the FDB may hold millions)
  const ROUTES_SHOWN = 500;    // EVPN routes listed at most (the filter narrows them)
  const ROUTES_EVERY_MS = 10000;

  const $ = (id) => document.getElementById(id);

  const state = {
    paused: false,
    vnis: [],                  // last /api/v1/vnis document's vnis
    previous: new Map(),       // vni -> {t, rxp, rxb, txp, txb}: the counters of the previous read
    rates: new Map(),          // vni -> {inPackets, outPackets, inBytes, outBytes} per second
    history: new Map(),        // vni -> [{inPackets, outPackets, inBytes, outBytes}]
    vtepPrevious: new Map(),   // VTEP address -> {t, rxp, txp}
    selectedVni: null,
    fdbCursors: [null],        // cursor of each page shown so far: [first, second, ...]
    fdbNext: null,
    fdbTicket: 0,              // the latest FDB read; an older one that answers later is not shown
    routesFetched: 0,
    routes: [],
  };

  // ---- formatting ----------------------------------------------------------------------------

  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  function count(n) {
    return n === null || n === undefined ? '–' : integer.format(n);
  }

  function scaled(n, unit) {
    if (n === null || n === undefined || !isFinite(n)) {
      return '–';
    }
    const steps = ['', 'k', 'M', 'G', 'T'];
    let i = 0;
    let v = n;
    while (Math.abs(v) >= 1000 && i < steps.length - 1) {
      v /= 1000;
      i++;
    }
    const digits = i === 0 ? (v < 10 && v !== Math.round(v) ? 1 : 0) : (v < 10 ? 2 : v < 100 ? 1 : 0);
    return v.toFixed(digits) + ' ' + steps[i] + unit;
  }

  function bytes(n) {
    return n === null || n === undefined ? '–' : scaled(n, 'B');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return '–';
    }
    const d = Math.floor(seconds / 86400);
    const h = Math.floor(seconds % 86400 / 3600);
    const m = Math.floor(seconds % 3600 / 60);
    const s = seconds % 60;
    const two = (x) => String(x).padStart(2, '0');
    return (d > 0 ? d + 'd ' : '') + two(h) + ':' + two(m) + ':' + two(s);
  }

  // ---- DOM helpers: text only ------------------------------------------------------------------

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '–' : String(text);
    if (className) {
      td.className = className;
    }
    return td;
  }

  function numberCell(value, text) {
    const td = cell(text === undefined ? count(value) : text, 'num');
    if (value !== null && value !== undefined) {
      td.dataset.value = String(value);
    }
    return td;
  }

  function fill(tbody, rows, columns, emptyText) {
    tbody.replaceChildren(...rows);
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(emptyText, 'empty');
      td.colSpan = columns;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
  }

  function row(...cells) {
    const tr = document.createElement('tr');
    tr.append(...cells);
    return tr;
  }

  function portState(stateText) {
    const td = document.createElement('td');
    const dot = document.createElement('span');
    dot.className = 'dot ' + stateText;
    const label = document.createElement('span');
    label.className = 'state-' + stateText;
    label.textContent = stateText;
    td.append(dot, label);
    return td;
  }

  // ---- reading the API ---------------------------------------------------------------------------

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 404 && path.startsWith('/api/v1/bgp')) {
      return null;
    }
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try {
        message = (await response.json()).error || message;
      } catch (ignored) {
        // not JSON: keep the status line
      }
      throw new Error(path + ': ' + message);
    }
    return response.json();
  }

  async function getText(path) {
    const response = await fetch(path, { cache: 'no-store' });
    return { status: response.status, text: await response.text() };
  }

  // Prometheus text exposition: the remote VTEP series (README "Metrics reference").
  function remoteVteps(metricsText) {
    const vteps = new Map();
    const pattern = /^vtep_remote_vtep_(rx|tx)_(packets|bytes)_total\{[^}]*vtep="([^"]+)"[^}]*\}\s+(\S+)/;
    for (const line of metricsText.split('\n')) {
      const m = pattern.exec(line);
      if (!m) {
        continue;
      }
      const entry = vteps.get(m[3]) || { address: m[3], rxp: 0, rxb: 0, txp: 0, txb: 0 };
      entry[m[1] + (m[2] === 'packets' ? 'p' : 'b')] = Number(m[4]);
      vteps.set(m[3], entry);
    }
    return [...vteps.values()].sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }));
  }

  function totals(vni) {
    const c = vni.counters;
    return {
      rxp: c.rx.access.packets + c.rx.overlay.packets,
      rxb: c.rx.access.bytes + c.rx.overlay.bytes,
      txp: c.tx.access.packets + c.tx.overlay.packets,
      txb: c.tx.access.bytes + c.tx.overlay.bytes,
    };
  }

  // Per second from the previous read; null on the first read or when a counter went back (restart).
  function rate(now, then, seconds) {
    if (!then || now < then || seconds <= 0) {
      return null;
    }
    return (now - then) / seconds;
  }

  function updateRates(vnis, t) {
    for (const vni of vnis) {
      const now = Object.assign({ t }, totals(vni));
      const then = state.previous.get(vni.vni);
      const seconds = then ? (t - then.t) / 1000 : 0;
      const r = {
        inPackets: rate(now.rxp, then && then.rxp, seconds),
        outPackets: rate(now.txp, then && then.txp, seconds),
        inBytes: rate(now.rxb, then && then.rxb, seconds),
        outBytes: rate(now.txb, then && then.txb, seconds),
      };
      state.previous.set(vni.vni, now);
      state.rates.set(vni.vni, r);
      if (r.inPackets !== null) {
        const samples = state.history.get(vni.vni) || [];
        samples.push(r);
        if (samples.length > HISTORY) {
          samples.shift();
        }
        state.history.set(vni.vni, samples);
      }
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  function renderVnis(vnis) {
    const rows = vnis.map((vni) => {
      const r = state.rates.get(vni.vni) || {};
      const drops = Object.values(vni.counters.drops).reduce((a, b) => a + b, 0);
      const flood = vni.multicast_group ? 'group ' + vni.multicast_group : vni.flood.join(', ');
      const tr = row(
        numberCell(vni.vni, String(vni.vni)),
        cell(vni.learning),
        cell(vni.ports.join(', '), 'mono'),
        cell(flood || '–', 'mono wrap'),
        numberCell(vni.fdb.total),
        numberCell(r.inPackets, scaled(r.inPackets, '')),
        numberCell(r.outPackets, scaled(r.outPackets, '')),
        numberCell(r.inBytes, scaled(r.inBytes, 'B/s')),
        numberCell(r.outBytes, scaled(r.outBytes, 'B/s')),
        numberCell(vni.counters.floods),
        numberCell(drops));
      tr.dataset.vni = String(vni.vni);
      tr.cells[5].classList.add('rate-in-packets');
      tr.cells[6].classList.add('rate-out-packets');
      tr.cells[7].classList.add('rate-in-bytes');
      tr.cells[8].classList.add('rate-out-bytes');
      if (drops > 0) {
        tr.cells[10].classList.add('state-bad');
      }
      if (vni.vni === state.selectedVni) {
        tr.classList.add('selected');
      }
      tr.addEventListener('click', () => {
        state.selectedVni = vni.vni;
        renderVnis(state.vnis);
        renderCharts();
      });
      return tr;
    });
    fill($('vnis').tBodies[0], rows, 11, 'no VNI configured');
  }

  function renderPorts(ports, vnis) {
    const attachments = new Map();
    for (const vni of vnis) {
      for (const attachment of vni.ports) {
        const port = attachment.split('.')[0];
        const vlan = attachment.includes('.') ? 'VLAN ' + attachment.split('.')[1] : 'untagged';
        const list = attachments.get(port) || [];
        list.push(vlan + ' → ' + vni.vni);
        attachments.set(port, list);
      }
    }
    const rows = ports.map((p) => row(
      cell(p.port, 'mono'), portState(p.state), numberCell(p.ifindex), numberCell(p.reopens),
      cell((attachments.get(p.port) || []).join(', '), 'wrap')));
    fill($('ports').tBodies[0], rows, 5, 'no access port');
    const up = ports.filter((p) => p.state === 'up').length;
    $('tile-ports').textContent = up + ' / ' + ports.length;
    $('tile-ports').classList.toggle('bad', up < ports.length);
  }

  function renderVteps(vteps, vnis, t) {
    const members = new Map();
    for (const vni of vnis) {
      for (const address of vni.flood) {
        members.set(address, (members.get(address) || []).concat(String(vni.vni)));
      }
    }
    const rows = vteps.map((v) => {
      const then = state.vtepPrevious.get(v.address);
      const seconds = then ? (t - then.t) / 1000 : 0;
      const rx = rate(v.rxp, then && then.rxp, seconds);
      const tx = rate(v.txp, then && then.txp, seconds);
      state.vtepPrevious.set(v.address, { t, rxp: v.rxp, txp: v.txp });
      const tr = row(
        cell(v.address, 'mono'), cell((members.get(v.address) || []).join(', ') || '–'),
        numberCell(v.rxp), numberCell(v.rxb, bytes(v.rxb)), numberCell(v.txp), numberCell(v.txb, bytes(v.txb)),
        numberCell(rx, scaled(rx, '')), numberCell(tx, scaled(tx, '')));
      tr.dataset.vtep = v.address;
      return tr;
    });
    fill($('vteps').tBodies[0], rows, 8, 'no remote VTEP known');
    $('tile-vteps').textContent = count(vteps.length);
  }

  function renderTiles(doc) {
    const vnis = doc.vnis;
    $('tile-vnis').textContent = count(vnis.length);
    $('tile-macs').textContent = count(vnis.reduce((a, v) => a + v.fdb.total, 0));
    let drops = Object.values(doc.drops).reduce((a, b) => a + b, 0);
    for (const vni of vnis) {
      drops += Object.values(vni.counters.drops).reduce((a, b) => a + b, 0);
    }
    $('tile-drops').textContent = count(drops);
    $('tile-drops').classList.toggle('bad', drops > 0);
  }

  function renderBgp(bgp) {
    $('bgp').hidden = bgp === null;
    $('tile-bgp-box').hidden = bgp === null;
    if (bgp === null) {
      return;
    }
    $('bgp-local').textContent = 'AS ' + bgp.asn + ' · router id ' + bgp.router_id + ' · listening on ' + bgp.listen;
    const rows = bgp.peers.map((p) => row(
      cell(p.address, 'mono'), numberCell(p.remote_as, String(p.remote_as)), cell(p.type),
      cell(p.state, 'state-' + (p.state === 'Established' ? 'Established' : 'bad')),
      numberCell(p.uptime_seconds, duration(p.uptime_seconds)),
      numberCell(p.prefixes_received), numberCell(p.prefixes_accepted), numberCell(p.prefixes_sent),
      numberCell(p.updates_received), numberCell(p.updates_sent),
      cell(p.description || '–'), cell(p.last_error || '–', 'wrap')));
    fill($('peers').tBodies[0], rows, 12, 'no neighbor configured');
    const established = bgp.peers.filter((p) => p.state === 'Established').length;
    $('tile-bgp').textContent = established + ' / ' + bgp.peers.length;
    $('tile-bgp').classList.toggle('bad', established < bgp.peers.length);
    $('routes-count').textContent = '(' + count(bgp.evpn.routes) + ')';
  }

  function renderRoutes() {
    const filter = $('routes-filter').value.trim().toLowerCase();
    const matching = state.routes.filter((r) => !filter ||
      [r.vni, r.mac, r.ip, r.next_hop, r.rd, r.source].some((f) => f !== null && String(f).toLowerCase().includes(filter)));
    const rows = matching.slice(0, ROUTES_SHOWN).map((r) => row(
      cell(r.best ? '*' : ''), cell('type ' + r.type), numberCell(r.vni, String(r.vni)), cell(r.mac || '–', 'mono'),
      cell(r.ip || '–', 'mono'), cell(r.rd, 'mono'), cell(r.next_hop, 'mono'), cell(r.source, 'mono'),
      numberCell(r.sequence)));
    fill($('routes').tBodies[0], rows, 9, 'no route');
    $('routes-shown').textContent = matching.length > ROUTES_SHOWN ?
      'first ' + ROUTES_SHOWN + ' of ' + count(matching.length) + ' shown; filter to narrow' : count(matching.length) + ' shown';
  }

  // ---- charts: canvas, drawn here (no library) -------------------------------------------------

  function renderCharts() {
    $('chart-vni').textContent = state.selectedVni === null ? '–' : String(state.selectedVni);
    const samples = state.history.get(state.selectedVni) || [];
    drawChart($('chart-packets'), samples, 'inPackets', 'outPackets', (v) => scaled(v, ''));
    drawChart($('chart-bytes'), samples, 'inBytes', 'outBytes', (v) => scaled(v, 'B/s'));
  }

  function niceCeiling(v) {
    if (v <= 0) {
      return 1;
    }
    const magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (v <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  function drawChart(canvas, samples, inKey, outKey, label) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 64;
    const right = 8;
    const top = 8;
    const bottom = 18;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const max = niceCeiling(samples.reduce((m, s) => Math.max(m, s[inKey] || 0, s[outKey] || 0), 0));
    const styles = getComputedStyle(document.documentElement);

    g.font = '11px ' + styles.getPropertyValue('--mono');
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = top + plotHeight - plotHeight * i / 4;
      g.strokeStyle = i === 0 ? '#c9d1dc' : '#eceff3';
      g.beginPath();
      g.moveTo(left, Math.round(y) + 0.5);
      g.lineTo(left + plotWidth, Math.round(y) + 0.5);
      g.stroke();
      g.fillStyle = '#66717f';
      g.fillText(label(max * i / 4).replace(/\.0+ /, ' '), left - 6, y);
    }
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillText('−' + Math.round(HISTORY * INTERVAL_MS / 60000) + ' min', left, height - 4);
    g.textAlign = 'right';
    g.fillText('now', left + plotWidth, height - 4);

    const x = (i) => left + plotWidth - (samples.length - 1 - i) * plotWidth / (HISTORY - 1);
    const y = (v) => top + plotHeight - plotHeight * (v || 0) / max;
    if (samples.length >= 2) {
      // in: a filled area; out: a line over it (in and out are often equal in a gateway)
      const path = (key) => samples.forEach((s, i) => (i === 0 ? g.moveTo(x(i), y(s[key])) : g.lineTo(x(i), y(s[key]))));
      g.beginPath();
      path(inKey);
      g.lineTo(x(samples.length - 1), y(0));
      g.lineTo(x(0), y(0));
      g.closePath();
      g.fillStyle = styles.getPropertyValue('--in-fill');
      g.fill();
      g.beginPath();
      path(inKey);
      g.strokeStyle = styles.getPropertyValue('--in');
      g.lineWidth = 1.5;
      g.stroke();
      g.beginPath();
      path(outKey);
      g.strokeStyle = styles.getPropertyValue('--out');
      g.lineWidth = 1.75;
      g.setLineDash([5, 3]);
      g.stroke();
      g.setLineDash([]);
    }
    canvas.dataset.samples = String(samples.length);
    canvas.dataset.last = samples.length === 0 ? '' : String(samples[samples.length - 1][inKey]);
  }

  // ---- FDB: the cursor API, with a MAC prefix search ---------------------------------------------

  function hexPrefix() {
    return $('fdb-search').value.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 12);
  }

  function macText(value) {
    const hex = value.toString(16).padStart(12, '0');
    return hex.match(/../g).join(':');
  }

  // The cursor just before the first MAC with this prefix in a VNI, or null to start at the VNI.
  function prefixStart(vni, prefix) {
    const lowest = parseInt(prefix.padEnd(12, '0'), 16);
    if (lowest > 0) {
      return vni + '/' + macText(lowest - 1);
    }
    return vni > 1 ? (vni - 1) + '/ff:ff:ff:ff:ff:ff' : null;
  }

  function fdbQuery(vni, after, limit) {
    let query = '/api/v1/fdb?limit=' + limit;
    if (vni !== null) {
      query += '&vni=' + vni;
    }
    if (after !== null) {
      query += '&after=' + encodeURIComponent(after);
    }
    return getJson(query);
  }

  // One page from `cursor` on: plain cursor paging, or with a prefix, the matches found by
  // jumping to where the prefix starts in each VNI (entries are sorted by VNI, then MAC), so a
  // search reads only the matching range even in an FDB of millions.
  async function fdbPage(cursor) {
    const prefix = hexPrefix();
    const selected = $('fdb-vni').value === '' ? null : Number($('fdb-vni').value);
    if (prefix === '') {
      const page = await fdbQuery(selected, cursor, FDB_PAGE);
      return { entries: page.entries, next: page.next };
    }
    // all VNIs: one read per VNI that has entries (a search starts afresh in each VNI's MAC order)
    const vnis = selected !== null ? [selected] :
      state.vnis.filter((v) => v.fdb.total > 0).map((v) => v.vni).sort((a, b) => a - b);
    const cursorVni = cursor === null ? 0 : Number(cursor.split('/')[0]);
    const found = [];
    for (const vni of vnis) {
      if (vni < cursorVni) {
        continue;
      }
      let after = vni === cursorVni ? cursor : prefixStart(vni, prefix);
      for (;;) {
        const page = await fdbQuery(vni, after, FDB_PAGE + 1 - found.length);
        let beyond = false;
        for (const e of page.entries) {
          const hex = e.mac.replace(/:/g, '');
          if (!hex.startsWith(prefix)) {
            beyond = beyond || hex > prefix;
            if (beyond) {
              break;
            }
            continue;
          }
          if (found.length === FDB_PAGE) {
            const last = found[found.length - 1];
            return { entries: found, next: last.vni + '/' + last.mac };
          }
          found.push(e);
        }
        if (beyond || page.next === null) {
          break;
        }
        after = page.next;
      }
    }
    return { entries: found, next: null };
  }

  async function refreshFdb() {
    // a click (next page, a search) and the periodic refresh may overlap: only the latest renders
    const ticket = ++state.fdbTicket;
    const cursor = state.fdbCursors[state.fdbCursors.length - 1];
    const page = await fdbPage(cursor);
    if (ticket !== state.fdbTicket) {
      return;
    }
    state.fdbNext = page.next;
    const rows = page.entries.map((e) => {
      const where = e.port === null ? '–' : e.port + (e.vlan === null ? '' : ' VLAN ' + e.vlan);
      const origin = document.createElement('td');
      const badge = document.createElement('span');
      badge.className = 'origin ' + e.origin;
      badge.textContent = e.origin;
      origin.appendChild(badge);
      const tr = row(numberCell(e.vni, String(e.vni)), cell(e.mac, 'mono'), origin, cell(where, 'mono'),
        cell(e.remote || '–', 'mono'), numberCell(e.age_seconds, e.age_seconds + ' s'));
      tr.dataset.mac = e.mac;
      return tr;
    });
    fill($('fdb').tBodies[0], rows, 6, hexPrefix() === '' ? 'no entry' : 'no MAC starts with that prefix');
    const first = (state.fdbCursors.length - 1) * FDB_PAGE;
    $('fdb-range').textContent = page.entries.length === 0 ? '' :
      'entries ' + count(first + 1) + '–' + count(first + page.entries.length) + (hexPrefix() === '' ? '' : ' of the matches');
    $('fdb-prev').disabled = state.fdbCursors.length < 2;
    $('fdb-first').disabled = state.fdbCursors.length < 2;
    $('fdb-next').disabled = state.fdbNext === null;
  }

  function renderFdbTotal(vnis) {
    const selected = $('fdb-vni').value;
    const select = $('fdb-vni');
    const options = [''].concat(vnis.map((v) => String(v.vni)));
    if ([...select.options].map((o) => o.value).join() !== options.join()) {
      select.replaceChildren(...options.map((value) => {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = value === '' ? 'all' : value;
        return option;
      }));
      select.value = options.includes(selected) ? selected : '';
    }
    const shown = vnis.filter((v) => selected === '' || String(v.vni) === selected);
    $('fdb-total').textContent = count(shown.reduce((a, v) => a + v.fdb.total, 0)) + ' entries';
  }

  function restartFdb() {
    state.fdbCursors = [null];
    refreshFdb().catch(showError);
  }

  // ---- the refresh loop ------------------------------------------------------------------------

  function showError(error) {
    const alert = $('alert');
    alert.hidden = error === null;
    alert.textContent = error === null ? '' : 'vtep is not answering as expected: ' + error.message +
      ' (showing the last values read)';
  }

  async function refresh() {
    const t = performance.now();
    const [vniDoc, portDoc, metrics, ready] = await Promise.all([
      getJson('/api/v1/vnis'), getJson('/api/v1/ports'), getText('/metrics'), getText('/readyz')]);
    // Every configured neighbor has a vtep_bgp_peer_state series: ask /api/v1/bgp only then
    // (without a bgp section it answers 404, which a browser logs as an error).
    const bgp = /^vtep_bgp_peer_state\{/m.test(metrics.text) ? await getJson('/api/v1/bgp') : null;
    state.vnis = vniDoc.vnis;
    if (state.selectedVni === null || !state.vnis.some((v) => v.vni === state.selectedVni)) {
      state.selectedVni = state.vnis.length > 0 ? state.vnis[0].vni : null;
    }
    updateRates(state.vnis, t);
    renderTiles(vniDoc);
    renderVnis(state.vnis);
    renderCharts();
    renderPorts(portDoc.ports, state.vnis);
    renderVteps(remoteVteps(metrics.text), state.vnis, t);
    renderBgp(bgp);
    renderFdbTotal(state.vnis);
    await refreshFdb();
    if (bgp !== null && $('routes-box').open && Date.now() - state.routesFetched > ROUTES_EVERY_MS) {
      state.routes = (await getJson('/api/v1/bgp/routes')).routes;
      state.routesFetched = Date.now();
      renderRoutes();
    }

    const badge = $('ready');
    badge.textContent = ready.status === 200 ? 'ready' : ready.text.trim();
    badge.className = 'badge ' + (ready.status === 200 ? 'ok' : 'bad');
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
    showError(null);
  }

  async function loop() {
    if (!state.paused && document.visibilityState !== 'hidden') {
      try {
        await refresh();
      } catch (error) {
        showError(error);
        $('ready').className = 'badge bad';
        $('ready').textContent = 'no answer';
      }
    }
    setTimeout(loop, INTERVAL_MS);
  }

  async function start() {
    $('interval').textContent = String(INTERVAL_MS / 1000);
    try {
      const version = await getJson('/api/v1/version');
      $('version').textContent = version.version;
    } catch (ignored) {
      // shown by the first refresh's error
    }
    $('pause').addEventListener('click', () => {
      state.paused = !state.paused;
      $('pause').textContent = state.paused ? 'Resume' : 'Pause';
      // rates after a pause are over the whole pause: start afresh instead
      state.previous.clear();
      state.vtepPrevious.clear();
    });
    let searchTimer = null;
    $('fdb-search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(restartFdb, 250);
    });
    $('fdb-vni').addEventListener('change', () => {
      renderFdbTotal(state.vnis);
      restartFdb();
    });
    $('fdb-first').addEventListener('click', restartFdb);
    $('fdb-prev').addEventListener('click', () => {
      state.fdbCursors.pop();
      refreshFdb().catch(showError);
    });
    $('fdb-next').addEventListener('click', () => {
      if (state.fdbNext !== null) {
        state.fdbCursors.push(state.fdbNext);
        refreshFdb().catch(showError);
      }
    });
    $('routes-box').addEventListener('toggle', () => {
      state.routesFetched = 0;
    });
    $('routes-filter').addEventListener('input', renderRoutes);
    window.addEventListener('resize', renderCharts);
    loop();
  }

  start();
}());
