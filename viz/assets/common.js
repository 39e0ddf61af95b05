/* Shared by the graph pages. Every text from the data reaches the page through textContent or a canvas:
   nothing here parses data as HTML. */
"use strict";
(function () {
  var hk = (window.hk = {});
  hk.data = JSON.parse(document.getElementById("hk-data").textContent);
  hk.views = [];
  hk.DIM_NODE = "rgba(205,208,214,0.45)";
  hk.DIM_EDGE = "rgba(205,208,214,0.25)";
  hk.FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif';

  /* el("div", {text: "...", className: "x"}, [children]): a DOM node; strings become text nodes. */
  hk.el = function (tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (key) {
      if (key === "text") node.textContent = props.text;
      else if (key === "className") node.className = props.className;
      else if (key === "color") node.style.borderColor = node.style.backgroundColor = props.color;
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  hk.fillSelect = function (select, entries, allText) {
    select.replaceChildren(new Option(allText, ""));
    entries.forEach(function (entry) { select.add(new Option(entry.text, entry.value)); });
  };

  hk.list = function (items) {
    return hk.el("ul", {}, items.map(function (item) { return hk.el("li", {}, [].concat(item)); }));
  };

  hk.bilingual = function (zh, en) {
    return hk.el("span", {}, [zh || "", en ? hk.el("span", {className: "en", text: " " + en}) : null]);
  };

  var tip = hk.el("div", {id: "hk-tip", role: "tooltip"});
  document.body.appendChild(tip);
  hk.tip = tip;
  hk.showTip = function (content, x, y) {
    tip.replaceChildren(content);
    tip.style.display = "block";
    var width = tip.offsetWidth, height = tip.offsetHeight;
    var left = x + 14, top = y + 14;
    if (left + width > window.innerWidth - 4) left = Math.max(4, x - width - 14);
    if (top + height > window.innerHeight - 4) top = Math.max(4, window.innerHeight - height - 4);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  };
  hk.hideTip = function () { tip.style.display = "none"; };

  hk.showDetails = function (content) {
    var box = document.getElementById("details");
    if (box) box.replaceChildren(content || hk.el("p", {className: "muted", text: box.dataset.empty || ""}));
  };

  hk.legend = function (container, entries) {
    container.replaceChildren(hk.el("ul", {className: "legend"}, entries.map(function (entry) {
      var swatch = hk.el("span", {className: "swatch" + (entry.line ? " line" : "") + (entry.dashed ? " dashed" : "")});
      if (entry.line) swatch.style.borderTopColor = entry.color; else swatch.style.backgroundColor = entry.color;
      return hk.el("li", {}, [swatch, hk.bilingual(entry.zh, entry.en),
                              entry.count !== undefined ? hk.el("span", {className: "muted", text: " (" + entry.count + ")"}) : null]);
    })));
  };

  /* A vis network on precomputed positions, physics off: it is still as soon as it is drawn.
     view.show(set) shows only the ids in the set (null: all); view.highlight(set) dims the rest. */
  hk.network = function (container, nodes, edges, extra) {
    var big = nodes.length > 800;
    var baseNode = {}, baseEdge = {};
    nodes.forEach(function (n) { baseNode[n.id] = n.color; });
    edges.forEach(function (e, i) { if (e.id === undefined) e.id = "e" + i; baseEdge[e.id] = e.color; });
    var nodeSet = new vis.DataSet(nodes), edgeSet = new vis.DataSet(edges);
    var shown = null;
    var nodeView = new vis.DataView(nodeSet, {filter: function (n) { return !shown || shown.has(n.id); }});
    var edgeView = new vis.DataView(edgeSet, {filter: function (e) { return !shown || (shown.has(e.from) && shown.has(e.to)); }});
    var options = {
      autoResize: true,
      physics: {enabled: false},
      layout: {improvedLayout: false, randomSeed: 7},
      interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false},
      nodes: {font: {face: hk.FONT, size: 14}, borderWidth: 1},
      edges: {smooth: false, selectionWidth: 2, hoverWidth: 0.5}
    };
    if (extra) Object.keys(extra).forEach(function (key) { options[key] = extra[key]; });
    var started = performance.now();
    var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, options);
    var view = {
      network: network, nodes: nodeSet, edges: edgeSet, nodeView: nodeView, edgeView: edgeView,
      expected: nodes.length, drawnAt: null, builtIn: null,
      drawn: function () { return network.body.nodeIndices.length; },
      shownIds: function () { return nodeView.getIds(); },
      show: function (ids) {
        shown = ids;
        nodeView.refresh();
        edgeView.refresh();
        network.fit({animation: false});
      },
      highlight: function (ids) {
        var nodeUpdates = [], edgeUpdates = [];
        nodeSet.forEach(function (n) {
          var color = ids && !ids.has(n.id) ? hk.DIM_NODE : baseNode[n.id];
          if (n.color !== color) nodeUpdates.push({id: n.id, color: color});
        });
        edgeSet.forEach(function (e) {
          var color = ids && !(ids.has(e.from) && ids.has(e.to)) ? hk.DIM_EDGE : baseEdge[e.id];
          if (e.color !== color) edgeUpdates.push({id: e.id, color: color});
        });
        nodeSet.update(nodeUpdates);
        edgeSet.update(edgeUpdates);
      },
      setBase: function (id, color) { baseNode[id] = color; },
      setEdgeBase: function (id, color) { baseEdge[id] = color; }
    };
    network.once("afterDrawing", function () {
      view.drawnAt = performance.now();
      view.builtIn = view.drawnAt - started;
      if (hk.views.every(function (v) { return v.drawnAt !== null; })) {
        window.hkReady = true;
        document.body.setAttribute("data-ready", "1");
      }
    });
    network.on("hoverNode", function (params) {
      if (!view.describe) return;
      var rect = container.getBoundingClientRect();
      var content = view.describe(params.node);
      if (content) hk.showTip(content, rect.left + params.pointer.DOM.x, rect.top + params.pointer.DOM.y);
    });
    network.on("blurNode", hk.hideTip);
    network.on("dragStart", hk.hideTip);
    network.on("zoom", hk.hideTip);
    hk.views.push(view);
    network.fit({animation: false});
    return view;
  };

  hk.status = function (text) {
    var box = document.getElementById("status");
    if (box) box.textContent = text;
  };
})();
