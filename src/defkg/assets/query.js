// The query page of defkg serve: a SPARQL editor (a highlighter drawn under a textarea), the
// examples, Run, the results as a table, CSV/JSON downloads, errors with line and column.
// Every text from the server is set with textContent (never innerHTML).
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("q-data").textContent);
  var byId = function (id) { return document.getElementById(id); };
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  var text = byId("q-text"), hl = byId("q-highlight"), status = byId("q-status"), errorBox = byId("q-error");
  var results = byId("q-results");

  // -- highlighting ---------------------------------------------------------------------------------
  var KEYWORDS = ("SELECT DISTINCT REDUCED AS WHERE FILTER OPTIONAL UNION MINUS GRAPH SERVICE BIND VALUES " +
    "GROUP BY ORDER HAVING LIMIT OFFSET ASC DESC PREFIX BASE CONSTRUCT DESCRIBE ASK FROM NAMED NOT EXISTS IN " +
    "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE " +
    "COALESCE IF STRLEN SUBSTR UCASE LCASE STRSTARTS STRENDS CONTAINS STRBEFORE STRAFTER REGEX REPLACE YEAR " +
    "MONTH DAY NOW ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC CONCAT ENCODE_FOR_URI ABS ROUND CEIL FLOOR " +
    "SAMETERM TRUE FALSE A").split(" ");
  var KW = {};
  KEYWORDS.forEach(function (k) { KW[k] = true; });
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                             // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')",  // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                               // 3 IRI
    "([?$][A-Za-z0-9_\\u00C0-\\uFFFF]+)",                     // 4 variable
    "([A-Za-z][\\w\\-\\u00C0-\\uFFFF]*)?:([\\w\\-.\\u00C0-\\uFFFF]*[\\w\\-\\u00C0-\\uFFFF])?",  // 5,6 prefixed name
    "([A-Za-z_]+)",                                           // 7 word
    "(\\d+(?:\\.\\d+)?)"                                      // 8 number
  ].join("|"), "g");
  function span(cls, t) { var s = el("span", t); if (cls) { s.className = cls; } return s; }
  function highlight(errorAt) {
    var src = text.value, frag = document.createDocumentFragment(), last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(src)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex += 1; continue; }
      if (m.index > last) { frag.appendChild(document.createTextNode(src.slice(last, m.index))); }
      var cls = m[1] ? "t-comment" : m[2] ? "t-str" : m[3] ? "t-iri" : m[4] ? "t-var" :
        m[0].indexOf(":") >= 0 && !m[7] ? "t-pn" : m[7] ? (KW[m[7].toUpperCase()] ? "t-kw" : "") : m[8] ? "t-num" : "";
      frag.appendChild(span(cls, m[0]));
      last = m.index + m[0].length;
    }
    if (last < src.length) { frag.appendChild(document.createTextNode(src.slice(last))); }
    frag.appendChild(document.createTextNode("\n"));
    hl.replaceChildren(frag);
    if (errorAt !== undefined) { markError(errorAt); }
    sync();
  }
  function markError(offset) {  // wrap the character at `offset` of the drawn text in a red mark
    var walker = document.createTreeWalker(hl, NodeFilter.SHOW_TEXT), n, seen = 0;
    while ((n = walker.nextNode())) {
      if (seen + n.length > offset) {
        var at = offset - seen, mark = span("t-err", n.data.slice(at, at + 1) || " ");
        var rest = n.splitText(at);
        rest.data = rest.data.slice(1);
        rest.parentNode.insertBefore(mark, rest);
        mark.id = "q-error-mark";
        return;
      }
      seen += n.length;
    }
  }
  function sync() { hl.scrollTop = text.scrollTop; hl.scrollLeft = text.scrollLeft; }
  text.addEventListener("input", function () { highlight(); });
  text.addEventListener("scroll", sync);
  text.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
    if (ev.key === "Tab") {
      ev.preventDefault();
      var s = text.selectionStart;
      text.value = text.value.slice(0, s) + "  " + text.value.slice(text.selectionEnd);
      text.selectionStart = text.selectionEnd = s + 2;
      highlight();
    }
  });

  // -- prefixes and examples ------------------------------------------------------------------------
  var prefixes = byId("q-prefixes");
  Object.keys(D.prefixes).forEach(function (p) {
    prefixes.appendChild(el("code", p + ":", {title: D.prefixes[p]}));
  });
  var select = byId("q-examples"), groups = {};
  D.examples.forEach(function (x, i) {
    if (!groups[x.group]) { groups[x.group] = el("optgroup", null, {label: x.group}); select.appendChild(groups[x.group]); }
    groups[x.group].appendChild(el("option", x.name, {value: String(i)}));
  });
  select.addEventListener("change", function () {
    var x = D.examples[Number(select.value)];
    if (!x) { return; }
    text.value = x.text.replace(/\s+$/, "") + "\n";
    byId("q-description").textContent = x.description || "";
    highlight();
  });

  // -- running ----------------------------------------------------------------------------------------
  function kind(q) {  // the query form after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE
    var rest = q.replace(/^(?:\s+|#[^\n]*\n?|PREFIX\s*[^\s:<>]*:\s*<[^<>]*>|BASE\s*<[^<>]*>)*/i, "");
    var m = /^[A-Za-z]+/.exec(rest);
    return m ? m[0].toUpperCase() : "";
  }
  function request(accept) {
    return fetch(D.endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
      body: "query=" + encodeURIComponent(text.value)
    });
  }
  function showError(message) {
    errorBox.hidden = false;
    // "error at 3:12: ..." (the parser) or "3:12: ..." (defkg's own wording)
    var m = /(?:error at |line |^|\n|: )(\d+):(\d+)(?=:|,|\s|$)/.exec(message), where = "";
    if (m) {
      var line = Number(m[1]), col = Number(m[2]);
      where = "Line " + line + ", column " + col + ": ";
      var lines = text.value.split("\n"), offset = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) { offset += lines[i].length + 1; }
      offset += Math.max(0, col - 1);
      highlight(Math.min(offset, text.value.length));
      text.focus();
      text.setSelectionRange(offset, offset);
    }
    errorBox.textContent = where + message.trim();
    errorBox.dataset.line = m ? m[1] : "";
    errorBox.dataset.column = m ? m[2] : "";
  }
  function table(json) {
    var vars = json.head && json.head.vars || [], rows = json.results ? json.results.bindings : null;
    if (!rows) { return el("p", "Answer: " + json["boolean"]); }
    var t = el("table", null, {id: "q-table"}), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = el("tbody"), shown = Math.min(rows.length, 5000);
    for (var i = 0; i < shown; i++) {
      var tr = el("tr");
      vars.forEach(function (v) {
        var cell = rows[i][v];
        var td = el("td", cell ? cell.value : "");
        if (cell && cell.type === "literal" && cell["xml:lang"]) { td.title = "@" + cell["xml:lang"]; }
        if (cell && cell.datatype) { td.title = cell.datatype; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
    t.appendChild(body);
    return t;
  }
  var running = false;
  function run() {
    if (running) { return; }
    running = true;
    errorBox.hidden = true;
    highlight();
    results.replaceChildren();
    status.textContent = "running…";
    var graph = kind(text.value) === "CONSTRUCT" || kind(text.value) === "DESCRIBE";
    var t0 = performance.now();
    request(graph ? "text/turtle" : "application/sparql-results+json").then(function (r) {
      return r.text().then(function (body) { return {ok: r.ok, status: r.status, body: body}; });
    }).then(function (r) {
      var ms = Math.round(performance.now() - t0);
      if (!r.ok) { status.textContent = "error " + r.status; showError(r.body); return; }
      if (graph) {
        results.appendChild(el("pre", r.body));
        status.textContent = "done in " + ms + " ms";
        return;
      }
      var json = JSON.parse(r.body), n = json.results ? json.results.bindings.length : 1;
      results.appendChild(table(json));
      status.textContent = n + (n === 1 ? " row" : " rows") + " in " + ms + " ms" +
        (n > 5000 ? " (the first 5000 shown; download for all)" : "");
    }).catch(function (e) {
      status.textContent = "failed";
      showError(String(e));
    }).finally(function () { running = false; });
  }
  function download(accept, name) {
    status.textContent = "downloading…";
    request(accept).then(function (r) {
      if (!r.ok) { return r.text().then(function (b) { status.textContent = "error " + r.status; showError(b); }); }
      return r.blob().then(function (blob) {
        var a = el("a", null, {href: URL.createObjectURL(blob), download: name});
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        status.textContent = "downloaded " + name;
      });
    });
  }
  byId("q-run").addEventListener("click", run);
  byId("q-csv").addEventListener("click", function () {
    var graph = /^(CONSTRUCT|DESCRIBE)$/.test(kind(text.value));
    download(graph ? "application/n-triples" : "text/csv", graph ? "results.nt" : "results.csv");
  });
  byId("q-json").addEventListener("click", function () {
    download("application/sparql-results+json", "results.json");
  });
  text.value = D.examples.length ? D.examples[0].text.replace(/\s+$/, "") + "\n" :
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10\n";
  if (D.examples.length) { select.value = "0"; byId("q-description").textContent = D.examples[0].description; }
  highlight();
  window.defkgQueryReady = true;
})();
