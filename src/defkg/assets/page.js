// The analyst's page (defkg view, defkg serve's /): states and their engagements over vis-network.
// Data: the JSON in #defkg-data (see defkg.view.page_data). Every text from the data is set with
// textContent (never innerHTML); links are made only for http(s) URLs.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("defkg-data").textContent);
  var byId = function (id) { return document.getElementById(id); };
  var SVG = "http://www.w3.org/2000/svg";
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") { e.textContent = String(text); }
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }
  function isHttp(u) { return typeof u === "string" && /^https?:\/\/[^\s<>"']+$/i.test(u); }
  function button(text, onclick, type) {
    var b = el("button", text, {type: "button", "class": "defkg-link"});
    if (type) { b.appendChild(el("span", type, {"class": "defkg-type"})); }
    b.addEventListener("click", onclick);
    return b;
  }
  // case- and accent-insensitive, Turkish-aware: "yasar", "YAŞAR" and "Yaşar" are the same
  function fold(t) {
    return String(t).toLocaleLowerCase("tr").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0131/g, "i");
  }

  // the page's own words, in the page's language (lang/<lang>/page.tsv): ui("count", {n: 3, m: 2})
  var UI = D.ui || {};
  function ui(key, vars) {
    var text = Object.prototype.hasOwnProperty.call(UI, key) ? UI[key] : key;
    Object.keys(vars || {}).forEach(function (v) { text = text.split("{" + v + "}").join(String(vars[v])); });
    return text;
  }
  document.querySelectorAll("[data-ui]").forEach(function (e) { e.textContent = ui(e.getAttribute("data-ui")); });
  document.querySelectorAll("[data-ui-placeholder]").forEach(function (e) {
    e.setAttribute("placeholder", ui(e.getAttribute("data-ui-placeholder")));
  });
  document.querySelectorAll("[data-ui-label]").forEach(function (e) {
    e.setAttribute("aria-label", ui(e.getAttribute("data-ui-label")));
  });

  var KINDS = D.kinds;
  var COLOR = {meeting: "#2f6fb5", call: "#17a2b8", agreement: "#2e9e44", exercise: "#d9480f"};
  var NAME = {};  // kind -> [one, several (after a number), the kind as a legend]
  ["meeting", "call", "agreement", "exercise"].forEach(function (k) {
    NAME[k] = [ui("kind." + k + ".one"), ui("kind." + k + ".many"), ui("kind." + k + ".label")];
  });
  var E = D.engagements;
  E.forEach(function (e, i) { e.n = i; e.year = e.start ? Number(e.start.slice(0, 4)) : null; });
  function stateName(c) { return D.states[c] ? D.states[c].label : c; }
  function personName(p) { return D.people[p] ? D.people[p].label : p; }
  function counted(n, kind) { return n + " " + NAME[kind][n === 1 ? 0 : 1]; }
  function countsText(list) {
    var c = {};
    list.forEach(function (e) { c[e.kind] = (c[e.kind] || 0) + 1; });
    return KINDS.filter(function (k) { return c[k]; }).map(function (k) { return counted(c[k], k); }).join(", ");
  }
  function pairKey(a, b) { return a < b ? a + "|" + b : b + "|" + a; }
  function pairsOf(e) {
    var out = [];
    for (var i = 0; i < e.states.length; i++) {
      for (var j = i + 1; j < e.states.length; j++) { out.push(pairKey(e.states[i], e.states[j])); }
    }
    return out;
  }

  // -- filters ---------------------------------------------------------------------------------
  var years = E.filter(function (e) { return e.year; }).map(function (e) { return e.year; });
  var minYear = years.length ? Math.min.apply(null, years) : 0;
  var maxYear = years.length ? Math.max.apply(null, years) : 0;
  var from = byId("defkg-from"), to = byId("defkg-to"), undated = byId("defkg-undated");
  [from, to].forEach(function (x) { x.min = minYear; x.max = maxYear; });
  from.value = minYear || ""; to.value = maxYear || "";
  var kindBox = byId("defkg-kinds"), kindOn = {};
  KINDS.forEach(function (k) {
    kindOn[k] = true;
    var present = E.some(function (e) { return e.kind === k; });
    var lab = el("label");
    var cb = el("input", null, {type: "checkbox", value: k, "class": "defkg-kind"});
    cb.checked = true;
    if (!present) { cb.disabled = true; lab.title = ui("none.in.store"); }
    cb.addEventListener("change", function () { kindOn[k] = cb.checked; refresh(true); });
    lab.appendChild(cb);
    lab.appendChild(el("span", "", {"class": "swatch", style: "background:" + COLOR[k]}));
    lab.appendChild(document.createTextNode(NAME[k][2]));
    kindBox.appendChild(lab);
  });
  function shown(e) {
    if (!kindOn[e.kind]) { return false; }
    if (e.year === null) { return undated.checked; }
    var lo = Number(from.value) || minYear, hi = Number(to.value) || maxYear;
    return e.year >= lo && e.year <= hi;
  }

  // -- the state-level graph ----------------------------------------------------------------------
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var allStates = {}, allPairs = {};
  E.forEach(function (e) {
    e.states.forEach(function (s) { allStates[s] = true; });
    pairsOf(e).forEach(function (p) { allPairs[p + "|" + e.kind] = true; });
  });
  Object.keys(allStates).sort().forEach(function (s) {
    nodes.add({id: "s:" + s, code: s, label: stateName(s), value: 1, shape: "dot",
      color: {background: "#e9eef6", border: "#2f4b7c", highlight: {background: "#ffd966", border: "#7a5a00"}},
      font: {size: 18, color: "#1d2330", strokeWidth: 4, strokeColor: "#ffffff"}});
  });
  Object.keys(allPairs).sort().forEach(function (key) {
    var p = key.split("|"), k = p[2], idx = KINDS.indexOf(k);
    edges.add({id: "p:" + key, from: "s:" + p[0], to: "s:" + p[1], kind: k, pair: p[0] + "|" + p[1],
      color: {color: COLOR[k], highlight: COLOR[k], opacity: 0.85},
      smooth: idx === 0 ? false : {enabled: true, type: idx % 2 ? "curvedCW" : "curvedCCW", roundness: 0.12 * idx},
      font: {size: 13, color: COLOR[k], strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal"}});
  });
  var network = new vis.Network(byId("defkg-graph"), {nodes: nodes, edges: edges}, {
    nodes: {scaling: {min: 10, max: 48, label: {enabled: true, min: 16, max: 30, drawThreshold: 6}}},
    edges: {scaling: {min: 1.5, max: 9}, selectionWidth: 2},
    interaction: {hover: true, tooltipDelay: 200, navigationButtons: false, keyboard: false},
    layout: {randomSeed: 7, improvedLayout: Object.keys(allStates).length <= 150},
    physics: {enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -90, springLength: 140, avoidOverlap: 0.6},
      stabilization: {enabled: true, iterations: 500, fit: true}}
  });
  window.defkgStable = false;
  function settled() {
    if (window.defkgStable) { return; }
    network.setOptions({physics: false});
    window.defkgStable = true;
    fit();
  }
  network.once("stabilizationIterationsDone", settled);
  setTimeout(settled, 20000);

  var current = [];  // the engagements passing the filters
  function refresh(refit) {
    current = E.filter(shown);
    var perState = {}, perEdge = {};
    current.forEach(function (e) {
      e.states.forEach(function (s) { (perState[s] = perState[s] || []).push(e); });
      pairsOf(e).forEach(function (p) { (perEdge[p + "|" + e.kind] = perEdge[p + "|" + e.kind] || []).push(e); });
    });
    nodes.update(nodes.get().map(function (n) {
      var list = perState[n.code] || [];
      return {id: n.id, hidden: !list.length, value: list.length,
        title: stateName(n.code) + " (" + n.code + ")\n" + (countsText(list) || ui("no.engagements"))};
    }));
    edges.update(edges.get().map(function (x) {
      var list = perEdge[x.id.slice(2)] || [], ab = x.pair.split("|");
      return {id: x.id, hidden: !list.length, value: list.length, label: list.length ? String(list.length) : "",
        title: stateName(ab[0]) + " \u2013 " + stateName(ab[1]) + ": " + counted(list.length, x.kind)};
    }));
    var n = Object.keys(perState).length;
    byId("defkg-count").textContent = ui("count", {n: current.length, m: n});
    highlight();
    render();
    if (refit) { fit(); }
  }
  function fit() {
    var ids = nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; });
    network.fit({nodes: ids.length ? ids : undefined, maxZoomLevel: 2, animation: false});
  }
  window.defkgFit = fit;
  [from, to, undated].forEach(function (c) { c.addEventListener("change", function () { refresh(true); }); });

  // -- selection and neighbour highlighting ---------------------------------------------------------
  var sel = null;  // {type: "state"|"pair"|"person"|"org"|"list", ...}
  function involved() {  // {states, pairs} to keep bright, or null for all
    if (!sel) { return null; }
    var st = {}, pr = {};
    if (sel.type === "state") {
      st[sel.code] = true;
      current.forEach(function (e) {
        if (e.states.indexOf(sel.code) < 0) { return; }
        e.states.forEach(function (s) { st[s] = true; if (s !== sel.code) { pr[pairKey(s, sel.code)] = true; } });
      });
    } else if (sel.type === "pair") {
      st[sel.a] = st[sel.b] = true; pr[pairKey(sel.a, sel.b)] = true;
    } else {
      selected().forEach(function (e) {
        e.states.forEach(function (s) { st[s] = true; });
        pairsOf(e).forEach(function (p) { pr[p] = true; });
      });
    }
    return {states: st, pairs: pr};
  }
  function highlight() {
    var on = involved();
    nodes.update(nodes.get().map(function (n) {
      var dim = on && !on.states[n.code];
      return {id: n.id, opacity: dim ? 0.25 : 1,
        font: {size: 18, color: dim ? "#b5bac3" : "#1d2330", strokeWidth: 4, strokeColor: "#ffffff"}};
    }));
    edges.update(edges.get().map(function (x) {
      var dim = on && !on.pairs[x.pair];
      return {id: x.id, color: {color: dim ? "#e3e6ea" : COLOR[x.kind], highlight: COLOR[x.kind]},
        font: {size: 13, color: dim ? "#d0d4da" : COLOR[x.kind], strokeWidth: 3, strokeColor: "#ffffff"}};
    }));
  }
  function selected() {  // the engagements of the selection (among those passing the filters)
    if (!sel) { return current; }
    return current.filter(function (e) {
      if (sel.type === "state") { return e.states.indexOf(sel.code) >= 0; }
      if (sel.type === "pair") { return e.states.indexOf(sel.a) >= 0 && e.states.indexOf(sel.b) >= 0; }
      if (sel.type === "person") { return takesPart(e, sel.id); }
      if (sel.type === "org") { return orgTakesPart(e, sel.id); }
      return sel.ids.indexOf(e.id) >= 0;
    });
  }
  function members(e) {
    var out = [];
    Object.keys(e.sides).forEach(function (s) { out = out.concat(e.sides[s].members); });
    return out;
  }
  function takesPart(e, p) { return members(e).indexOf(p) >= 0; }
  function orgTakesPart(e, o) {
    return members(e).some(function (p) { return D.people[p] && D.people[p].orgs.indexOf(o) >= 0; });
  }
  function choose(s) {
    sel = s;
    network.unselectAll();
    if (s && s.type === "state") { network.selectNodes(["s:" + s.code]); }
    highlight();
    render();
  }
  network.on("click", function (p) {
    if (p.nodes.length) {
      choose({type: "state", code: nodes.get(p.nodes[0]).code});
    } else if (p.edges.length) {
      var ab = edges.get(p.edges[0]).pair.split("|");
      choose({type: "pair", a: ab[0], b: ab[1]});
    } else {
      choose(null);
    }
  });
  window.defkgSelect = choose;

  // -- the details panel ----------------------------------------------------------------------------
  var body = byId("defkg-info-body");
  function facts(pairs) {
    var dl = el("dl", null, {"class": "defkg-facts"});
    pairs.forEach(function (f) {
      if (!f[1]) { return; }
      dl.appendChild(el("dt", f[0]));
      var dd = el("dd");
      if (typeof f[1] === "string") { dd.textContent = f[1]; } else { dd.appendChild(f[1]); }
      dl.appendChild(dd);
    });
    return dl;
  }
  function personLine(p, principal) {
    var d = D.people[p] || {label: p}, span = el("span");
    var b = button(d.label, function () { choose({type: "person", id: p}); });
    if (principal) { b.classList.add("defkg-principal"); }
    span.appendChild(b);
    var what = [d.rank, d.title].filter(Boolean).join(", ");
    if (what) { span.appendChild(document.createTextNode(" (" + what + ")")); }
    return span;
  }
  function dateText(e) {
    if (!e.start) { return ui("undated"); }
    return e.end && e.end !== e.start ? e.start + " \u2013 " + e.end : e.start;
  }
  function item(e) {
    var li = el("li", null, {"class": "defkg-engagement", "data-id": e.id});
    li.style.borderLeftColor = COLOR[e.kind];
    var head = el("div");
    head.appendChild(el("span", dateText(e), {"class": "defkg-when"}));
    head.appendChild(document.createTextNode(" "));
    var k = el("span", e.subtype || NAME[e.kind][0], {"class": "defkg-kind"});
    k.style.background = COLOR[e.kind];
    head.appendChild(k);
    li.appendChild(head);
    if (e.title) { li.appendChild(el("div", e.title, {"class": "defkg-title"})); }
    var where = [];
    if (e.place && D.places[e.place]) { where.push(D.places[e.place].label); }
    if (e.host) { where.push(ui("host", {x: stateName(e.host)})); }
    if (e.status && e.status !== "reported") { where.push(e.status); }
    if (where.length) { li.appendChild(el("div", where.join(" \u00b7 "), {"class": "defkg-sub"})); }
    Object.keys(e.sides).sort(function (a, b) {
      return (e.states.indexOf(a) < 0) - (e.states.indexOf(b) < 0) || (a < b ? -1 : 1);
    }).forEach(function (s) {
      var side = e.sides[s], line = el("div", null, {"class": "defkg-side-line"});
      line.appendChild(el("span", stateName(s) + ": ", {"class": "defkg-state"}));
      if (!side.members.length) { line.appendChild(el("span", ui("no.one.named"), {"class": "defkg-type"})); }
      var order = side.principal ? [side.principal].concat(side.members.filter(function (m) {
        return m !== side.principal;
      })) : side.members;
      order.forEach(function (p, i) {
        if (i) { line.appendChild(document.createTextNode("; ")); }
        line.appendChild(personLine(p, p === side.principal));
      });
      li.appendChild(line);
    });
    if (e.topics.length) { li.appendChild(el("div", ui("topics", {x: e.topics.join(", ")}), {"class": "defkg-sub"})); }
    e.sources.forEach(function (s) {
      if (s.sentence) { li.appendChild(el("blockquote", s.sentence, {"class": "defkg-evidence"})); }
      var a = D.articles[s.article] || {};
      var p = el("div", null, {"class": "defkg-source"});
      if (isHttp(a.url)) {
        p.appendChild(document.createTextNode(ui("source") + " "));
        p.appendChild(el("a", a.headline || a.url, {href: a.url, target: "_blank", rel: "noopener noreferrer nofollow"}));
        if (a.date) { p.appendChild(document.createTextNode(" (" + a.date + ")")); }
      } else if (a.headline) {
        p.textContent = ui("source") + " " + a.headline + (a.date ? " (" + a.date + ")" : "");
      }
      li.appendChild(p);
    });
    return li;
  }
  function timeline(list) {
    var ol = el("ol", null, {"class": "defkg-timeline"});
    list.slice().sort(function (a, b) {
      return (a.start || "9999") < (b.start || "9999") ? -1 : (a.start || "9999") > (b.start || "9999") ? 1 : a.n - b.n;
    }).forEach(function (e) { ol.appendChild(item(e)); });
    if (!list.length) { ol.appendChild(el("li", ui("none.within"))); }
    return ol;
  }
  function render() {
    body.replaceChildren();
    var list = selected();
    if (!sel) {
      body.appendChild(el("h3", ui("all.states")));
      body.appendChild(el("div", countsText(list) || ui("none.within"), {"class": "defkg-sub"}));
      body.appendChild(el("p", ui("help")));
      var top = {};
      list.forEach(function (e) { pairsOf(e).forEach(function (p) { top[p] = (top[p] || 0) + 1; }); });
      var box = el("div", null, {"class": "defkg-list"});
      Object.keys(top).sort(function (a, b) { return top[b] - top[a] || (a < b ? -1 : 1); }).slice(0, 12)
        .forEach(function (p) {
          var ab = p.split("|");
          box.appendChild(button(stateName(ab[0]) + " \u2013 " + stateName(ab[1]) + ": " + top[p], function () {
            choose({type: "pair", a: ab[0], b: ab[1]});
          }));
        });
      body.appendChild(box);
    } else if (sel.type === "state") {
      var st = D.states[sel.code] || {label: sel.code, names: []};
      body.appendChild(el("h3", st.label));
      body.appendChild(el("div", ui("state") + " \u00b7 " + (countsText(list) || ui("none.within.short")),
        {"class": "defkg-sub"}));
      body.appendChild(facts([[ui("iso.code"), sel.code], [ui("wikidata"), st.wikidata],
        [ui("also"), st.names.filter(function (n) { return n !== st.label; }).join(", ")]]));
      body.appendChild(el("h4", ui("partners")));
      var partners = {};
      list.forEach(function (e) {
        e.states.forEach(function (s) { if (s !== sel.code) { (partners[s] = partners[s] || []).push(e); } });
      });
      var plist = el("div", null, {"class": "defkg-list", id: "defkg-partners"});
      Object.keys(partners).sort(function (a, b) {
        return partners[b].length - partners[a].length || (stateName(a) < stateName(b) ? -1 : 1);
      }).forEach(function (s) {
        var code = sel.code;
        plist.appendChild(button(stateName(s) + " \u2014 " + countsText(partners[s]), function () {
          choose({type: "pair", a: code, b: s});
        }));
      });
      body.appendChild(plist);
      var ppl = Object.keys(D.people).filter(function (p) {
        return D.people[p].state === sel.code && list.some(function (e) { return takesPart(e, p); });
      });
      if (ppl.length) {
        body.appendChild(el("h4", ui("people")));
        var pbox = el("div", null, {"class": "defkg-list"});
        ppl.sort(function (a, b) { return personName(a) < personName(b) ? -1 : 1; }).forEach(function (p) {
          pbox.appendChild(personLine(p, false));
        });
        body.appendChild(pbox);
      }
    } else if (sel.type === "pair") {
      body.appendChild(el("h3", stateName(sel.a) + " \u2013 " + stateName(sel.b)));
      body.appendChild(el("div", ui("timeline") + " \u00b7 " + (countsText(list) || ui("none.within.short")),
        {"class": "defkg-sub"}));
      body.appendChild(timeline(list));
    } else if (sel.type === "person") {
      var p = D.people[sel.id] || {label: sel.id, orgs: [], codes: []};
      body.appendChild(el("h3", p.label));
      body.appendChild(el("div", ui("person") + " \u00b7 " + (countsText(list) || ui("none.within.short")),
        {"class": "defkg-sub"}));
      var orgs = el("span");
      p.orgs.forEach(function (o, i) {
        if (i) { orgs.appendChild(document.createTextNode("; ")); }
        orgs.appendChild(button(D.orgs[o] ? D.orgs[o].label : o, function () { choose({type: "org", id: o}); }));
      });
      body.appendChild(facts([[ui("state"), stateName(p.state)], [ui("rank"), p.rank + (p.codes.length ? " (" +
        p.codes.join(", ") + ")" : "")], [ui("title"), p.title], [ui("organisation"), p.orgs.length ? orgs : ""]]));
      body.appendChild(timeline(list));
    } else if (sel.type === "org") {
      var o = D.orgs[sel.id] || {label: sel.id, names: []};
      body.appendChild(el("h3", o.label));
      body.appendChild(el("div", ui("organisation") + " \u00b7 " + (countsText(list) || ui("none.within.short")),
        {"class": "defkg-sub"}));
      body.appendChild(facts([[ui("state"), o.state ? stateName(o.state) : ""], [ui("wikidata"), o.wikidata]]));
      body.appendChild(timeline(list));
    } else {
      body.appendChild(el("h3", sel.title));
      body.appendChild(el("div", countsText(list) || ui("none.within"), {"class": "defkg-sub"}));
      body.appendChild(timeline(list));
    }
    chart();
  }

  // -- the chart: engagements per year, stacked by kind or by partner ---------------------------------
  var chartBy = byId("defkg-chart-by"), chartBox = byId("defkg-chart");
  var PALETTE = ["#2f6fb5", "#d9480f", "#2e9e44", "#9c36b5", "#e8a317", "#17a2b8", "#8a8f98"];
  chartBy.addEventListener("change", function () { chart(); });
  function chart() {
    var list = selected().filter(function (e) { return e.year !== null; });
    var groups = [], colour = {}, groupOf;
    if (chartBy.value === "kind") {
      groups = KINDS.filter(function (k) { return list.some(function (e) { return e.kind === k; }); });
      groups.forEach(function (k) { colour[k] = COLOR[k]; });
      groupOf = function (e) { return [e.kind]; };
    } else {
      var me = sel && sel.type === "state" ? sel.code : null;
      var key = function (e) {
        return me ? e.states.filter(function (s) { return s !== me; }) : pairsOf(e);
      };
      var tally = {};
      list.forEach(function (e) { key(e).forEach(function (g) { tally[g] = (tally[g] || 0) + 1; }); });
      var top = Object.keys(tally).sort(function (a, b) { return tally[b] - tally[a] || (a < b ? -1 : 1); });
      groups = top.slice(0, 6);
      if (top.length > 6) { groups.push("other"); }
      groups.forEach(function (g, i) { colour[g] = PALETTE[i]; });
      groupOf = function (e) {
        return key(e).map(function (g) { return groups.indexOf(g) >= 0 ? g : "other"; });
      };
    }
    var label = function (g) {
      if (chartBy.value === "kind") { return NAME[g][2]; }
      if (g === "other") { return ui("chart.other"); }
      return g.split("|").map(stateName).join(" \u2013 ");
    };
    chartBox.replaceChildren();
    if (!list.length) { chartBox.appendChild(el("div", ui("chart.none"))); return; }
    var lo = Math.min.apply(null, list.map(function (e) { return e.year; }));
    var hi = Math.max.apply(null, list.map(function (e) { return e.year; }));
    var cells = {}, totals = {};
    list.forEach(function (e) {
      groupOf(e).forEach(function (g) {
        cells[e.year + "|" + g] = (cells[e.year + "|" + g] || 0) + 1;
        totals[e.year] = (totals[e.year] || 0) + 1;
      });
    });
    var maxTotal = Math.max.apply(null, Object.keys(totals).map(function (y) { return totals[y]; }));
    var W = 400, H = 170, L = 28, B = 22, T = 8, n = hi - lo + 1, bw = Math.min(48, (W - L - 4) / n);
    var s = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": ui("chart.aria")});
    s.appendChild(svg("line", {x1: L, y1: H - B, x2: W, y2: H - B, stroke: "#888"}));
    s.appendChild(svg("text", {x: L - 4, y: T + 10, "text-anchor": "end", "font-size": 11}, maxTotal));
    s.appendChild(svg("text", {x: L - 4, y: H - B, "text-anchor": "end", "font-size": 11}, 0));
    var step = Math.max(1, Math.ceil(n / 8));
    for (var y = lo; y <= hi; y++) {
      var x = L + (y - lo) * bw, base = H - B;
      groups.forEach(function (g) {
        var c = cells[y + "|" + g] || 0;
        if (!c) { return; }
        var h = c / maxTotal * (H - B - T);
        var r = svg("rect", {x: x + 1, y: base - h, width: Math.max(1, bw - 2), height: h, fill: colour[g],
          "class": "defkg-bar", "data-year": y, "data-group": g});
        r.appendChild(svg("title", {}, y + ": " + label(g) + " " + c));
        s.appendChild(r);
        base -= h;
      });
      if ((y - lo) % step === 0) {
        s.appendChild(svg("text", {x: x + bw / 2, y: H - 6, "text-anchor": "middle", "font-size": 11}, y));
      }
    }
    chartBox.appendChild(s);
    var legend = el("div", null, {"class": "legend"});
    groups.forEach(function (g) {
      var sw = el("span", "", {"class": "swatch"});
      sw.style.cssText = "display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;background:" + colour[g];
      legend.appendChild(sw);
      legend.appendChild(document.createTextNode(label(g)));
    });
    var undatedN = selected().length - list.length;
    if (undatedN) { legend.appendChild(el("div", ui("chart.undated", {n: undatedN}))); }
    chartBox.appendChild(legend);
  }

  // -- search: names (every language), places, codes (ISO, NATO rank, Wikidata) and dates ----------------
  var search = byId("defkg-search"), results = byId("defkg-results"), rlist = byId("defkg-results-list");
  var index = [];
  function add(type, label, keys, go) {
    index.push({type: type, label: label, keys: keys.filter(Boolean).map(fold), go: go});
  }
  Object.keys(D.states).forEach(function (c) {
    var s = D.states[c];
    add(ui("type.state"), s.label + " (" + c + ")", [s.label, c, s.wikidata].concat(s.names), function () {
      choose({type: "state", code: c});
    });
  });
  Object.keys(D.people).forEach(function (p) {
    var d = D.people[p];
    add(ui("type.person"), d.label, [d.label, d.rank, d.title].concat(d.codes, d.names), function () {
      choose({type: "person", id: p});
    });
  });
  Object.keys(D.orgs).forEach(function (o) {
    var d = D.orgs[o];
    add(ui("type.organisation"), d.label, [d.label, d.wikidata].concat(d.names), function () { choose({type: "org", id: o}); });
  });
  Object.keys(D.places).forEach(function (pl) {
    var d = D.places[pl], ids = E.filter(function (e) { return e.place === pl; }).map(function (e) { return e.id; });
    add(ui("type.place"), d.label, [d.label, d.wikidata].concat(d.names), function () {
      choose({type: "list", title: d.label, ids: ids});
    });
  });
  E.forEach(function (e) {  // dates, and the names of agreements and exercises
    if (!e.start && !e.title) { return; }
    var label = (e.start ? dateText(e) + " " : "") + e.states.map(stateName).join(" \u2013 ") + " " +
      (e.title || e.subtype || NAME[e.kind][0]);
    add(e.title ? NAME[e.kind][0] : ui("type.date"), label, [e.start, e.end, e.title], function () {
      choose({type: "list", title: e.title || dateText(e), ids: [e.id]});
    });
  });
  function find() {
    var q = fold(search.value.trim());
    rlist.replaceChildren();
    if (!q) { results.hidden = true; return []; }
    var hits = index.filter(function (x) { return x.keys.some(function (k) { return k.indexOf(q) >= 0; }); });
    hits.slice(0, 30).forEach(function (x) { rlist.appendChild(button(x.label, x.go, x.type)); });
    if (hits.length > 30) { rlist.appendChild(el("div", ui("more", {n: hits.length - 30}))); }
    if (!hits.length) { rlist.appendChild(el("div", ui("no.match"))); }
    results.hidden = false;
    return hits;
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hits = find(); if (hits.length) { hits[0].go(); } }
  });

  byId("defkg-reset").addEventListener("click", function () {
    from.value = minYear || ""; to.value = maxYear || ""; undated.checked = true;
    document.querySelectorAll(".defkg-kind").forEach(function (cb) { if (!cb.disabled) { cb.checked = true; } });
    KINDS.forEach(function (k) { kindOn[k] = true; });
    search.value = ""; results.hidden = true;
    sel = null; network.unselectAll();
    refresh(true);
  });

  window.defkgNetwork = network;
  window.defkgNodes = nodes;
  window.defkgEdges = edges;
  refresh(false);
  if (D.select && D.select.pair) {
    choose({type: "pair", a: D.select.pair[0], b: D.select.pair[1]});
  } else if (D.select && D.select.query) {
    search.value = D.select.query;
    var first = find();
    if (first.length) { first[0].go(); }
  }
  if (!E.length) { body.textContent = ui("nothing"); window.defkgStable = true; }
})();
