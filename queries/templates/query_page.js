/* The query page: the library's questions, their parameters bound by the server, the SPARQL editable, results
   as a table. Every text reaches the page through textContent; requests go to this server only. */
"use strict";
(function () {
  var d = JSON.parse(document.getElementById("hk-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var MAX_ROWS = 2000;
  var current = null, binding = Promise.resolve(), bindTimer = null;
  var namespaces = Object.keys(d.prefixes).map(function (p) { return [p, d.prefixes[p]]; })
    .sort(function (a, b) { return b[1].length - a[1].length; });   // the longest namespace wins

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props.text;
      else if (key === "className") node.className = props.className;
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function curie(iri) {
    for (var i = 0; i < namespaces.length; i++) {
      var ns = namespaces[i][1];
      if (iri.length > ns.length && iri.lastIndexOf(ns, 0) === 0) return namespaces[i][0] + ":" + iri.slice(ns.length);
    }
    return "<" + iri + ">";
  }

  $("prologue").textContent = d.prologue;
  $("prefix-count").textContent = Object.keys(d.prefixes).join(", ");

  /* The list of questions (the checks after them), filtered by the words typed. */
  function fillList() {
    var words = $("filter").value.trim().toLowerCase();
    var list = $("questions"), lastGroup = null;
    list.replaceChildren();
    d.queries.forEach(function (q) {
      var hay = [q.name, q.title_zh, q.title_en, q.question_zh, q.question_en].join(" ").toLowerCase();
      if (words && hay.indexOf(words) < 0) return;
      var group = q.check ? "质量检查 Quality checks" : "研究问题 Research questions";
      if (group !== lastGroup) { list.appendChild(el("li", {className: "group", text: group})); lastGroup = group; }
      var button = el("button", {type: "button", "data-name": q.name, className: current === q ? "current" : ""},
                      [q.title_zh, el("br"), el("span", {className: "en", text: q.title_en + " · " + q.name})]);
      button.addEventListener("click", function () { choose(q); });
      list.appendChild(el("li", {}, [button]));
    });
  }

  function choose(q) {
    current = q;
    $("q-title").textContent = q.title_zh + (q.title_en ? " | " + q.title_en : "");
    $("q-question-zh").textContent = q.question_zh;
    $("q-question-en").textContent = q.question_en;
    $("q-row").textContent = q.row ? "一行 One row: " + q.row : "";
    var form = $("params");
    form.replaceChildren();
    q.params.forEach(function (p) {
      var input;
      if (p.choices.length) {
        input = el("select", {id: "param-" + p.name, name: p.name});
        p.choices.forEach(function (c) { input.add(new Option(c, c, c === p.default, c === p.default)); });
      } else {
        input = el("input", {id: "param-" + p.name, name: p.name, type: "text"});
        input.value = p.default;
      }
      input.addEventListener("input", scheduleBind);
      input.addEventListener("change", scheduleBind);
      form.appendChild(el("label", {"for": "param-" + p.name, text: p.name}));
      form.appendChild(input);
      form.appendChild(el("div", {className: "help", text: p.description + (p.default ? " (默认 default: " + p.default + ")" : "")}));
    });
    $("sparql").value = q.text;
    $("bind-error").textContent = q.error;
    $("run-error").textContent = "";
    $("results").replaceChildren();
    $("status").textContent = "";
    fillList();
  }

  function paramValues() {
    var values = {};
    current.params.forEach(function (p) { values[p.name] = $("param-" + p.name).value; });
    return values;
  }

  function scheduleBind() {
    clearTimeout(bindTimer);
    bindTimer = setTimeout(function () { binding = bind(); }, 200);
  }

  /* The server binds the parameters with the library's own code and sends the query text back. */
  function bind() {
    var q = current;
    return fetch(d.bind, {method: "POST", headers: {"Content-Type": "application/json"},
                          body: JSON.stringify({name: q.name, params: paramValues()})})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (current !== q) return;
        if (answer.error) { $("bind-error").textContent = answer.error; return; }
        $("bind-error").textContent = "";
        $("sparql").value = answer.text;
      })
      .catch(function (error) { $("bind-error").textContent = "bind: " + error; });
  }

  function cell(binding) {
    if (!binding) return el("td");
    if (binding.type === "uri") return el("td", {className: "iri", text: curie(binding.value), title: binding.value});
    if (binding.type === "bnode") return el("td", {className: "iri", text: "_:" + binding.value});
    var numeric = /#(integer|decimal|double|float|int|long|nonNegativeInteger)$/.test(binding.datatype || "");
    return el("td", {className: numeric ? "num" : "", text: binding.value});
  }

  function show(answer) {
    var box = $("results");
    if (answer.boolean !== undefined) {
      box.replaceChildren(el("p", {text: "ASK: " + answer.boolean}));
      return "ASK " + answer.boolean;
    }
    var vars = answer.head.vars, rows = answer.results.bindings;
    var head = el("tr", {}, vars.map(function (v) { return el("th", {text: v}); }));
    var body = el("tbody", {}, rows.slice(0, MAX_ROWS).map(function (row) {
      return el("tr", {}, vars.map(function (v) { return cell(row[v]); }));
    }));
    box.replaceChildren(el("table", {id: "answer"}, [el("thead", {}, [head]), body]));
    if (rows.length > MAX_ROWS) box.appendChild(el("p", {className: "muted", text: (rows.length - MAX_ROWS) + " more rows not shown"}));
    return rows.length + " 行 rows";
  }

  function run() {
    clearTimeout(bindTimer);
    var pending = bindTimer !== null ? bind() : binding;
    bindTimer = null;
    $("run").disabled = true;
    $("run-error").textContent = "";
    $("status").textContent = "运行中 running…";
    var started = performance.now();
    return pending.then(function () {
      var form = new URLSearchParams();
      form.set("query", d.prologue + $("sparql").value);
      return fetch(d.endpoint, {method: "POST", body: form,
                                headers: {"Accept": "application/sparql-results+json"}});
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) {
          throw new Error("HTTP " + response.status + ": " + text + "\n(行号含已声明前缀的 " + d.prologue_lines +
                          " 行 line numbers count the " + d.prologue_lines + " lines of declared prefixes)");
        });
      }
      return response.json();
    }).then(function (answer) {
      var what = show(answer);
      $("status").textContent = what + " · " + Math.round(performance.now() - started) + " ms";
      document.body.setAttribute("data-rows", answer.results ? String(answer.results.bindings.length) : "ask");
    }).catch(function (error) {
      $("results").replaceChildren();
      $("status").textContent = "";
      $("run-error").textContent = String(error.message || error);
      document.body.setAttribute("data-rows", "error");
    }).finally(function () { $("run").disabled = false; });
  }

  $("run").addEventListener("click", run);
  $("reset").addEventListener("click", function () { if (current) choose(current); });
  $("filter").addEventListener("input", fillList);
  $("sparql").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  var wanted = decodeURIComponent(location.hash.slice(1));
  choose(d.queries.filter(function (q) { return q.name === wanted; })[0] || d.queries[0]);
  document.body.setAttribute("data-ready", "1");
})();
