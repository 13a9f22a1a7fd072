/* A change made in the sidebar, turned into commands for the selected element: Editor.apply
 * takes the field's name (its data-apply attribute) and its new value. */
(function () {
  "use strict";

  var gf = window.grantflowModeler;
  var Editor = gf.Editor;
  /* The option of a select that shows the field for the name of a new one. */
  var NEW = gf.NEW_OPTION = "__new__";

  Editor.prototype.apply = function (field, value) {
    var element = this.current;
    if (!element) { return; }
    var bo = element.businessObject, commands = [];
    switch (field) {
      case "name":
        this.modeling.updateLabel(element, value);
        return;
      case "form":
        this.planProperty(element, bo, "formJsonSchemaFilename", value, commands);
        break;
      case "uiForm":
        this.planProperty(element, bo, "formUiSchemaFilename", value, commands);
        break;
      case "instructions":
        this.planBody(element, bo, "InstructionsForEndUser", value, commands);
        break;
      case "preScript":
        this.planBody(element, bo, "PreScript", value, commands);
        break;
      case "postScript":
        this.planBody(element, bo, "PostScript", value, commands);
        break;
      case "decision":
        this.planBody(element, bo, "CalledDecisionId", value.trim(), commands);
        break;
      case "script":
        commands.push(["element.updateProperties", {
          element: element,
          properties: { script: value, scriptFormat: bo.scriptFormat || "python" }
        }]);
        break;
      case "timerType":
      case "timerExpression":
        this.planTimer(element, bo, field, value, commands);
        break;
      case "message":
      case "newMessage":
        this.planMessage(element, bo, field, value, commands);
        break;
      case "messageVariable":
        this.planBody(element, gf.messageHost(bo), "MessageVariable", value.trim(), commands);
        break;
      case "messagePayload":
        this.planBody(element, gf.messageHost(bo), "MessagePayload", value.trim(), commands);
        break;
      case "correlation":
      case "newCorrelation":
      case "correlationPath":
        this.planCorrelation(element, bo, field, value, commands);
        break;
    }
    this.run(commands);
  };

  Editor.prototype.planTimer = function (element, bo, field, value, commands) {
    var timer = gf.eventDefinition(bo, "bpmn:TimerEventDefinition");
    var kind = gf.timerKind(timer);
    var expression = kind && timer.get(kind);
    if (field === "timerType") {
      var moved = {};
      gf.TIMER_KINDS.forEach(function (k) { moved[k] = undefined; });
      moved[value] = expression || this.moddle.create("bpmn:FormalExpression", { body: "" });
      moved[value].$parent = timer;
      commands.push(this.update(element, timer, moved));
    } else if (expression) {
      commands.push(this.update(element, expression, { body: value }));
    } else {
      var created = this.moddle.create("bpmn:FormalExpression", { body: value });
      var props = {};
      created.$parent = timer;
      props[gf.byId("el-timer-type").value || "timeDate"] = created;
      commands.push(this.update(element, timer, props));
    }
  };

  Editor.prototype.planMessage = function (element, bo, field, value, commands) {
    var host = gf.messageHost(bo), message;
    if (field === "message") {
      if (value === NEW) { return; } /* the name field appears; it creates the message */
      message = this.rootElements("bpmn:Message")
        .filter(function (m) { return m.id === value; })[0];
    } else {
      var name = value.trim();
      if (!name) { return; }
      message = this.moddle.create("bpmn:Message", {
        id: this.freeId(name, "message"), name: name
      });
      this.planAddRoot(element, message, commands);
    }
    commands.push(this.update(element, host, { messageRef: message }));
  };

  Editor.prototype.planCorrelation = function (element, bo, field, value, commands) {
    var message = gf.messageHost(bo).messageRef;
    var current = this.correlationOf(message);
    var self = this;
    function detach() {
      if (!current) { return; }
      commands.push(self.update(element, current.property, {
        correlationPropertyRetrievalExpression: current.property
          .get("correlationPropertyRetrievalExpression")
          .filter(function (e) { return e !== current.expression; })
      }));
    }
    function newExpression(path) {
      return self.moddle.create("bpmn:CorrelationPropertyRetrievalExpression", {
        messageRef: message,
        messagePath: self.moddle.create("bpmn:FormalExpression", { body: path })
      });
    }
    var path = current && current.expression.messagePath ? current.expression.messagePath.body : "";
    if (field === "correlationPath") {
      if (!current) { return; }
      if (current.expression.messagePath) {
        commands.push(this.update(element, current.expression.messagePath, { body: value }));
      } else {
        commands.push(this.update(element, current.expression, {
          messagePath: this.moddle.create("bpmn:FormalExpression", { body: value })
        }));
      }
      return;
    }
    if (field === "correlation") {
      if (value === NEW) { return; }
      if (current && current.property.id === value) { return; }
      detach();
      var property = this.rootElements("bpmn:CorrelationProperty")
        .filter(function (p) { return p.id === value; })[0];
      if (property) {
        var added = newExpression(path || "");
        added.$parent = property;
        commands.push(this.update(element, property, {
          correlationPropertyRetrievalExpression: property
            .get("correlationPropertyRetrievalExpression").concat([added])
        }));
      }
      return;
    }
    var name = value.trim();
    if (!name) { return; }
    detach();
    this.planAddRoot(element, this.moddle.create("bpmn:CorrelationProperty", {
      id: this.freeId(name, "property"),
      name: name,
      correlationPropertyRetrievalExpression: [newExpression(path || "")]
    }), commands);
  };
})();
