/* The details form of the selected element, beside the diagram: the Element list to choose an
 * element by name, and the fields of the kind of element shown. A change of a field goes to
 * Editor.apply (changes.js). */
(function () {
  "use strict";

  var gf = window.grantflowModeler;
  var Editor = gf.Editor, is = gf.is, text = gf.text, $ = gf.byId;
  var NEW = gf.NEW_OPTION;

  /* Shows or hides the fields of a group (data-group="userTask", ...). */
  function show(group, visible) {
    document.querySelectorAll('[data-group="' + group + '"]').forEach(function (node) {
      node.hidden = !visible;
    });
  }

  /* options: [value, label] pairs. */
  function fillSelect(select, options, value) {
    select.textContent = "";
    options.forEach(function (option) {
      var node = document.createElement("option");
      node.value = option[0];
      node.textContent = option[1];
      select.appendChild(node);
    });
    select.value = value;
  }

  function labelOf(id, name) { return name ? name + " (" + id + ")" : id; }

  /* The draft's form files, and the chosen one even if the draft does not have it. */
  function fileOptions(names, value) {
    var options = [["", text.optionNone]].concat(names.map(function (n) { return [n, n]; }));
    if (value && names.indexOf(value) < 0) {
      options.push([value, gf.format(text.missing, { name: value })]);
    }
    return options;
  }

  /* Every element but labels and unnamed connections, by name. */
  Editor.prototype.elementsForChooser = function () {
    var root = this.canvas.getRootElement();
    return this.registry.filter(function (element) {
      var bo = element.businessObject;
      if (element === root || element.type === "label" || !bo || !bo.id) { return false; }
      return !element.waypoints || Boolean(bo.name);
    }).sort(function (a, b) {
      var x = (a.businessObject.name || a.id).toLowerCase();
      var y = (b.businessObject.name || b.id).toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
  };

  Editor.prototype.fillChooser = function () {
    var options = [["", text.noneSelected]];
    this.elementsForChooser().forEach(function (element) {
      var name = element.businessObject.name;
      options.push([element.id, labelOf(element.id, name && name.replace(/\s+/g, " "))]);
    });
    fillSelect($("el-choose"), options, this.current ? this.current.id : "");
  };

  /* The value each field had when it was last shown: a change event that changes nothing (the
   * browser's own, after Enter already applied the value) is ignored. */
  function rememberShown() {
    document.querySelectorAll("#element-form [data-apply]").forEach(function (field) {
      field.dataset.shown = field.value;
    });
  }

  function edited(field) {
    return Boolean(field && field.dataset && field.dataset.apply) &&
      field.value !== field.dataset.shown && !field.closest("[hidden]");
  }

  /* Apply what is still being typed in the sidebar to the element it belongs to, before another
   * element is shown there. */
  Editor.prototype.flushEdit = function () {
    var field = document.activeElement;
    if (field && field.closest && field.closest("#element-form") && edited(field)) {
      this.apply(field.dataset.apply, field.value);
    }
  };

  Editor.prototype.showElement = function () {
    var selected = this.selection.get();
    $("el-several").hidden = selected.length < 2;
    $("el-details").hidden = selected.length > 1;
    var element = selected.length === 1 ? selected[0] : null;
    if (element && element.type === "label") { element = element.labelTarget; }
    this.current = element;
    $("el-choose").value = element ? element.id : "";
    var bo = element ? element.businessObject : this.canvas.getRootElement().businessObject;
    $("el-id").value = bo ? bo.id : "";
    $("el-name").value = element && bo.name ? bo.name : "";
    show("name", Boolean(element));

    var lanes = element && is(bo, "bpmn:FlowNode") ? bo.get("lanes") : [];
    show("lane", Boolean(element) && is(bo, "bpmn:FlowNode"));
    $("el-lane").value = lanes.length
      ? lanes.map(function (lane) { return lane.name || lane.id; }).join(", ")
      : text.noLane;

    var userTask = Boolean(element) && is(bo, "bpmn:UserTask");
    show("userTask", userTask);
    if (userTask) {
      var form = gf.propertyOf(bo, "formJsonSchemaFilename");
      var uiForm = gf.propertyOf(bo, "formUiSchemaFilename");
      fillSelect($("el-form"), fileOptions(gf.config.forms, form), form);
      fillSelect($("el-ui-form"), fileOptions(gf.config.uiForms, uiForm), uiForm);
    }
    var instructions = Boolean(element) && (userTask || is(bo, "bpmn:ManualTask"));
    show("instructions", instructions);
    $("el-instructions").value = instructions ? gf.bodyOf(bo, "InstructionsForEndUser") : "";

    show("script", Boolean(element) && is(bo, "bpmn:ScriptTask"));
    $("el-script").value = element && is(bo, "bpmn:ScriptTask") ? bo.script || "" : "";

    show("decision", Boolean(element) && is(bo, "bpmn:BusinessRuleTask"));
    $("el-decision").value = element ? gf.bodyOf(bo, "CalledDecisionId") : "";

    var activity = Boolean(element) && is(bo, "bpmn:Activity");
    show("scripts", activity);
    $("el-pre-script").value = activity ? gf.bodyOf(bo, "PreScript") : "";
    $("el-post-script").value = activity ? gf.bodyOf(bo, "PostScript") : "";

    var timer = element && is(bo, "bpmn:Event") &&
      gf.eventDefinition(bo, "bpmn:TimerEventDefinition");
    show("timer", Boolean(timer));
    if (timer) {
      var kind = gf.timerKind(timer) || "timeDate";
      $("el-timer-type").value = kind;
      $("el-timer-expression").value = timer.get(kind) ? timer.get(kind).body || "" : "";
    }
    this.showMessage(element ? gf.messageHost(bo) : undefined, bo);
    rememberShown();
  };

  Editor.prototype.showMessage = function (host, bo) {
    show("message", Boolean(host));
    show("newMessage", false);
    show("newCorrelation", false);
    $("el-message-new").value = "";
    $("el-correlation-new").value = "";
    if (!host) { return; }
    var message = host.messageRef;
    var options = [["", text.optionNone]];
    this.rootElements("bpmn:Message").forEach(function (m) {
      options.push([m.id, labelOf(m.id, m.name)]);
    });
    options.push([NEW, text.newMessage]);
    fillSelect($("el-message"), options, message ? message.id : "");
    show("messageVariable", gf.receives(bo));
    show("messagePayload", !gf.receives(bo));
    $("el-message-variable").value = gf.bodyOf(host, "MessageVariable");
    $("el-message-payload").value = gf.bodyOf(host, "MessagePayload");

    show("correlation", Boolean(message));
    var correlation = this.correlationOf(message);
    var properties = [["", text.optionNone]];
    this.rootElements("bpmn:CorrelationProperty").forEach(function (p) {
      properties.push([p.id, labelOf(p.id, p.name)]);
    });
    properties.push([NEW, text.newCorrelation]);
    fillSelect($("el-correlation"), properties, correlation ? correlation.property.id : "");
    show("correlationPath", Boolean(correlation));
    var path = correlation && correlation.expression.messagePath;
    $("el-correlation-path").value = path ? path.body || "" : "";
  };

  /* Select the element (none for an empty id) and scroll it into view. */
  Editor.prototype.choose = function (id, focusDetails) {
    var element = id ? this.registry.get(id) : null;
    if (!element) {
      this.selection.select(null);
      return;
    }
    this.selection.select(element);
    this.canvas.scrollToElement(element);
    if (focusDetails) { $("element-heading").focus(); }
  };

  /* The Element list chooses; a changed field applies (Enter in a text field too). */
  Editor.prototype.listenToSidebar = function () {
    var editor = this;
    $("el-choose").addEventListener("change", function (event) {
      editor.choose(event.target.value, false);
    });
    $("element-form").addEventListener("submit", function (event) { event.preventDefault(); });
    $("element-form").addEventListener("change", function (event) {
      var field = event.target.dataset.apply;
      if (!edited(event.target)) { return; }
      if (field === "message") { show("newMessage", event.target.value === NEW); }
      if (field === "correlation") { show("newCorrelation", event.target.value === NEW); }
      editor.apply(field, event.target.value);
    });
    document.querySelectorAll("#element-form input[type=text]").forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && input.dataset.apply) {
          event.preventDefault();
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  };
})();
