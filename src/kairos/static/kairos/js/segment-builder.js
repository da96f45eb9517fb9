// The segment builder: shows the rule tree ({"all"|"any": [...]}) as nested groups of
// condition rows, writes it back into the form's conditions field on every change, and
// asks the preview API how many responses it matches. The DOM is the state: serialising
// walks it, so there is no second copy to keep in sync. A text value offers the shop's
// known values while it is typed (GET /segments/values) and says when it matches no one.
(() => {
  "use strict";

  const PREVIEW_DELAY_MS = 400;
  const SUGGEST_DELAY_MS = 200;
  const SUGGESTIONS = 8;
  // Operators whose texts must equal a known value: a typo there quietly matches no one.
  const EQUALITY_OPS = { text: ["eq", "neq", "in", "not_in"],
                         list: ["contains", "not_contains", "in", "not_in"] };
  // Operators typed as part of a text (or a list's item): suggestions help, no hint.
  const SUGGESTED_OPS = { text: [...EQUALITY_OPS.text, "contains", "not_contains",
                                 "starts_with", "ends_with"],
                          list: EQUALITY_OPS.list };

  // The page hides the rule's JSON while the builder loads (segments.css), so it never
  // flashes; it comes back if the builder cannot start.
  document.documentElement.classList.add("has-segment-builder");

  let text, fields, readOnly, maxDepth, container, source, form;
  let previewTimer = null;
  let previewSequence = 0;
  let suggestionIds = 0;

  document.addEventListener("DOMContentLoaded", start);

  async function start() {
    container = document.querySelector("[data-segment-builder]");
    if (!container) return;
    form = container.closest("form");
    source = form.querySelector("[name=conditions]");
    text = readJson("segment-builder-text");
    readOnly = container.dataset.readonly === "true";
    maxDepth = Number(container.dataset.maxDepth);
    const rule = parseRule(source.value);
    if (!rule) return say(text.unreadable);
    try {
      fields = await loadFields(container.dataset.fieldsUrl);
    } catch (error) {
      return say(text.fields_failed);
    }
    container.append(buildGroup(rule, 1));
    document.querySelector("[data-rule-json]").hidden = true;
    listen();
    sync();  // gives every part its path, which the server's problems refer to
    showProblems(readJson("segment-rule-problems"));
    preview();
    for (const condition of container.querySelectorAll("[data-node=condition]")) {
      checkKnown(condition);
    }
  }

  // ---- reading what the page gives us ------------------------------------------------

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function parseRule(json) {
    let rule;
    try {
      rule = JSON.parse(json || '{"all": []}');
    } catch (error) {
      return null;
    }
    if (!isObject(rule)) return null;
    // A single condition at the root means the same as a group of one.
    return isGroup(rule) ? rule : { all: [rule] };
  }

  async function loadFields(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`fields: ${response.status}`);
    const byPath = new Map();
    for (const field of await response.json()) byPath.set(field.path, field);
    return byPath;
  }

  function say(message) {
    document.documentElement.classList.remove("has-segment-builder");
    container.append(element("p", { className: "error" }, message));
  }

  // ---- small DOM helpers -------------------------------------------------------------

  function element(tag, properties = {}, ...children) {
    return appendPresent(Object.assign(document.createElement(tag), properties), ...children);
  }

  // Parts that only some builders have (remove buttons when editable) come as null.
  function appendPresent(node, ...children) {
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function button(label, role, ariaLabel) {
    const node = element("button", { type: "button", className: "small" }, label);
    node.dataset.role = role;
    if (ariaLabel) node.setAttribute("aria-label", ariaLabel);
    return node;
  }

  function select(options, value, ariaLabel, role) {
    const node = element("select", { disabled: readOnly });
    for (const [optionValue, label] of options) node.append(new Option(label, optionValue));
    node.value = value;
    node.dataset.role = role;
    node.setAttribute("aria-label", ariaLabel);
    return node;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) => String(values[name]));
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isGroup(node) {
    return isObject(node) && ("all" in node || "any" in node);
  }

  // ---- groups ------------------------------------------------------------------------

  function buildGroup(group, depth) {
    const mode = "all" in group ? "all" : "any";
    const node = element("fieldset", { className: `rule-group depth-${depth}` });
    node.dataset.node = "group";
    node.dataset.depth = depth;
    appendPresent(node,
      element("legend", {}, depth === 1 ? text.root : text.group),
      element("div", { className: "group-head" },
        element("label", {}, `${text.match} `,
          select([["all", text.all_of], ["any", text.any_of]], mode, text.match, "mode"),
          ` ${text.the_following}`),
        depth > 1 && !readOnly ? button(text.remove, "remove-group") : null),
      problemSlot(),
      element("ol", { className: "group-children" }),
      element("p", { className: "empty-hint muted" }),
      readOnly ? null : groupActions(depth));
    const children = Array.isArray(group[mode]) ? group[mode] : [];
    for (const child of children) appendChild(node, child);
    return node;
  }

  function groupActions(depth) {
    return element("div", { className: "group-actions" },
      button(`+ ${text.add_condition}`, "add-condition"),
      depth < maxDepth ? button(`+ ${text.add_group}`, "add-group") : null);
  }

  function appendChild(group, child) {
    const depth = Number(group.dataset.depth);
    const built = isGroup(child) ? buildGroup(child, depth + 1) : buildCondition(child);
    childList(group).append(element("li", {}, built));
    return built;
  }

  function childList(group) {
    return group.querySelector(":scope > .group-children");
  }

  function childNodes(group) {
    return [...childList(group).children].map((item) => item.firstElementChild);
  }

  function modeOf(group) {
    return group.querySelector(":scope > .group-head [data-role=mode]").value;
  }

  // Numbers, joiner words ("and"/"or") and labels follow the tree after every change, so
  // "Group 2" on screen is "Group 2" in the problem list above the form.
  function relabel(group) {
    const mode = modeOf(group);
    const counts = { group: 0, condition: 0 };
    for (const child of childNodes(group)) {
      const kind = child.dataset.node;
      const number = ++counts[kind];
      child.parentElement.dataset.joiner = mode === "all" ? text.and : text.or;
      labelNode(child, kind, number);
      if (kind === "group") relabel(child);
    }
    const empty = childNodes(group).length === 0;
    const hint = group.querySelector(":scope > .empty-hint");
    hint.textContent = empty ? (mode === "all" ? text.empty_all : text.empty_any) : "";
    hint.hidden = !empty;
  }

  function labelNode(node, kind, number) {
    const name = format(kind === "group" ? text.group : text.condition, { n: number });
    if (kind === "group") {
      node.querySelector(":scope > legend").textContent = name;
    } else {
      node.setAttribute("aria-label", name);
      node.querySelector(".condition-number").textContent = name;
    }
    const place = kind === "group" ? ":scope > .group-head >" : ":scope >";
    const remove = node.querySelector(`${place} [data-role=remove-${kind}]`);
    const template = kind === "group" ? text.remove_group : text.remove_condition;
    if (remove) remove.setAttribute("aria-label", format(template, { n: number }));
  }

  // ---- conditions --------------------------------------------------------------------

  function buildCondition(condition) {
    const path = typeof condition.field === "string" ? condition.field : firstFieldPath();
    const type = fieldType(path, condition.op);
    const operators = operatorsOf(path, type);
    const op = operators.includes(condition.op) ? condition.op : operators[0];
    const node = element("div", { className: "rule-condition" });
    node.dataset.node = "condition";
    node.setAttribute("role", "group");
    appendPresent(node,
      element("span", { className: "condition-number muted" }),
      fieldSelect(path),
      operatorSelect(path, type, op),
      element("span", { className: "condition-value" }),
      readOnly ? null : button(text.remove, "remove-condition"),
      problemSlot(),
      element("div", { className: "value-hint" }));
    renderValue(node, type, op, rawValues(op, condition.value));
    return node;
  }

  // A new condition starts on the NPS answer when the shop has one: most segments do.
  function firstFieldPath() {
    return fields.has("answers.nps") ? "answers.nps" : fields.keys().next().value;
  }

  function fieldType(path, op) {
    if (fields.has(path)) return fields.get(path).type;
    // Not a field of this shop (any more): keep it visible with a type its operator has.
    const types = ["text", "number", "date", "boolean", "list"];
    return types.find((type) => operatorsFor(type).includes(op)) || "text";
  }

  function operatorsOf(path, type) {
    return fields.has(path) ? fields.get(path).operators : operatorsFor(type);
  }

  function operatorsFor(type) {
    const anyField = [...fields.values()].find((field) => field.type === type);
    return anyField ? anyField.operators : ["eq", "neq", "empty", "not_empty"];
  }

  function fieldLabel(path) {
    const [prefix, key] = path.split(".");
    const group = text.field_groups[prefix] || prefix;
    const field = fields.get(path);
    return `${group} › ${(field && field.label) || key}`;
  }

  function fieldSelect(current) {
    const node = select([], "", text.field, "field");
    const groups = new Map();
    for (const path of fields.keys()) {
      const prefix = path.split(".")[0];
      if (!groups.has(prefix)) {
        groups.set(prefix, element("optgroup", { label: text.field_groups[prefix] || prefix }));
        node.append(groups.get(prefix));
      }
      groups.get(prefix).append(new Option(fieldLabel(path), path));
    }
    if (!fields.has(current)) {
      node.append(new Option(format(text.unknown_field, { field: current }), current));
    }
    node.value = current;
    return node;
  }

  function operatorLabel(type, op) {
    const special = text.operators_by_type[type] || {};
    return special[op] || text.operators[op] || op;
  }

  function operatorSelect(path, type, op) {
    const options = operatorsOf(path, type).map((name) => [name, operatorLabel(type, name)]);
    return select(options, op, text.operator, "op");
  }

  function conditionParts(node) {
    const field = node.querySelector(":scope > [data-role=field]").value;
    const op = node.querySelector(":scope > [data-role=op]").value;
    return { field, op, type: fieldType(field, op) };
  }

  // ---- values: the inputs hold raw text; serialising turns it into JSON values --------

  function rawValues(op, value) {
    if (value === null || value === undefined) return ["", ""];
    if (Array.isArray(value)) {
      const items = value.map((item) => (item === null ? "" : String(item)));
      return takes(op, "pair") ? items : [items.join(", "), ""];
    }
    return [String(value), ""];
  }

  function currentRaw(node) {
    return [...node.querySelectorAll(".condition-value [data-value]")].map((input) => input.value);
  }

  // What an operator's value is ("none", "pair", "items", "days", "pattern"...): the
  // server's rule schema says it, through the page (builder_text.value_kinds).
  function takes(op, kind) {
    return text.value_kinds[op] === kind;
  }

  function renderValue(node, type, op, raw) {
    const slot = node.querySelector(".condition-value");
    slot.replaceChildren();
    if (takes(op, "none")) return;
    if (takes(op, "pair")) {
      slot.append(valueInput(type, raw[0]), ` ${text.value_to} `, valueInput(type, raw[1]));
    } else if (takes(op, "items")) {
      const input = valueInput("text", raw[0]);
      input.placeholder = text.list_hint;
      input.title = text.list_hint;
      slot.append(input);
    } else if (takes(op, "days")) {
      const input = valueInput("number", raw[0]);
      Object.assign(input, { min: 0, max: 36500, step: 1 });
      slot.append(input, ` ${text.days}`);
    } else if (takes(op, "pattern")) {
      const input = valueInput("text", raw[0]);
      input.placeholder = text.pattern_hint;
      input.title = text.pattern_hint;
      slot.append(input);
    } else {
      slot.append(valueInput(type, raw[0]));
    }
    if (readOnly || takes(op, "pattern")) return;
    for (const input of slot.querySelectorAll("input[type=text][data-value]")) withSuggestions(input);
  }

  function valueInput(type, raw) {
    if (type === "boolean") {
      const node = select([["", "—"], ["true", text.yes], ["false", text.no]], raw, text.value, "value");
      node.dataset.value = "";
      return node;
    }
    const inputType = { number: "number", date: "date" }[type] || "text";
    const node = element("input", { type: inputType, value: raw, disabled: readOnly });
    if (inputType === "number") node.step = "any";
    node.dataset.value = "";
    node.setAttribute("aria-label", text.value);
    return node;
  }

  function scalar(type, raw) {
    const trimmed = raw.trim();
    if (trimmed === "") return null;
    if (type === "number") {
      // Not a number stays text, so the server names the problem instead of us hiding it.
      return Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
    }
    if (type === "boolean") return trimmed === "true";
    return raw;
  }

  function conditionValue(type, op, raw) {
    if (takes(op, "pair")) return [scalar(type, raw[0]), scalar(type, raw[1])];
    if (takes(op, "days")) return scalar("number", raw[0]);
    if (takes(op, "items")) {
      const itemType = type === "list" ? "text" : type;
      const items = raw[0].split(",").filter((item) => item.trim() !== "");
      return items.map((item) => scalar(itemType, item.trim()));
    }
    return scalar(type, raw[0]);
  }

  // ---- the tree as JSON, with each part's path (as the server names problems) ---------

  function serialize(node, path) {
    node.dataset.path = path;
    if (node.dataset.node === "condition") return serializeCondition(node);
    const mode = modeOf(node);
    const prefix = path ? `${path}.${mode}` : mode;
    return { [mode]: childNodes(node).map((child, index) => serialize(child, `${prefix}[${index}]`)) };
  }

  function serializeCondition(node) {
    const { field, op, type } = conditionParts(node);
    if (takes(op, "none")) return { field, op };
    return { field, op, value: conditionValue(type, op, currentRaw(node)) };
  }

  function rootGroup() {
    return container.querySelector(":scope > .rule-group");
  }

  function sync() {
    const root = rootGroup();
    relabel(root);
    const rule = serialize(root, "");
    source.value = JSON.stringify(rule);
    return rule;
  }

  // ---- events ------------------------------------------------------------------------

  function listen() {
    container.addEventListener("click", onClick);
    container.addEventListener("change", onChange);
    container.addEventListener("input", onInput);
    const questionnaire = form.querySelector("[name=questionnaire]");
    if (questionnaire) questionnaire.addEventListener("change", schedulePreview);
    form.addEventListener("submit", sync);
  }

  function onClick(event) {
    const target = event.target.closest("button[data-role]");
    if (!target) return;
    const group = target.closest("[data-node=group]");
    const actions = {
      "add-condition": () => focusFirst(fresh(appendChild(group, { field: firstFieldPath() }))),
      "add-group": () => focusFirst(appendChild(group, { all: [] })),
      "remove-condition": () => removeNode(target.closest("[data-node=condition]")),
      "remove-group": () => removeNode(group),
    };
    if (!actions[target.dataset.role]) return;
    actions[target.dataset.role]();
    changed();
  }

  // A condition just added has no value yet: saying "the value is missing" before the
  // user typed would be an error for nothing, so it waits until they do.
  function fresh(node) {
    node.dataset.fresh = "true";
    return node;
  }

  function focusFirst(node) {
    node.querySelector("select, input, button").focus();
  }

  function removeNode(node) {
    const parent = node.parentElement.closest("[data-node=group]");
    node.parentElement.remove();
    parent.querySelector(":scope > .group-actions button").focus();
  }

  function onChange(event) {
    // Typing was already handled by onInput; its "change" on blur would only repeat it.
    if (event.target.matches("input[data-value]")) return;
    const role = event.target.dataset.role;
    const condition = event.target.closest("[data-node=condition]");
    if (role === "field") fieldChanged(condition);
    if (role === "op") operatorChanged(condition);
    changed();
    if (condition) scheduleKnownCheck(condition);
  }

  function onInput(event) {
    if (!event.target.matches("input[data-value]")) return;
    const condition = event.target.closest("[data-node=condition]");
    delete condition.dataset.fresh;  // typed: its problems may show from now on
    changed();
    scheduleSuggestions(event.target);
    scheduleKnownCheck(condition);
  }

  function fieldChanged(node) {
    const { field, op, type } = conditionParts(node);
    const operators = operatorsOf(field, type);
    const keptOp = operators.includes(op) ? op : operators[0];
    const raw = keptOp === op ? currentRaw(node) : ["", ""];
    node.querySelector(":scope > [data-role=op]").replaceWith(operatorSelect(field, type, keptOp));
    renderValue(node, type, keptOp, raw);
  }

  function operatorChanged(node) {
    const { op, type } = conditionParts(node);
    const raw = currentRaw(node);
    renderValue(node, type, op, [raw[0] || "", raw[1] || ""]);
  }

  function changed() {
    sync();
    schedulePreview();
  }

  // ---- live size ---------------------------------------------------------------------

  function schedulePreview() {
    clearTimeout(previewTimer);
    const size = document.getElementById("live-size");
    size.classList.add("is-stale");
    if (!size.textContent) size.textContent = text.counting;
    previewTimer = setTimeout(preview, PREVIEW_DELAY_MS);
  }

  function csrfToken() {
    const input = form.querySelector("[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? cookie.slice("csrftoken=".length) : "";
  }

  function questionnaireId() {
    const input = form.querySelector("[name=questionnaire]");
    return input && input.value ? Number(input.value) : null;
  }

  async function preview() {
    const sequence = ++previewSequence;
    const body = JSON.stringify({ conditions: sync(), questionnaire_id: questionnaireId() });
    let response, answer;
    try {
      response = await fetch(container.dataset.previewUrl, {
        method: "POST", credentials: "same-origin", body,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      });
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    // A newer edit has asked again: only its answer may be shown.
    if (sequence !== previewSequence) return;
    showPreview(response, answer);
  }

  function showPreview(response, answer) {
    clearProblems();
    if (response && response.ok && answer) return showSize(answer);
    if (response && response.status === 422 && answer) {
      const problems = (answer.errors || []).map((error) => ({
        path: error.field.replace(/^conditions\.?/, ""), message: error.message,
      }));
      const shown = problems.filter((problem) => !inFreshCondition(problem.path));
      showProblems(shown);
      return shown.length ? showSizeProblem(text.cannot_count) : showSizeWaiting();
    }
    showSizeProblem((answer && answer.detail) || text.unavailable);
  }

  function plural(forms, count) {
    return format(forms[count === 1 ? 0 : 1], { n: count });
  }

  function showSize(answer) {
    const size = document.getElementById("live-size");
    size.textContent = format(text.size, {
      responses: plural(text.responses, answer.responses),
      customers: plural(text.customers, answer.responders),
      days: text.days_count, total: answer.total,
    });
    size.classList.remove("is-stale");
    document.getElementById("live-size-problem").textContent = "";
  }

  function showSizeWaiting() {
    const size = document.getElementById("live-size");
    size.textContent = text.finish_condition;
    size.classList.add("is-stale");
    document.getElementById("live-size-problem").textContent = "";
  }

  function inFreshCondition(path) {
    const { node } = nodeFor(path);
    return Boolean(node.closest("[data-fresh]"));
  }

  function showSizeProblem(message) {
    document.getElementById("live-size").textContent = "";
    document.getElementById("live-size-problem").textContent = message;
  }

  // ---- problems next to the part they are about --------------------------------------

  function problemSlot() {
    const node = element("p", { className: "node-problem error" });
    node.dataset.role = "problem";
    return node;
  }

  function clearProblems() {
    for (const slot of container.querySelectorAll("[data-role=problem]")) slot.textContent = "";
    for (const node of container.querySelectorAll(".has-problem")) node.classList.remove("has-problem");
  }

  function showProblems(problems) {
    for (const problem of problems) {
      const { node, part } = nodeFor(problem.path);
      const slot = node.querySelector(":scope > [data-role=problem]");
      const lead = text.problem_in[part] || "";
      const line = lead ? `${lead} ${problem.message}` : problem.message;
      slot.textContent = slot.textContent ? `${slot.textContent} · ${line}` : line;
      node.classList.add("has-problem");
    }
  }

  // "any[1].all[0].value" -> the row at "any[1].all[0]" and the part "value"; a path the
  // builder does not show (an unknown key) falls back to the nearest enclosing part.
  function nodeFor(path) {
    let candidate = path;
    let part = "node";
    for (;;) {
      const node = container.querySelector(`[data-path="${CSS.escape(candidate)}"]`);
      if (node) return { node, part };
      if (!candidate) return { node: rootGroup(), part };
      const cut = candidate.lastIndexOf(".");
      if (part === "node") part = candidate.slice(cut + 1);
      candidate = cut === -1 ? "" : candidate.slice(0, cut);
    }
  }

  // ---- known values: suggestions while typing, and a hint when a value matches no one -

  function withSuggestions(input) {
    const list = element("ul", { className: "suggestions", id: `suggestions-${++suggestionIds}` });
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", text.known_values);
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.autocomplete = "off";
    input.addEventListener("keydown", onSuggestionKey);
    input.addEventListener("blur", () => setTimeout(() => closeSuggestions(input), 150));
    input.addEventListener("focus", () => scheduleSuggestions(input));
    const box = element("span", { className: "value-box" });
    input.replaceWith(box);
    box.append(input, list);
  }

  // What an input offers values for: the condition's field, when its type and operator
  // are ones where a known value helps (not a number, a date or a pattern).
  function suggestedField(condition, ops) {
    const { field, op, type } = conditionParts(condition);
    return fields.has(field) && (ops[type] || []).includes(op) ? field : null;
  }

  // In an "is one of" list the item being typed is the last one.
  function typedItem(input) {
    const condition = input.closest("[data-node=condition]");
    const { op } = conditionParts(condition);
    return takes(op, "items") ? input.value.split(",").pop().trim() : input.value.trim();
  }

  function valuesUrl(field, typed, limit) {
    const query = new URLSearchParams({ field, q: typed, limit: String(limit) });
    return `${container.dataset.valuesUrl}?${query}`;
  }

  async function knownValues(field, typed, limit) {
    const response = await fetch(valuesUrl(field, typed, limit), { credentials: "same-origin" });
    if (!response.ok) throw new Error(`values: ${response.status}`);
    return response.json();
  }

  function scheduleSuggestions(input) {
    clearTimeout(input.suggestTimer);
    input.suggestTimer = setTimeout(() => suggest(input), SUGGEST_DELAY_MS);
  }

  async function suggest(input) {
    const condition = input.closest("[data-node=condition]");
    const field = suggestedField(condition, SUGGESTED_OPS);
    if (!field || document.activeElement !== input) return closeSuggestions(input);
    const sequence = (input.suggestSequence = (input.suggestSequence || 0) + 1);
    let answer;
    try {
      answer = await knownValues(field, typedItem(input), SUGGESTIONS);
    } catch (error) {
      answer = null;  // suggestions are a help: without them, typing still works
    }
    if (sequence !== input.suggestSequence || document.activeElement !== input) return;
    showSuggestions(input, answer ? answer.values : []);
  }

  function listOf(input) {
    return document.getElementById(input.getAttribute("aria-controls"));
  }

  function showSuggestions(input, values) {
    const list = listOf(input);
    list.replaceChildren(...values.map((known, index) => {
      const option = element("li", { id: `${list.id}-${index}` },
        element("span", {}, known.value), " ", element("span", { className: "muted" },
          plural(text.responses, known.count)));
      option.setAttribute("role", "option");
      option.dataset.suggestion = known.value;
      // mousedown, not click: the input keeps its focus, so the list is not closed first.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(input, known.value);
      });
      return option;
    }));
    list.hidden = values.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    input.removeAttribute("aria-activedescendant");
  }

  function closeSuggestions(input) {
    const list = listOf(input);
    if (!list) return;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function onSuggestionKey(event) {
    const input = event.target;
    const list = listOf(input);
    const options = [...list.children];
    if (list.hidden || options.length === 0) return;
    const active = options.findIndex((option) => option.id === input.getAttribute("aria-activedescendant"));
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      const next = (active + moves[event.key] + options.length) % options.length;
      options.forEach((option, index) => option.setAttribute("aria-selected", String(index === next)));
      input.setAttribute("aria-activedescendant", options[next].id);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();  // picks the value rather than submitting the form
      pick(input, options[active].dataset.suggestion);
    } else if (event.key === "Escape") {
      closeSuggestions(input);
    }
  }

  // The picked value replaces what was typed (in a list, the item being typed).
  function pick(input, value) {
    const condition = input.closest("[data-node=condition]");
    const { op } = conditionParts(condition);
    if (takes(op, "items")) {
      const items = input.value.split(",").slice(0, -1).map((item) => item.trim());
      input.value = [...items.filter((item) => item !== ""), value].join(", ");
    } else {
      input.value = value;
    }
    closeSuggestions(input);
    delete condition.dataset.fresh;
    changed();
    scheduleKnownCheck(condition, 0);
  }

  function scheduleKnownCheck(condition, delay = PREVIEW_DELAY_MS) {
    clearTimeout(condition.knownTimer);
    condition.knownTimer = setTimeout(() => checkKnown(condition), delay);
  }

  // For each typed value of an equality that no recent response has, say so and offer
  // the nearest known values: "athns" would otherwise quietly match no one.
  async function checkKnown(condition) {
    const slot = condition.querySelector(":scope > .value-hint");
    const field = suggestedField(condition, EQUALITY_OPS);
    const sequence = (condition.knownSequence = (condition.knownSequence || 0) + 1);
    const items = field ? typedValues(condition) : [];
    let answers;
    try {
      answers = await Promise.all(items.map((item) => knownValues(field, item, 1)));
    } catch (error) {
      answers = [];
    }
    if (sequence !== condition.knownSequence) return;
    slot.replaceChildren(...answers.flatMap((answer, index) =>
      answer.matches ? [] : [unknownValueHint(condition, items[index], answer)]));
  }

  function typedValues(condition) {
    const raw = currentRaw(condition)[0] || "";
    const { op } = conditionParts(condition);
    const items = takes(op, "items") ? raw.split(",") : [raw];
    return [...new Set(items.map((item) => item.trim()).filter((item) => item !== ""))].slice(0, 10);
  }

  function unknownValueHint(condition, typed, answer) {
    const line = element("p", { className: "unknown-value" },
      format(text.matches_no_one, { value: typed }));
    if (answer.near.length) {
      line.append(` ${text.did_you_mean} `);
      answer.near.forEach((known, index) => {
        const choice = button(format(text.near_value, { value: known.value, count: known.count }),
          "use-near-value");
        choice.addEventListener("click", () => replaceValue(condition, typed, known.value));
        line.append(index ? " " : "", choice);
      });
    }
    return line;
  }

  function replaceValue(condition, typed, value) {
    const input = condition.querySelector(".condition-value input[data-value]");
    const { op } = conditionParts(condition);
    if (takes(op, "items")) {
      input.value = input.value.split(",").map((item) => (item.trim() === typed ? value : item.trim())).join(", ");
    } else {
      input.value = value;
    }
    changed();
    scheduleKnownCheck(condition, 0);
    input.focus();
  }
})();
