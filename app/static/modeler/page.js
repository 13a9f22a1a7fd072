/* The BPMN modeler of a draft file: bpmn-js (window.BpmnJS, the prebuilt Modeler) with our own
 * details sidebar for the SpiffWorkflow extensions, a Save button that posts the XML to the draft
 * file API, and the draft's problems under the diagram. Plain ES2015, no build step: the scripts
 * below share the namespace window.grantflowModeler and processes/modeler.html loads them in
 * this order.
 *
 *   page.js           the namespace, the page's config and text (from the template), page helpers
 *   model.js          reading the BPMN model: kinds of element, SpiffWorkflow extensions
 *   editor.js         the Editor: the modeler's services, and changes planned as commands
 *   changes.js        a change made in the sidebar, as commands
 *   sidebar.js        the details form of the selected element
 *   problems.js       the draft's problems under the diagram, and their markers on it
 *   roundtrip.js      repairs on import and export, so that saving keeps what the engine reads
 *   start-modeler.js  start-up, Save, Undo and Redo */
(function () {
  "use strict";

  var gf = window.grantflowModeler = {};

  gf.config = JSON.parse(document.getElementById("modeler-config").textContent);
  gf.text = gf.config.text;

  gf.byId = function (id) { return document.getElementById(id); };

  /* "{num} problems" with { num: 3 } -> "3 problems"; unknown placeholders stay as they are. */
  gf.format = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  };

  gf.showStatus = function (message) { gf.byId("modeler-status").textContent = message; };

  /* The alert above the diagram; hidden when the message is empty. */
  gf.showAlert = function (message) {
    var box = gf.byId("modeler-alert");
    box.textContent = message;
    box.hidden = !message;
  };

  gf.showOpenFailed = function (error) {
    gf.showAlert(gf.format(gf.text.openFailed, { error: error.message || String(error) }));
  };

  gf.fetchSameOrigin = function (url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
  };

  /* Like fetchSameOrigin, but an answer with an error status rejects. */
  gf.fetchOk = function (url, options) {
    return gf.fetchSameOrigin(url, options).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response;
    });
  };
})();
