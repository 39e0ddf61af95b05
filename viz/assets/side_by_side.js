/* Two cities side by side over the functions both have: the same function stands in the same place in
   both panels; its size is the coordinating load (weights from the answers: 2 x tasks led + tasks only co-operated on) in that city, and a
   link counts the tasks on which bodies of the two functions work together. */
"use strict";
(function () {
  var d = hk.data, el = hk.el;
  var select = {element: document.getElementById("filter-element"), industry: document.getElementById("filter-industry"),
                func: document.getElementById("filter-function"), body: document.getElementById("filter-body")};

  function counts(city, element, industry) {
    var lead = {}, coop = {}, pairs = {};
    d.tasks.forEach(function (task) {
      if (task.city !== city) return;
      if (element && task.elements.indexOf(element) < 0) return;
      if (industry && task.industry !== industry) return;
      var all = {};
      [["lead", lead], ["cooperating", coop]].forEach(function (role) {
        task[role[0]].forEach(function (b) {
          var body = d.bodies[b];
          if (!body || !body.counted) return;
          body.functions.forEach(function (f) {
            (role[1][f] = role[1][f] || new Set()).add(task.id);
            all[f] = true;
          });
        });
      });
      var fs = Object.keys(all).filter(function (f) { return d.position[f]; }).sort();
      for (var i = 0; i < fs.length; i++) for (var j = i + 1; j < fs.length; j++) {
        var key = fs[i] + "|" + fs[j];
        pairs[key] = (pairs[key] || 0) + 1;
      }
    });
    var result = {};
    d.shown.forEach(function (f) {
      // Each task once per function: as lead when a body of the function leads it (as the answers count).
      var led = lead[f] || new Set();
      var l = led.size, c = coop[f] ? Array.from(coop[f]).filter(function (t) { return !led.has(t); }).length : 0;
      result[f] = {lead: l, cooperating: c, load: d.weights[0] * l + d.weights[1] * c};
    });
    return {functions: result, pairs: pairs};
  }

  var allPairs = {};
  d.cities.forEach(function (city) {
    var p = counts(city, "", "").pairs;
    Object.keys(p).forEach(function (key) { allPairs[key] = true; });
  });
  var panels = d.cities.map(function (city, index) {
    var nodes = d.shown.map(function (f) {
      return {id: f, label: d.functions[f].zh, x: d.position[f][0], y: d.position[f][1], shape: "dot",
              color: d.colors[city], size: 10};
    });
    var edges = Object.keys(allPairs).map(function (key) {
      var ends = key.split("|");
      return {id: key, from: ends[0], to: ends[1], color: d.edgeColors[city], width: 1, hidden: true};
    });
    var view = hk.network(document.getElementById("graph-" + index), nodes, edges);
    view.city = city;
    view.describe = function (f) { return describe(f, city); };
    return view;
  });
  window.hkView = panels[0];
  window.hkPanels = panels;
  var current = {};
  window.hkCounts = current;      // per city, what the panels show (the browser tests compare it with the answers)

  function describe(f, city) {
    var name = d.functions[f];
    var rows = d.cities.map(function (c) {
      var n = current[c] ? current[c].functions[f] : null;
      var bodies = Object.keys(d.bodies).filter(function (b) {
        return d.bodies[b].city === c && d.bodies[b].functions.indexOf(f) >= 0;
      }).map(function (b) { return d.bodies[b].zh; });
      return el("div", {}, [el("b", {text: c + (c === city ? " ◀" : "") + ": "}),
        n ? "牵头 lead " + n.lead + " · 配合 co-op " + n.cooperating + " · load " + n.load : "—",
        el("div", {className: "muted", text: bodies.join("、") || "no body"})]);
    });
    return el("div", {}, [el("h3", {}, [hk.bilingual(name.zh, name.en)])].concat(rows));
  }

  function apply() {
    var element = select.element.value, industry = select.industry.value;
    panels.forEach(function (view) {
      var result = counts(view.city, element, industry);
      current[view.city] = result;
      var nodeUpdates = d.shown.map(function (f) {
        var n = result.functions[f];
        var color = n.load ? d.colors[view.city] : "#c9ccd1";
        view.setBase(f, color);
        return {id: f, size: 6 + 3.2 * Math.sqrt(n.load), color: color,
                label: d.functions[f].zh + (n.load ? " " + n.load : "")};
      });
      view.nodes.update(nodeUpdates);
      view.edges.update(Object.keys(allPairs).map(function (key) {
        var count = result.pairs[key] || 0;
        return {id: key, hidden: count === 0, width: Math.min(1 + count, 12)};
      }));
    });
    highlight();
  }

  function highlight() {
    var f = select.func.value, b = select.body.value, lit = null;
    if (f) {
      lit = new Set([f]);
      panels.forEach(function (view) {
        view.network.getConnectedNodes(f).forEach(function (n) {
          if (!view.edges.get(f < n ? f + "|" + n : n + "|" + f).hidden) lit.add(n);
        });
      });
      hk.showDetails(describe(f, d.cities[0]));
    } else if (b) {
      lit = new Set(d.bodies[b].functions);
      var body = d.bodies[b];
      hk.showDetails(el("div", {}, [el("h3", {text: "单位 Body · " + body.city}), hk.bilingual(body.zh, body.en),
        el("div", {text: "职能 Functions: " + body.functions.map(function (x) { return d.functions[x].zh + " " + d.functions[x].en; }).join("; ")})]));
    } else {
      hk.showDetails(null);
    }
    panels.forEach(function (view) { view.highlight(lit); });
  }

  hk.fillSelect(select.element, Object.keys(d.elements).map(function (e) {
    return {value: e, text: d.elements[e].zh + " " + d.elements[e].en}; }), "全部要素 all chain elements");
  hk.fillSelect(select.industry, Object.keys(d.industries).map(function (i) {
    return {value: i, text: d.industries[i].zh + " " + d.industries[i].en}; }), "全部产业 all industries");
  hk.fillSelect(select.func, d.shown.map(function (f) {
    return {value: f, text: d.functions[f].zh + " " + d.functions[f].en}; }), "全部职能 all functions");
  hk.fillSelect(select.body, Object.keys(d.bodies).filter(function (b) { return d.bodies[b].counted; })
    .map(function (b) { return {value: b, text: d.bodies[b].zh + " · " + d.bodies[b].city}; }), "全部单位 all bodies");
  select.element.addEventListener("change", apply);
  select.industry.addEventListener("change", apply);
  select.func.addEventListener("change", function () { select.body.value = ""; highlight(); });
  select.body.addEventListener("change", function () { select.func.value = ""; highlight(); });
  panels.forEach(function (view) {
    view.network.on("selectNode", function (params) { select.body.value = ""; select.func.value = params.nodes[0]; highlight(); });
    view.network.on("deselectNode", function () { select.func.value = ""; highlight(); });
    /* Moving or zooming one panel moves the other the same way. */
    function mirror() {
      panels.forEach(function (other) {
        if (other !== view) other.network.moveTo({position: view.network.getViewPosition(), scale: view.network.getScale()});
      });
    }
    view.network.on("zoom", mirror);
    view.network.on("dragEnd", function (params) { if (!params.nodes.length) mirror(); });
  });
  apply();
  hk.legend(document.getElementById("legend"), d.cities.map(function (city) {
    return {color: d.colors[city], zh: city, en: "size: coordinating load in " + d.citiesEn[city]};
  }).concat([{color: "#c9ccd1", zh: "无任务", en: "no task under this filter"},
             {color: "#8a96a8", line: true, zh: "连线", en: "tasks shared by bodies of both functions"}]));
  hk.status(d.single ? d.shown.length + " 个职能 functions (one city)" : d.shown.length + " 个共同职能 shared functions");
})();
