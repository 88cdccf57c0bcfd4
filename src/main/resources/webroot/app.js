// The oracle's chart page: history from the OHLCV API, the open candle live from the SSE stream
// (1-minute candles folded into the open bucket of the chosen resolution), the sources behind the
// last price (its status, confidence and quorum; a withheld price says why), and each exchange's
// breaker state in words. Everything is same-origin; data from the API is written with textContent
// only.
//
// window.__oracle exposes the page's state (for operators' consoles and the browser test).
(function () {
  'use strict';

  const RESOLUTIONS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '4h': 14400, '1d': 86400 };
  const HISTORY_BARS = 300;
  const MAX_HISTORY_PAGES = 5;
  const PRICE_REFRESH_MS = 5000;
  const HEALTH_REFRESH_MS = 15000;
  const UP = '#26a69a';
  const DOWN = '#ef5350';

  const state = window.__oracle = {
    ready: false,          // history drawn and stream opened for the current selection
    loading: true,         // the selection's first data has not arrived yet (the page says so)
    generation: 0,         // bumps on every symbol/resolution change
    symbol: null,
    resolution: '1m',
    symbols: [],
    candleCount: 0,
    lastCandle: null,      // the chart's last (open) bar
    streamState: 'idle',   // idle | connecting | live | reconnecting
    streamEvents: 0,       // candle events applied to the chart
    price: null,           // the last price (as /market/price answers it), null without one
    priceStatus: null,     // the last price's status in words
    health: null,          // last /health body
    errors: []
  };

  const $ = (id) => document.getElementById(id);
  let chart, candleSeries, volumeSeries;
  let bars = [];             // ascending, what the chart shows
  let openBucket = null;     // { time, base, minutes: Map(minuteTime -> candle), seeded }
  let stream = null;
  let pendingMinutes = [];   // stream events that arrived before the history
  let priceBackoffUntil = 0; // after a 429, the API's Retry-After

  // ---------------------------------------------------------------- helpers

  function fail(where, err) {
    const message = where + ': ' + (err && err.message ? err.message : String(err));
    state.errors.push(message);
    if (state.errors.length > 20) state.errors.shift();
    const box = $('error');
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
  }

  function setLoading(on) {
    state.loading = on;
    $('loading').hidden = !on;
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const detail = body && (body.message || body.error) ? ' ' + (body.message || body.error) : '';
      const err = new Error(url.split('?')[0] + ' answered ' + res.status + detail);
      err.status = res.status;
      err.retryAfterS = num(res.headers.get('Retry-After'));
      err.body = body;
      throw err;
    }
    return body;
  }

  function num(v) {
    if (v === null || v === undefined || v === '') return NaN;
    return typeof v === 'number' ? v : Number(v);
  }

  /** Unix seconds from seconds, milliseconds or an ISO string. */
  function toSeconds(v) {
    if (typeof v === 'string' && !/^\d+(\.\d+)?$/.test(v)) {
      const ms = Date.parse(v);
      return Number.isFinite(ms) ? Math.floor(ms / 1000) : NaN;
    }
    const n = num(v);
    if (!Number.isFinite(n)) return NaN;
    return n > 1e11 ? Math.floor(n / 1000) : Math.floor(n);
  }

  function toBar(c) {
    if (!c || typeof c !== 'object') return null;
    const bar = {
      time: toSeconds(c.time), open: num(c.open), high: num(c.high),
      low: num(c.low), close: num(c.close), volume: num(c.volume)
    };
    if (![bar.time, bar.open, bar.high, bar.low, bar.close].every(Number.isFinite)) return null;
    if (!Number.isFinite(bar.volume)) bar.volume = 0;
    return bar;
  }

  function precisionFor(price) {
    const p = Math.abs(price);
    if (p >= 100) return 2;
    if (p >= 1) return 4;
    if (p >= 0.01) return 6;
    return 8;
  }

  function formatPrice(v) {
    const n = num(v);
    if (!Number.isFinite(n)) return v === undefined || v === null ? '—' : String(v);
    const digits = precisionFor(n);
    return n.toLocaleString('en-US', { minimumFractionDigits: Math.min(digits, 2), maximumFractionDigits: digits });
  }

  function formatTime(v) {
    const s = toSeconds(v);
    return Number.isFinite(s) ? new Date(s * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC') : '—';
  }

  function setText(id, text) {
    $(id).textContent = text;
  }

  // ---------------------------------------------------------------- chart

  function createChart() {
    const LC = window.LightweightCharts;
    chart = LC.createChart($('chart'), {
      autoSize: true,
      layout: { background: { type: 'solid', color: '#161c23' }, textColor: '#d6dde6' },
      grid: { vertLines: { color: '#1f2730' }, horzLines: { color: '#1f2730' } },
      rightPriceScale: { borderColor: '#26303b' },
      timeScale: { borderColor: '#26303b', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 }
    });
    candleSeries = chart.addSeries(LC.CandlestickSeries, {
      upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN
    });
    // Candles in the upper part, volume bars in the bottom fifth.
    candleSeries.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    volumeSeries = chart.addSeries(LC.HistogramSeries, {
      priceFormat: { type: 'volume' }, priceScaleId: 'volume', lastValueVisible: false, priceLineVisible: false
    });
    volumeSeries.priceScale().applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
  }

  function volumeBar(bar) {
    return { time: bar.time, value: bar.volume, color: bar.close >= bar.open ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)' };
  }

  function drawAll() {
    if (bars.length > 0) {
      const p = precisionFor(bars[bars.length - 1].close);
      candleSeries.applyOptions({ priceFormat: { type: 'price', precision: p, minMove: Math.pow(10, -p) } });
    }
    candleSeries.setData(bars.map(({ volume, ...ohlc }) => ohlc));
    volumeSeries.setData(bars.map(volumeBar));
    chart.timeScale().fitContent();
    updateLegend();
  }

  function drawLast() {
    const bar = bars[bars.length - 1];
    const { volume, ...ohlc } = bar;
    candleSeries.update(ohlc);
    volumeSeries.update(volumeBar(bar));
    updateLegend();
  }

  function updateLegend() {
    state.candleCount = bars.length;
    state.lastCandle = bars.length ? Object.assign({}, bars[bars.length - 1]) : null;
    setText('candle-count', String(bars.length));
    setText('legend-symbol', (state.symbol || '—') + ' · ' + state.resolution);
    const last = state.lastCandle;
    setText('last-price', last ? formatPrice(last.close) : '—');
    document.title = last ? formatPrice(last.close) + ' ' + state.symbol + ' · Price oracle' : 'Price oracle';
    $('last-price').style.color = last ? (last.close >= last.open ? UP : DOWN) : '';
  }

  // ---------------------------------------------------------------- history

  async function loadHistory(symbol, resolution) {
    const step = RESOLUTIONS[resolution];
    const now = Math.floor(Date.now() / 1000);
    let from = Math.floor(now / step) * step - step * (HISTORY_BARS - 1);
    const byTime = new Map();
    for (let page = 0; page < MAX_HISTORY_PAGES && from !== null; page++) {
      const q = new URLSearchParams({ symbol, resolution, from: String(from), limit: String(HISTORY_BARS + 1) });
      const body = await getJson('/api/v1/market/ohlcv?' + q);
      const candles = body && Array.isArray(body.candles) ? body.candles : [];
      for (const c of candles) {
        const bar = toBar(c);
        if (bar) byTime.set(bar.time, bar);
      }
      const next = body ? toSeconds(body.nextFrom) : NaN;
      from = candles.length > 0 && Number.isFinite(next) && next > from ? next : null;
    }
    return [...byTime.values()].sort((a, b) => a.time - b.time);
  }

  /** For resolutions above 1m: the minutes of the open bucket, so live minutes fold in exactly. */
  async function loadOpenBucketMinutes(symbol, bucketStart, step) {
    const q = new URLSearchParams({ symbol, resolution: '1m', from: String(bucketStart), to: String(bucketStart + step - 1), limit: '1440' });
    const body = await getJson('/api/v1/market/ohlcv?' + q);
    const minutes = new Map();
    for (const c of (body && Array.isArray(body.candles) ? body.candles : [])) {
      const bar = toBar(c);
      if (bar && bar.time >= bucketStart && bar.time < bucketStart + step) minutes.set(bar.time, bar);
    }
    return minutes;
  }

  // ---------------------------------------------------------------- live candles

  /** Folds one live 1-minute candle into the chart's open bucket. */
  function applyMinute(candle) {
    const minute = toBar(candle);
    if (!minute) return;
    const step = RESOLUTIONS[state.resolution];
    const bucket = Math.floor(minute.time / step) * step;
    const last = bars[bars.length - 1];
    if (last && bucket < last.time) return; // older than the chart's open bar: the chart cannot rewrite history
    if (!openBucket || openBucket.time !== bucket) {
      openBucket = { time: bucket, base: last && last.time === bucket ? last : null, minutes: new Map(), seeded: false };
    }
    const updatedAt = num(candle.updatedAtMs !== undefined ? candle.updatedAtMs : candle.updatedAt);
    const previous = openBucket.minutes.get(minute.time);
    if (previous && Number.isFinite(previous.updatedAt) && Number.isFinite(updatedAt) && updatedAt < previous.updatedAt) return;
    minute.updatedAt = updatedAt;
    openBucket.minutes.set(minute.time, minute);

    const bar = foldBucket(openBucket, step);
    if (last && last.time === bucket) bars[bars.length - 1] = bar; else bars.push(bar);
    drawLast();
    state.streamEvents++;
    setText('last-update', 'updated ' + formatTime(Number.isFinite(updatedAt) ? updatedAt : Date.now()));
  }

  function foldBucket(b, step) {
    const minutes = [...b.minutes.values()].sort((x, y) => x.time - y.time);
    if (step === 60) {
      const m = minutes[minutes.length - 1];
      return { time: b.time, open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume };
    }
    const base = b.base;
    let high = Math.max(...minutes.map((m) => m.high));
    let low = Math.min(...minutes.map((m) => m.low));
    let volume = minutes.reduce((sum, m) => sum + m.volume, 0);
    let open = minutes[0].open;
    if (base) {
      high = Math.max(high, base.high);
      low = Math.min(low, base.low);
      // The stored bucket may hold minutes that the 1m seed did not return; never show less.
      volume = Math.max(volume, base.volume);
      open = base.open;
    }
    return { time: b.time, open, high, low, close: minutes[minutes.length - 1].close, volume };
  }

  function openStream(symbol, generation) {
    if (stream) stream.close();
    pendingMinutes = [];
    setStreamState('connecting');
    const es = new EventSource('/api/v1/market/stream?' + new URLSearchParams({ symbol }));
    stream = es;
    const onCandle = (e) => {
      if (generation !== state.generation) return;
      let candle;
      try { candle = JSON.parse(e.data); } catch (err) { fail('stream', err); return; }
      if (!candle || (candle.symbol && candle.symbol !== state.symbol)) return;
      if (!state.ready) { pendingMinutes.push(candle); return; }
      applyMinute(candle);
    };
    es.addEventListener('candle', onCandle);
    es.onmessage = onCandle; // unnamed events carry the same data
    es.onopen = () => {
      if (generation !== state.generation) return;
      const reconnected = state.streamState === 'reconnecting';
      setStreamState('live');
      // Candles published while the stream was down were missed: redraw from the API.
      if (reconnected) loadAndDraw(symbol, state.resolution, generation);
    };
    es.onerror = () => {
      if (generation !== state.generation) return;
      setStreamState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    };
  }

  function setStreamState(s) {
    state.streamState = s;
    const badge = $('stream-state');
    badge.textContent = s === 'live' ? 'live' : s;
    badge.className = 'badge ' + (s === 'live' ? 'live' : (s === 'connecting' ? '' : 'down'));
  }

  // ---------------------------------------------------------------- selection

  async function select(symbol, resolution) {
    const generation = ++state.generation;
    state.ready = false;
    state.symbol = symbol;
    state.resolution = resolution;
    state.streamEvents = 0;
    setLoading(true);
    bars = [];
    openBucket = null;
    drawAll();
    const url = new URL(window.location.href);
    url.searchParams.set('symbol', symbol);
    url.searchParams.set('resolution', resolution);
    window.history.replaceState(null, '', url);

    openStream(symbol, generation); // first, so no update between history and stream is lost
    refreshPrice();
    await loadAndDraw(symbol, resolution, generation);
  }

  /** History from the API, drawn; stream events that arrive meanwhile are applied after it. */
  async function loadAndDraw(symbol, resolution, generation) {
    state.ready = false;
    try {
      const history = await loadHistory(symbol, resolution);
      if (generation !== state.generation) return;
      bars = history;
      openBucket = null;
      // The last bar is the one live minutes fold into; its stored minutes make the fold exact.
      const step = RESOLUTIONS[resolution];
      const last = bars[bars.length - 1];
      if (step > 60 && last && Date.now() / 1000 - last.time < 2 * step) {
        const minutes = await loadOpenBucketMinutes(symbol, last.time, step);
        if (generation !== state.generation) return;
        openBucket = { time: last.time, base: last, minutes, seeded: minutes.size > 0 };
      }
      drawAll();
      clearError();
    } catch (err) {
      if (generation === state.generation) fail('history', err);
    }
    if (generation !== state.generation) return;
    state.ready = true;
    setLoading(false);
    const queued = pendingMinutes;
    pendingMinutes = [];
    for (const c of queued) applyMinute(c);
  }

  async function loadSymbols() {
    const body = await getJson('/api/v1/market/symbols');
    const list = body && Array.isArray(body.symbols) ? body.symbols : [];
    state.symbols = list
      .map((s) => (typeof s === 'string' ? { symbol: s, sources: [] } : s))
      .filter((s) => s && typeof s.symbol === 'string');
    const sel = $('symbol');
    sel.replaceChildren();
    for (const s of state.symbols) {
      const opt = document.createElement('option');
      opt.value = s.symbol;
      const sources = Array.isArray(s.sources) ? s.sources.map(sourceName) : [];
      opt.textContent = s.symbol;
      opt.title = sources.length ? 'sources: ' + sources.join(', ') : '';
      sel.appendChild(opt);
    }
  }

  // ---------------------------------------------------------------- price and sources

  function sourceName(s) {
    if (s === null || s === undefined) return '?';
    if (typeof s !== 'object') return String(s);
    return String(s.source || s.exchange || s.name || s.id || '?');
  }

  /** Sources as rows, whether the API sends an array of names/objects or an object keyed by name. */
  function entries(v) {
    if (Array.isArray(v)) return v.map((s) => (typeof s === 'object' && s !== null ? [sourceName(s), s] : [String(s), {}]));
    if (v && typeof v === 'object') return Object.entries(v).map(([k, s]) => [k, typeof s === 'object' && s !== null ? s : { value: s }]);
    return [];
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    return tr;
  }

  /** Why a source was left out, in words (the API's reason codes, see DropReason). */
  const DROP_REASONS = {
    outlier: 'outlier: far from the other sources',
    stale: 'stale: its last quote is too old',
    no_conversion: 'no conversion rate to the quote currency',
    breaker_open: 'cut off: failing, not asked',
    rate_limited: 'rate limited: not asked this tick',
    invalid_price: 'invalid price',
    diverged: 'diverged: outside the allowed band around the median',
    frozen: 'frozen: stopped moving while the others moved',
    manipulated: 'manipulated: pool spot price far from its average'
  };

  function dropReason(code) {
    const c = String(code === undefined || code === null ? '' : code);
    return DROP_REASONS[c] || c.replace(/_/g, ' ') || 'unknown';
  }

  /**
   * Each weight's share of the total as a percent with one decimal, rounded (largest remainder) to add
   * up to 100 %; null for a source without a weight (not part of the VWAP), "< 0.1 %" for a weight
   * too small to show.
   */
  function shares(weights) {
    const w = weights.map((x) => (x > 0 ? x : 0));
    const total = w.reduce((sum, x) => sum + x, 0);
    if (!(total > 0)) return weights.map(() => null);
    const exact = w.map((x) => x / total * 1000);
    const tenths = exact.map(Math.floor);
    let left = 1000 - tenths.reduce((a, b) => a + b, 0);
    const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0]);
    for (let k = 0; left > 0 && k < order.length; k++, left--) tenths[order[k][1]]++;
    return tenths.map((t, i) => (w[i] === 0 ? null : (t === 0 ? '< 0.1 %' : (t / 10).toFixed(1) + ' %')));
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  /**
   * The price's status in words: published, stale, or withheld with the quorum rule's reason.
   * {@code heard} is how many sources gave a price this tick (of a withheld price).
   */
  function statusWords(body, heard) {
    const status = body.status || 'ok';
    const needed = num(body.minSources);
    const need = Number.isFinite(needed) ? plural(needed, 'source', 'sources') + ' needed' : 'a quorum needed';
    if (status === 'no_quorum') {
      return 'withheld: too few sources (' + (Number.isFinite(heard) ? heard + ' answered, ' : '') + need + ')';
    }
    if (status === 'diverged') {
      return 'withheld: the sources disagree (' + (Number.isFinite(needed) ? 'fewer than ' + needed : 'too few')
        + ' agree within the allowed divergence)';
    }
    if (status !== 'ok') return 'withheld: ' + String(status).replace(/_/g, ' ');
    if (body.stale === true) return 'stale: no source has updated it since';
    return 'published';
  }

  function renderPrice(body) {
    const dl = $('price');
    dl.replaceChildren();
    const add = (label, value, className) => {
      if (value === undefined || value === null || value === '') return;
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      if (className) dd.className = className;
      dl.append(dt, dd);
    };
    const usedBody = $('sources-used').tBodies[0];
    const droppedBody = $('sources-dropped').tBodies[0];
    usedBody.replaceChildren();
    droppedBody.replaceChildren();
    if (!body) {
      add('price', 'no price yet');
      state.priceStatus = null;
      return;
    }
    const withheld = body.status !== undefined && body.status !== 'ok';
    // A withheld price keeps the last agreed one; this tick's sources are in statusSources.
    const tick = withheld && Array.isArray(body.statusSources) ? body.statusSources : null;
    const heardRows = tick ? tick.filter((s) => s && typeof s === 'object' && s.reason === undefined) : null;
    const words = statusWords(body, heardRows ? heardRows.length : NaN);
    state.priceStatus = words;
    add('price', withheld ? 'withheld' : formatPrice(body.price), withheld ? 'status-withheld' : '');
    add('status', words, withheld ? 'status-withheld' : (body.stale === true ? 'status-stale' : 'status-ok'));
    if (withheld && body.price !== undefined && body.price !== null) {
      const at = body.timestampMs !== undefined ? body.timestampMs : body.timestamp;
      add('last agreed', formatPrice(body.price) + (at !== undefined ? ' at ' + formatTime(at) : ''));
    }
    const conf = num(body.confidence);
    const price = num(body.price);
    add('confidence', Number.isFinite(conf)
      ? '± ' + formatPrice(conf) + (Number.isFinite(price) && price > 0 ? ' (' + (conf / price * 100).toPrecision(2) + ' %)' : '')
      : (body.confidence === null ? 'unknown' : undefined));
    add('stale', body.stale === undefined ? undefined : (body.stale === true ? 'yes' : 'no'));
    add('sources needed', Number.isFinite(num(body.minSources)) ? String(num(body.minSources)) : undefined);
    const priceAt = body.timestampMs !== undefined ? body.timestampMs : body.timestamp;
    if (!withheld) add('time', priceAt !== undefined ? formatTime(priceAt) : undefined);
    const age = num(body.ageMs);
    add('age', Number.isFinite(age) ? (age / 1000).toFixed(1) + ' s' : undefined);
    add('method', body.method || body.aggregation);
    const d = body.dispersion;
    if (d !== undefined && d !== null) {
      add('dispersion', typeof d === 'object'
        ? Object.entries(d).map(([k, v]) => k + ' ' + (Number.isFinite(num(v)) ? num(v).toPrecision(4) : v)).join(', ')
        : (Number.isFinite(num(d)) ? num(d).toPrecision(4) : String(d)));
    }
    setText('sources-used-title', tick ? 'Sources heard this tick' : 'Sources used');
    const used = tick ? entries(heardRows)
      : entries(body.sources !== undefined ? body.sources : (body.sourcesUsed !== undefined ? body.sourcesUsed : body.used));
    const weightShares = shares(used.map(([, s]) => num(s.weight)));
    used.forEach(([name, s], i) => {
      usedBody.appendChild(row([name, s.price !== undefined ? formatPrice(s.price) : (s.value !== undefined ? formatPrice(s.value) : ''),
        weightShares[i] || '—']));
    });
    if (used.length === 0) usedBody.appendChild(row(['—', '', '']));
    const dropped = tick ? entries(tick.filter((s) => s && typeof s === 'object' && s.reason !== undefined))
      : entries(body.dropped !== undefined ? body.dropped : (body.sourcesDropped !== undefined ? body.sourcesDropped : body.droppedSources));
    for (const [name, s] of dropped) {
      droppedBody.appendChild(row([name, dropReason(s.reason !== undefined ? s.reason : s.value)]));
    }
    if (dropped.length === 0) droppedBody.appendChild(row(['none', '']));
  }

  async function refreshPrice() {
    const symbol = state.symbol;
    if (!symbol) return;
    if (Date.now() < priceBackoffUntil) return;
    try {
      // The batch route answers 200 with the symbol under "missing" while it has no price yet,
      // where /price answers 404 (which the browser logs as an error in the console).
      const body = await getJson('/api/v1/market/prices?' + new URLSearchParams({ symbols: symbol }));
      if (symbol !== state.symbol) return;
      const prices = body && Array.isArray(body.prices) ? body.prices : [];
      const price = prices.find((p) => p && p.symbol === symbol) || prices[0] || null;
      state.price = price;
      renderPrice(price);
    } catch (err) {
      if (symbol !== state.symbol) return;
      state.price = null;
      if (err.status === 404) renderPrice(null);
      else if (err.status === 429) priceBackoffUntil = Date.now() + 1000 * (Number.isFinite(err.retryAfterS) ? err.retryAfterS : 30);
      else fail('price', err);
    }
  }

  // ---------------------------------------------------------------- health

  /** A circuit breaker's state as a reader says it, with the class that colours it. */
  const BREAKER_WORDS = {
    closed: ['healthy', 'asked every tick (circuit breaker closed)'],
    open: ['cut off', 'failing: not asked until the breaker retries (circuit breaker open)'],
    'half-open': ['probing', 'one trial request decides whether it comes back (circuit breaker half-open)']
  };

  function breakerState(v) {
    if (v && typeof v === 'object') v = v.state || v.status || v.breaker;
    if (v === 1 || v === true) return 'closed';
    if (v === 0 || v === false) return 'open';
    return String(v || 'unknown').toLowerCase().replace(/_/g, '-');
  }

  async function refreshHealth() {
    let body;
    try {
      const res = await fetch('/api/v1/health', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      body = await res.json(); // 503 still carries the body
    } catch (err) {
      fail('health', err);
      return;
    }
    state.health = body;
    $('simulated').hidden = !(body && body.simulated === true);
    const exchanges = body && body.exchanges && typeof body.exchanges === 'object' ? body.exchanges : {};
    const ul = $('exchanges');
    ul.replaceChildren();
    const names = Object.keys(exchanges).sort();
    for (const name of names) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = name;
      const st = document.createElement('span');
      const s = breakerState(exchanges[name]);
      const words = BREAKER_WORDS[s];
      st.textContent = words ? words[0] : s;
      st.title = words ? words[1] : 'breaker state ' + s;
      st.className = 'state-' + s;
      li.append(label, st);
      ul.appendChild(li);
    }
    if (names.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'no exchange reported by this instance';
      li.className = 'muted';
      ul.appendChild(li);
    }
    const healthy = names.filter((n) => breakerState(exchanges[n]) === 'closed').length;
    setText('health-summary', [
      body && body.status ? 'status ' + body.status : null,
      body && body.instanceId ? 'instance ' + body.instanceId + (body.leader ? ' (leader)' : '') : null,
      names.length ? healthy + '/' + names.length + ' healthy' : null
    ].filter(Boolean).join(' · '));
  }

  // ---------------------------------------------------------------- start

  async function start() {
    if (!window.LightweightCharts) {
      setLoading(false);
      fail('chart', new Error('chart library did not load'));
      return;
    }
    createChart();
    const params = new URLSearchParams(window.location.search);
    const wantedResolution = RESOLUTIONS[params.get('resolution')] ? params.get('resolution') : '1m';
    $('resolution').value = wantedResolution;
    refreshHealth();
    setInterval(refreshHealth, HEALTH_REFRESH_MS);
    setInterval(refreshPrice, PRICE_REFRESH_MS);
    try {
      await loadSymbols();
    } catch (err) {
      setLoading(false);
      fail('symbols', err);
      return;
    }
    if (state.symbols.length === 0) {
      setLoading(false);
      fail('symbols', new Error('no symbols configured'));
      return;
    }
    const wanted = params.get('symbol');
    const symbol = state.symbols.some((s) => s.symbol === wanted) ? wanted : state.symbols[0].symbol;
    $('symbol').value = symbol;
    $('symbol').addEventListener('change', () => select($('symbol').value, $('resolution').value));
    $('resolution').addEventListener('change', () => select($('symbol').value, $('resolution').value));
    await select(symbol, wantedResolution);
  }

  start();
})();
