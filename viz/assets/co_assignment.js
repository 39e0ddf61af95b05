/* The co-assignment network: bodies linked by the tasks they share, per city. */
"use strict";
(function () {
  var d = hk.data, el = hk.el;
  var view = hk.network(document.getElementById("graph"), d.nodes, d.edges);
  window.hkView = view;

  view.describe = function (id) {
    var body = d.bodies[id];
    if (!body) return null;
    return el("div", {}, [
      el("h3", {text: "单位 Body · " + body.city}), hk.bilingual(body.zh, body.en),
      el("div", {text: "职能 Functions: " + body.functions.join("; ")}),
      el("div", {text: "牵头 lead " + body.lead + " · 仅配合 only co-op " + body.cooperating +
                        " · 协调负担指数 load index " + body.load + " · 排名 rank " + body.rank}),
      body.listed_twice ? el("div", {className: "muted", text: "既牵头又配合(按牵头计) written as lead and co-op, counted as lead: " +
                                                              body.listed_twice}) : null,
      el("div", {className: "muted", text: "社群 community " + body.community + " · 共同任务 shared tasks (weighted degree) " +
                                            body.degree + " · 合作单位 partners " + body.partners})
    ]);
  };

  var select = {city: document.getElementById("filter-city"), body: document.getElementById("filter-body")};
  hk.fillSelect(select.city, d.cities.map(function (c) { return {value: c, text: c}; }), "全部城市 all cities");
  function fillBodies() {
    var city = select.city.value;
    hk.fillSelect(select.body, Object.keys(d.bodies).filter(function (b) { return !city || d.bodies[b].city === city; })
      .sort(function (a, b) { return d.bodies[a].rank - d.bodies[b].rank || (a < b ? -1 : 1); })
      .map(function (b) { return {value: b, text: d.bodies[b].zh + " · " + d.bodies[b].load}; }), "全部单位 all bodies");
  }
  function neighbourhood(id) {
    var lit = new Set([id]);
    view.network.getConnectedNodes(id).forEach(function (n) { lit.add(n); });
    return lit;
  }
  view.selectNode = function (id) {
    var lit = neighbourhood(id);
    view.highlight(lit);
    var content = view.describe(id);
    if (content) {
      content.appendChild(el("h3", {text: "共同任务最多的单位 Most shared tasks with"}));
      content.appendChild(hk.list((d.partners[id] || []).slice(0, 15).map(function (p) {
        return [d.bodies[p[0]].zh + " · " + p[1]];
      })));
    }
    hk.showDetails(content);
  };
  function apply() {
    var city = select.city.value, body = select.body.value;
    view.highlight(null);
    view.show(city ? new Set(Object.keys(d.bodies).filter(function (b) { return d.bodies[b].city === city; })) : null);
    if (body) view.selectNode(body); else hk.showDetails(null);
    hk.status("显示 showing " + view.shownIds().length + " / " + view.expected + " bodies");
  }
  select.city.addEventListener("change", function () { fillBodies(); apply(); });
  select.body.addEventListener("change", apply);
  view.network.on("selectNode", function (params) { view.selectNode(params.nodes[0]); });
  view.network.on("deselectNode", function () { view.highlight(null); hk.showDetails(null); });
  fillBodies();

  /* Search bodies by their Chinese or English name; CSV of the selection, PNG of the canvas. */
  var COLUMNS = ["id", "city", "name_zh", "name_en", "functions", "lead", "cooperating", "load_index", "rank",
                 "community", "shared_tasks", "partners"];
  hk.workbench(view, {
    name: "co-assignment",
    entries: Object.keys(d.bodies).map(function (b) { return {id: b, texts: [d.bodies[b].zh, d.bodies[b].en]}; }),
    reveal: function () { select.city.value = ""; fillBodies(); apply(); },
    table: function (ids) {
      return {header: COLUMNS, rows: ids.filter(function (id) { return d.bodies[id]; }).map(function (id) {
        var b = d.bodies[id];
        return [id, b.city, b.zh, b.en, b.functions.join("; "), b.lead, b.cooperating, b.load, b.rank, b.community,
                b.degree, b.partners];
      })};
    },
    describeHits: function (ids) {
      return el("div", {}, [el("h3", {text: "搜索结果 Found " + ids.length}), hk.list(ids.map(function (id) {
        var link = el("button", {type: "button", className: "hit", text: d.bodies[id].zh + " · " + d.bodies[id].city});
        link.addEventListener("click", function () {
          view.selectNode(id);
          view.network.selectNodes([id], false);
          view.network.focus(id, {scale: Math.max(view.network.getScale(), 1.2), animation: false});
        });
        return [link];
      }))]);
    }
  });

  var legend = [];
  d.cities.forEach(function (city) {
    (d.communities[city] || []).forEach(function (c) {
      legend.push({color: c.color, zh: city + " 社群 " + c.index, en: "community " + c.index, count: c.size});
    });
  });
  hk.legend(document.getElementById("legend"), legend);
  hk.status("显示 showing " + view.expected + " / " + view.expected + " bodies");
})();
