/* Reading the BPMN model of the diagram: what kind of element a business object is, and the
 * SpiffWorkflow extensions it holds. Nothing here changes the model. */
(function () {
  "use strict";

  var gf = window.grantflowModeler;
  var SPIFF = gf.SPIFF = "spiffworkflow:";
  var TIMER_KINDS = gf.TIMER_KINDS = ["timeDate", "timeDuration", "timeCycle"];

  function is(bo, type) { return Boolean(bo && bo.$instanceOf && bo.$instanceOf(type)); }
  gf.is = is;

  gf.findExtension = function (host, type) {
    var ext = host.get("extensionElements");
    var values = ext ? ext.get("values") : [];
    return values.filter(function (value) { return is(value, type); })[0];
  };

  /* The text of a SpiffWorkflow text extension (InstructionsForEndUser, PreScript, ...). */
  gf.bodyOf = function (host, type) {
    var found = host && gf.findExtension(host, SPIFF + type);
    return found ? found.get("value") || "" : "";
  };

  gf.propertyList = function (bo) { return gf.findExtension(bo, SPIFF + "Properties"); };

  gf.findProperty = function (list, name) {
    var all = list ? list.get("properties") : [];
    return all.filter(function (p) { return p.name === name; })[0];
  };

  /* The value of a spiffworkflow:property (formJsonSchemaFilename, ...), or "". */
  gf.propertyOf = function (bo, name) {
    var found = gf.findProperty(gf.propertyList(bo), name);
    return found ? found.value || "" : "";
  };

  gf.eventDefinition = function (bo, type) {
    var definitions = bo.get("eventDefinitions") || [];
    return definitions.filter(function (d) { return is(d, type); })[0];
  };

  /* Which of timeDate, timeDuration and timeCycle a timer has, if any. */
  gf.timerKind = function (timer) {
    return TIMER_KINDS.filter(function (kind) { return timer.get(kind); })[0];
  };

  /* Where a message's name, variable and payload live: the event definition of a message
   * event, or the send or receive task itself. */
  gf.messageHost = function (bo) {
    if (is(bo, "bpmn:Event")) { return gf.eventDefinition(bo, "bpmn:MessageEventDefinition"); }
    if (is(bo, "bpmn:SendTask") || is(bo, "bpmn:ReceiveTask")) { return bo; }
    return undefined;
  };

  gf.receives = function (bo) {
    return is(bo, "bpmn:CatchEvent") || is(bo, "bpmn:ReceiveTask");
  };
})();
