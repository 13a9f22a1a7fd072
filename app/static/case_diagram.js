// The case's process diagram (bpmn-js), coloured where the case has been, is and waits.
// Progressive enhancement: the page describes the position in words without it.
(function () {
  "use strict";
  function showDiagram() {
    var container = document.getElementById("process-diagram");
    if (!container || !window.BpmnJS || !window.fetch) { return; }
    container.hidden = false;
    var viewer = new window.BpmnJS({ container: container });
    fetch(container.dataset.src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("diagram " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry");
        var inner = canvas.viewbox().inner;  // fit the box to the diagram's shape, then the diagram
        var height = container.clientWidth * inner.height / Math.max(inner.width, 1) + 40;
        container.style.height = Math.max(220, Math.min(480, height)) + "px";
        canvas.resized();
        canvas.zoom("fit-viewport");
        [["completed", "gf-completed"], ["active", "gf-active"], ["waiting", "gf-waiting"]]
          .forEach(function (pair) {
            JSON.parse(container.dataset[pair[0]]).forEach(function (id) {
              if (registry.get(id)) { canvas.addMarker(id, pair[1]); }
            });
          });
        document.querySelectorAll(".diagram-legend").forEach(function (el) { el.hidden = false; });
        var current = JSON.parse(container.dataset.active)[0] || JSON.parse(container.dataset.waiting)[0];
        if (container.clientWidth < 600 && current && registry.get(current)) {
          canvas.zoom(0.8);  // on a phone: readable, centred where the case is; drag to pan
          canvas.scrollToElement(registry.get(current));
        }
      })
      .catch(function () { container.hidden = true; });
  }
  window.addEventListener("load", showDiagram);
})();
