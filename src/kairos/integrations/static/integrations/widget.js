/*! Kairos widget: a short questionnaire, then at most one campaign, on a shop's page.
 *
 * Embed (the order and customer metadata may be queued before the script loads):
 *
 *   <div id="kairos"></div>                      <!-- optional: embedded mode -->
 *   <script>
 *     window.Kairos = window.Kairos || {q: []};
 *     Kairos.q.push(["metadata", {questionnaire: {transaction_id: "A-1001", amount: 120.5},
 *                                 responder: {email: "maria@example.com"}}]);
 *   </script>
 *   <script src="https://KAIROS/widget.js" data-site-key="pk_…" data-container="#kairos"
 *           async></script>
 *
 * data-stage: checkout (default) | after_sales.  data-locale: el | en (default: the page's
 * <html lang> when it is el or en, else the shop's default language).  data-container: a CSS
 * selector to render into; without it a floating box (data-position: bottom-right | bottom-left)
 * that the customer can minimise.  data-nonce: the page's CSP nonce, put on the widget's own
 * <style> element (default: the script tag's nonce).  Kairos.metadata({...}) may also be called
 * after the script has loaded.
 *
 * Rules this file keeps: plain ES2018, no dependencies, no build step; no global but Kairos;
 * everything renders inside a shadow root so the shop's CSS cannot reach it; text from the
 * server only ever becomes text nodes and attributes, never parsed markup.
 */
(function (window, document) {
  "use strict";

  var VERSION = "1";
  if (window.Kairos && window.Kairos.version) return; // embedded twice: the first one runs

  var TEXTS = {
    en: {
      feedback: "Your feedback", submit: "Send", sending: "Sending…", retry: "Try again",
      close: "Close", minimise: "Minimise", open: "Give feedback",
      required: "Please answer this question.", requiredField: "Please fill in this field.",
      phone: "Please enter a valid phone number.", email: "Please enter a valid email address.",
      consent: "Please tick this box so that we may call you.",
      thanks: "Thank you for your feedback!",
      offline: "We could not reach our server. Please check your connection and try again.",
      failed: "Sorry, something went wrong. Please try again later.",
      refused: "This survey is not available on this page.",
      npsLow: "0 – Not at all likely", npsHigh: "10 – Extremely likely",
      ratingLow: "1 – Very poor", ratingHigh: "10 – Excellent",
      choose: "Choose…", copied: "Copied!",
    },
    el: {
      feedback: "Η γνώμη σας", submit: "Αποστολή", sending: "Αποστολή…",
      retry: "Δοκιμάστε ξανά", close: "Κλείσιμο", minimise: "Ελαχιστοποίηση",
      open: "Πείτε μας τη γνώμη σας",
      required: "Παρακαλούμε απαντήστε σε αυτή την ερώτηση.",
      requiredField: "Παρακαλούμε συμπληρώστε αυτό το πεδίο.",
      phone: "Παρακαλούμε γράψτε έναν έγκυρο αριθμό τηλεφώνου.",
      email: "Παρακαλούμε γράψτε μια έγκυρη διεύθυνση email.",
      consent: "Παρακαλούμε τσεκάρετε το κουτάκι για να σας καλέσουμε.",
      thanks: "Ευχαριστούμε για τη γνώμη σας!",
      offline: "Δεν ήταν δυνατή η σύνδεση με τον διακομιστή μας. Ελέγξτε τη σύνδεσή σας " +
        "και δοκιμάστε ξανά.",
      failed: "Λυπούμαστε, κάτι πήγε στραβά. Δοκιμάστε ξανά αργότερα.",
      refused: "Αυτή η έρευνα δεν είναι διαθέσιμη σε αυτή τη σελίδα.",
      npsLow: "0 – Καθόλου πιθανό", npsHigh: "10 – Πάρα πολύ πιθανό",
      ratingLow: "1 – Πολύ κακή", ratingHigh: "10 – Εξαιρετική",
      choose: "Επιλέξτε…", copied: "Αντιγράφηκε!",
    },
  };
  var LOCALES = Object.keys(TEXTS);
  var TRIES = 3;
  var BACKOFF_MS = 500; // then 1 s: a flaky mobile connection gets three chances in ~1.5 s
  var DEVICE_KEY = "kairos:device";
  var DEVICE_COOKIE = "kairos_device";

  // ---- configuration, from the script tag --------------------------------------------

  var script = document.currentScript ||
    document.querySelector("script[data-site-key][src*='widget']");
  if (!script) return;
  var config = readConfig(script);
  if (!config.siteKey) {
    console.error("Kairos: the script tag needs data-site-key=\"pk_…\".");
    return;
  }
  var locale = config.locale || "en"; // the questionnaire's locale once it has loaded
  var metadata = { questionnaire: {}, responder: {} };

  function readConfig(element) {
    var data = element.dataset;
    return {
      // API calls and relative image URLs go to the server the script came from.
      origin: new URL(element.src, window.location.href).origin,
      siteKey: data.siteKey || "",
      stage: data.stage || "checkout",
      locale: pickLocale(data.locale) || pickLocale(document.documentElement.lang),
      container: data.container || "",
      position: data.position === "bottom-left" ? "left" : "right",
      nonce: data.nonce || element.nonce || "",
    };
  }

  function pickLocale(value) {
    var language = String(value || "").slice(0, 2).toLowerCase();
    return LOCALES.indexOf(language) >= 0 ? language : "";
  }

  function t() {
    return TEXTS[locale] || TEXTS.en;
  }

  // ---- the public API: window.Kairos ------------------------------------------------

  function installApi() {
    var queued = window.Kairos && Array.isArray(window.Kairos.q) ? window.Kairos.q : [];
    var api = { version: VERSION, metadata: addMetadata, q: { push: run } };
    // Commands pushed after load (an older snippet) still run: q.push is the same call.
    function run(command) {
      if (Array.isArray(command) && typeof api[command[0]] === "function") {
        api[command[0]].apply(null, command.slice(1));
      }
    }
    window.Kairos = api;
    queued.forEach(run);
  }

  function addMetadata(extra) {
    if (!extra || typeof extra !== "object") return;
    ["questionnaire", "responder"].forEach(function (scope) {
      if (extra[scope] && typeof extra[scope] === "object") {
        Object.assign(metadata[scope], extra[scope]);
      }
    });
  }

  // ---- the device: first-party storage only ------------------------------------------

  function deviceId() {
    try {
      var stored = window.localStorage.getItem(DEVICE_KEY);
      if (stored) return stored;
      var created = newId("d-");
      window.localStorage.setItem(DEVICE_KEY, created);
      return created;
    } catch (error) {
      return cookieDeviceId(); // storage blocked (privacy modes): the shop's own cookie
    }
  }

  function cookieDeviceId() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + DEVICE_COOKIE + "=([^;]+)"));
    if (match) return decodeURIComponent(match[1]);
    var created = newId("d-");
    document.cookie = DEVICE_COOKIE + "=" + created + "; max-age=31536000; path=/; SameSite=Lax" +
      (window.location.protocol === "https:" ? "; Secure" : "");
    return created;
  }

  function newId(prefix) {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return prefix + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); })
      .join("");
  }

  // ---- the network --------------------------------------------------------------------

  function Unreachable() {}

  // Every call is a CORS "simple request" (a GET, or a POST with a text/plain body and no
  // custom header), so the browser sends no preflight: one round trip per call on the
  // customer's phone. No cookies go to Kairos (credentials: omit).
  async function request(path, body, keepalive) {
    var init = { method: body ? "POST" : "GET", mode: "cors", credentials: "omit",
      keepalive: Boolean(keepalive) };
    if (body) {
      init.headers = { "Content-Type": "text/plain;charset=UTF-8" };
      init.body = JSON.stringify(body);
    }
    for (var attempt = 1; attempt <= TRIES; attempt++) {
      var response = await window.fetch(config.origin + path, init).catch(function () {
        return null; // offline, or refused by CORS: the same to us
      });
      if (response && response.status < 500 && response.status !== 429) {
        var data = await response.json().catch(function () { return {}; });
        return { status: response.status, data: data || {} };
      }
      if (attempt < TRIES) await sleep(BACKOFF_MS * Math.pow(2, attempt - 1));
    }
    throw new Unreachable();
  }

  function sleep(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  function questionnairePath() {
    var query = "?site_key=" + encodeURIComponent(config.siteKey) +
      (config.locale ? "&locale=" + config.locale : "");
    return "/api/public/v1/questionnaires/" + encodeURIComponent(config.stage) + query;
  }

  function actionPath(campaign) {
    return "/api/public/v1/impressions/" + encodeURIComponent(campaign.impression_id) + "/actions";
  }

  // For the shop's developer: why the widget shows less than expected.
  function warn(result) {
    console.warn("Kairos: the server answered " + result.status + ": " +
      (result.data.detail || "no detail"));
  }

  // ---- building DOM (text is always text) --------------------------------------------

  // h("p", {class: "x", onclick: fn}, "text", node, [more]): attributes are set with
  // setAttribute and children become text nodes, so no server string is parsed as markup.
  function h(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (name) {
      var value = props[name];
      if (value === null || value === undefined || value === false) return;
      if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    append(node, Array.prototype.slice.call(arguments, 2));
    return node;
  }

  function append(node, children) {
    children.forEach(function (child) {
      if (Array.isArray(child)) append(node, child);
      else if (child !== null && child !== undefined && child !== false && child !== "") {
        node.append(child instanceof window.Node ? child : String(child));
      }
    });
  }

  function paragraph(text, className) {
    return text ? h("p", { class: className || "message" }, text) : null;
  }

  // Relative image URLs in campaign content point at Kairos itself (e.g. /static/…).
  function kairosUrl(url) {
    return safeUrl(url, config.origin + "/");
  }

  // Only http(s) links: never javascript: or data: from campaign content.
  function safeUrl(url, base) {
    if (!url) return "";
    try {
      var parsed = new URL(url, base || window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : "";
    } catch (error) {
      return "";
    }
  }

  // ---- the shell: a host element, its shadow root, embedded or floating --------------

  var CSS = [
    ":host{all:initial;display:block}",
    "*,*::before,*::after{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;",
    "letter-spacing:normal;text-transform:none}",
    "[hidden]{display:none!important}",
    ".box{display:block;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',",
    "Arial,sans-serif;color:#1d2433;background:#fff;border:1px solid #e4e7ec;border-radius:12px;",
    "padding:16px;text-align:left;-webkit-text-size-adjust:100%;overflow-wrap:anywhere}",
    ".floating .box{box-shadow:0 12px 32px rgba(16,24,40,.2);max-height:calc(100vh - 24px);",
    "overflow-y:auto}",
    ":focus-visible{outline:3px solid #4f46e5;outline-offset:2px}",
    ".bar{display:flex;align-items:flex-start;gap:8px;margin-bottom:12px}",
    "h2{flex:1;font-size:17px;font-weight:700;line-height:1.3;padding-top:4px}",
    "h2:focus{outline:none}",
    ".icon{flex:none;width:32px;height:32px;border:0;border-radius:8px;background:none;",
    "color:#667085;font-size:20px;line-height:1;cursor:pointer}",
    ".icon:hover{background:#f2f4f7;color:#1d2433}",
    ".question{display:block;border:0;margin:0 0 16px;min-width:0}",
    ".label{display:block;font-weight:600;margin-bottom:8px}",
    ".req{color:#b42318}",
    ".scale{display:grid;gap:4px}",
    ".scale button{height:40px;min-width:0;border:1px solid #d0d5dd;border-radius:8px;",
    "background:#fff;font-size:14px;font-weight:600;cursor:pointer;white-space:nowrap;",
    "overflow-wrap:normal}",
    "@media (max-width:360px){.box{padding:12px}.scale{gap:2px}.scale button{font-size:13px;",
    "border-radius:6px}}",
    ".scale button:hover{border-color:#4f46e5}",
    ".scale button[aria-checked=true]{background:#4f46e5;border-color:#4f46e5;color:#fff}",
    ".ends{display:flex;justify-content:space-between;gap:8px;font-size:12px;color:#667085;",
    "margin-top:4px}",
    ".option{display:flex;gap:8px;align-items:flex-start;padding:4px 0;cursor:pointer}",
    "input[type=radio],input[type=checkbox]{flex:none;width:18px;height:18px;margin-top:2px;",
    "accent-color:#4f46e5}",
    "input[type=tel],input[type=email],input[type=text],select,textarea{display:block;",
    "width:100%;padding:9px 10px;border:1px solid #d0d5dd;border-radius:8px;background:#fff;",
    "font-size:16px}", // 16 px: phones do not zoom into the field
    "textarea{min-height:72px;resize:vertical}",
    "[aria-invalid=true]{border-color:#b42318!important}",
    ".field{margin-bottom:12px}",
    ".field>label{display:block;font-weight:600;margin-bottom:4px}",
    ".field>label.option{display:flex;font-weight:400}",
    ".error{color:#b42318;font-size:13px;margin-top:4px}",
    ".message{margin-bottom:12px}",
    ".thanks{font-size:16px}",
    ".primary{display:block;width:100%;padding:11px 16px;border:0;border-radius:8px;",
    "background:#4f46e5;color:#fff;font-size:15px;font-weight:600;cursor:pointer;",
    "text-align:center}",
    ".primary:hover{background:#4338ca}",
    ".primary[disabled]{opacity:.6;cursor:progress}",
    ".coupon{border:2px dashed #4f46e5;border-radius:10px;padding:12px;text-align:center;",
    "margin:12px 0}",
    ".code{font:700 20px/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.08em}",
    ".coupon img{display:block;margin:0 auto 8px;max-width:100%;height:auto}",
    ".coupon img.code128{width:280px}",
    ".coupon img.qr{width:160px}",
    ".picture{display:block;max-width:100%;height:auto;border-radius:8px;margin-bottom:12px}",
    ".banner{display:block}",
    ".banner .picture{margin:0}",
    ".launcher{display:block;margin-left:auto;padding:10px 16px;border:0;border-radius:999px;",
    "background:#4f46e5;color:#fff;font:600 15px/1.2 system-ui,sans-serif;cursor:pointer;",
    "box-shadow:0 6px 18px rgba(16,24,40,.25)}",
    ".left .launcher{margin-left:0}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
  ].join("");

  // The page's own !important rules (say `* {display: none !important}`) still reach the
  // host element; inline !important declarations beat them, so the host stays put.
  function pinHost(host, floating) {
    var styles = { display: "block", visibility: "visible", opacity: "1", transform: "none",
      filter: "none", "clip-path": "none", "pointer-events": "auto", float: "none",
      margin: "0", padding: "0", border: "0", "max-width": "none", "font-size": "16px" };
    if (floating) {
      styles.position = "fixed";
      styles["z-index"] = "2147483000";
      styles.bottom = "12px";
      styles.top = "auto";
      styles[config.position] = "12px";
      styles[config.position === "left" ? "right" : "left"] = "auto";
      styles.width = "min(380px, calc(100vw - 24px))";
      styles.height = "auto";
    } else {
      styles.position = "static";
      styles.width = "auto";
    }
    Object.keys(styles).forEach(function (name) {
      host.style.setProperty(name, styles[name], "important");
    });
  }

  function findContainer() {
    if (!config.container) return null;
    try {
      var found = document.querySelector(config.container);
      if (found) return found;
    } catch (error) { /* not a selector */ }
    console.warn("Kairos: no element matches data-container=\"" + config.container +
      "\"; showing a floating box instead.");
    return null;
  }

  function createShell() {
    var host = document.createElement("kairos-widget");
    var root = host.attachShadow({ mode: "open" });
    var style = h("style", { nonce: config.nonce || null });
    style.textContent = CSS;
    var title = h("h2", { id: "title", tabindex: "-1" });
    var minimise = h("button", { type: "button", class: "icon", onclick: minimiseBox }, "–");
    var close = h("button", { type: "button", class: "icon", onclick: closeBox }, "×");
    var body = h("div", { class: "body" });
    var status = h("div", { class: "sr", role: "status", "aria-live": "polite" });
    var box = h("section", { class: "box", "aria-labelledby": "title" },
      h("div", { class: "bar" }, title, minimise, close), body, status);
    var launcher = h("button", { type: "button", class: "launcher", hidden: true,
      "aria-expanded": "false", onclick: restoreBox });
    // Once the customer works in the widget, focus follows each new step (for screen
    // readers); before that, the widget never takes the focus from the page.
    var engaged = false;
    var frame = h("div", { class: "frame", onkeydown: onKeyDown,
      onfocusin: function () { engaged = true; } }, box, launcher);
    root.append(style, frame);
    var mounted = false;
    var floating = false;
    var onClose = null;

    function mount() {
      if (mounted) return;
      mounted = true;
      var container = findContainer();
      floating = !container;
      frame.className = "frame" + (floating ? " floating " + config.position : "");
      minimise.hidden = !floating;
      pinHost(host, floating);
      (container || document.body).appendChild(host);
    }

    // Replace what the box shows; focus follows only if the customer was working in it.
    function show(heading, nodes) {
      mount();
      box.setAttribute("lang", locale);
      title.textContent = heading || "";
      minimise.setAttribute("aria-label", t().minimise);
      minimise.title = t().minimise;
      close.setAttribute("aria-label", t().close);
      close.title = t().close;
      launcher.textContent = t().open;
      body.replaceChildren();
      append(body, nodes);
      if (engaged) (heading ? title : body.querySelector("button, input, a") || title).focus();
    }

    function minimiseBox() {
      box.hidden = true;
      launcher.hidden = false;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }

    function restoreBox() {
      box.hidden = false;
      launcher.hidden = true;
      title.focus();
    }

    function closeBox() {
      if (onClose) onClose();
      host.remove();
    }

    function onKeyDown(event) {
      if (event.key === "Escape" && floating && !box.hidden) minimiseBox();
    }

    return {
      show: show,
      announce: function (text) { status.textContent = text; },
      onClose: function (callback) { onClose = callback; },
      remove: function () { host.remove(); },
    };
  }

  // ---- the questionnaire --------------------------------------------------------------

  var shell = createShell();

  async function loadQuestionnaire(pending) {
    var result;
    try {
      result = await (pending || request(questionnairePath()));
    } catch (error) {
      return offerRetry(t().offline, function () { loadQuestionnaire(); });
    }
    if (result.status === 200) return showQuestionnaire(result.data);
    warn(result);
    if (result.status === 403) return shell.show(t().feedback, [paragraph(t().refused)]);
    shell.remove(); // 404: the shop has no questionnaire for this stage (switched off)
  }

  function offerRetry(message, again) {
    var button = h("button", { type: "button", class: "primary", onclick: function () {
      button.disabled = true;
      button.textContent = t().sending;
      again();
    } }, t().retry);
    shell.show(t().feedback, [paragraph(message), button]);
  }

  function showQuestionnaire(questionnaire) {
    locale = pickLocale(questionnaire.locale) || locale;
    var answers = {};
    var blocks = questionnaire.questions.map(function (question) {
      return questionBlock(question, answers);
    });
    var button = h("button", { type: "submit", class: "primary" }, t().submit);
    var form = h("form", { novalidate: true, onsubmit: function (event) {
      event.preventDefault();
      submitAnswers(questionnaire, blocks, answers, button);
    } }, blocks.map(function (question) { return question.node; }), button);
    shell.show(questionnaire.title, [form]);
  }

  function questionBlock(question, answers) {
    if (question.type === "nps" || question.type === "rating") {
      return scaleBlock(question, answers);
    }
    if (question.type === "choice") return choiceBlock(question, answers);
    return textBlock(question, answers);
  }

  // A question's wrapper: its label, its control, and the message when it is unanswered.
  function block(question, answers, parts) {
    var errorId = "q-" + question.key + "-error";
    var error = h("p", { class: "error", id: errorId, hidden: true });
    var node = h(parts.tag, { class: "question" }, parts.label, parts.control, parts.after,
      error);
    return {
      node: node,
      focus: parts.focus,
      clear: function () { error.hidden = true; parts.invalid.removeAttribute("aria-invalid"); },
      check: function () {
        if (!question.required || answered(answers[question.key])) return true;
        error.textContent = t().required;
        error.hidden = false;
        parts.invalid.setAttribute("aria-invalid", "true");
        describedBy(parts.invalid, errorId);
        return false;
      },
    };
  }

  function describedBy(node, id) {
    var ids = (node.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (ids.indexOf(id) < 0) node.setAttribute("aria-describedby", ids.concat(id).join(" "));
  }

  function answered(value) {
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "string") return value.trim() !== "";
    return value !== undefined && value !== null;
  }

  function labelText(question) {
    return [question.label,
      question.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null];
  }

  // NPS (0–10) and rating (1–10): a radio group of buttons, one tab stop, arrow keys move.
  function scaleBlock(question, answers) {
    var low = question.min === undefined || question.min === null ? 0 : question.min;
    var high = question.max === undefined || question.max === null ? 10 : question.max;
    var labelId = "q-" + question.key;
    var group = h("div", { class: "scale", role: "radiogroup", "aria-labelledby": labelId,
      "aria-describedby": labelId + "-ends", "aria-required": String(question.required) });
    group.style.gridTemplateColumns = "repeat(" + (high - low + 1) + ", minmax(0, 1fr))";
    var buttons = [];
    for (var value = low; value <= high; value++) {
      buttons.push(h("button", { type: "button", role: "radio", "aria-checked": "false",
        tabindex: value === low ? "0" : "-1", "data-value": value,
        onclick: choose, onkeydown: move }, String(value)));
    }
    append(group, buttons);
    var nps = question.type === "nps";
    var ends = h("div", { class: "ends", id: labelId + "-ends" },
      h("span", null, nps ? t().npsLow : t().ratingLow),
      h("span", null, nps ? t().npsHigh : t().ratingHigh));
    var result = block(question, answers, { tag: "div", control: group, after: ends,
      label: h("div", { class: "label", id: labelId }, labelText(question)),
      invalid: group, focus: function () { (selected() || buttons[0]).focus(); } });

    function selected() {
      return buttons.filter(function (b) { return b.getAttribute("aria-checked") === "true"; })[0];
    }
    function select(button) {
      buttons.forEach(function (other) {
        other.setAttribute("aria-checked", String(other === button));
        other.tabIndex = other === button ? 0 : -1;
      });
      answers[question.key] = Number(button.getAttribute("data-value"));
      result.clear();
    }
    function choose(event) {
      select(event.currentTarget);
    }
    // Like native radio buttons: arrows move the choice and the focus together.
    function move(event) {
      var steps = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      var index = buttons.indexOf(event.currentTarget);
      var next = null;
      if (event.key in steps) next = (index + steps[event.key] + buttons.length) % buttons.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = buttons.length - 1;
      if (next === null) return;
      event.preventDefault();
      select(buttons[next]);
      buttons[next].focus();
    }
    return result;
  }

  function choiceBlock(question, answers) {
    var multiple = Boolean(question.multiple);
    var inputs = [];
    var options = question.options.map(function (option) {
      var input = h("input", { type: multiple ? "checkbox" : "radio", name: question.key,
        value: option.key, onchange: update });
      inputs.push(input);
      return h("label", { class: "option" }, input, h("span", null, option.label));
    });
    var group = h("div", { role: multiple ? "group" : "radiogroup" }, options);
    var result = block(question, answers, { tag: "fieldset", control: group,
      label: h("legend", { class: "label" }, labelText(question)), invalid: group,
      focus: function () { if (inputs[0]) inputs[0].focus(); } });

    function update() {
      var chosen = inputs.filter(function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      answers[question.key] = multiple ? chosen : chosen[0];
      result.clear();
    }
    return result;
  }

  function textBlock(question, answers) {
    var id = "q-" + question.key;
    var area = h("textarea", { id: id, name: question.key, rows: "3", maxlength: "2000",
      "aria-required": String(question.required), oninput: function () {
        answers[question.key] = area.value;
        result.clear();
      } });
    var result = block(question, answers, { tag: "div", control: area, invalid: area,
      label: h("label", { class: "label", for: id }, labelText(question)),
      focus: function () { area.focus(); } });
    return result;
  }

  function submitAnswers(questionnaire, blocks, answers, button) {
    var unanswered = blocks.filter(function (b) { return !b.check(); });
    if (unanswered.length) return unanswered[0].focus();
    button.disabled = true; // one submission: a double click must not send twice
    button.textContent = t().sending;
    shell.announce(t().sending);
    sendAnswers({
      site_key: config.siteKey, stage: config.stage, locale: questionnaire.locale,
      device_id: deviceId(), answers: filled(answers), metadata: metadata,
      // A retry after a lost answer must not store the response twice.
      idempotency_key: newId("r-"),
      // Only what this widget can show: a type it has no view for is never chosen.
      campaign_types: Object.keys(VIEWS),
    });
  }

  function filled(answers) {
    var result = {};
    Object.keys(answers).forEach(function (key) {
      var value = answers[key];
      if (answered(value)) result[key] = typeof value === "string" ? value.trim() : value;
    });
    return result;
  }

  async function sendAnswers(body) {
    var result;
    try {
      result = await request("/api/public/v1/responses", body);
    } catch (error) {
      return offerRetry(t().offline, function () { sendAnswers(body); });
    }
    if (result.status === 201) return showCampaign(result.data.campaign);
    warn(result); // e.g. metadata the shop sent that Kairos refuses: the customer cannot fix it
    shell.show(t().feedback, [paragraph(t().failed)]);
  }

  // ---- campaigns ------------------------------------------------------------------------

  var VIEWS = {
    callback_request: callbackView,
    refer_friend: referralView,
    onscreen_incentive: incentiveView,
    image_display: imageView,
  };

  function showCampaign(campaign) {
    var view = campaign && VIEWS[campaign.type];
    if (!view) return showThanks(t().thanks);
    var content = campaign.content || {};
    var state = { campaign: campaign, acted: false, clicked: false };
    // Closing a campaign the customer did nothing with is a dismissal; the shop counts it.
    shell.onClose(function () {
      if (!state.acted) recordAction(state, { type: "dismiss" }, true);
    });
    shell.show(content.headline || "", view(state, content));
  }

  function showThanks(text, extra) {
    shell.show(t().feedback, [paragraph(text || t().thanks, "thanks"), extra || null]);
  }

  // One action of the customer; resolves to {ok} or {result} or {offline}, never throws.
  async function recordAction(state, fields, keepalive) {
    var body = Object.assign({ site_key: config.siteKey }, fields);
    try {
      var result = await request(actionPath(state.campaign), body, keepalive);
      // 409: an earlier attempt of this very submission already got through.
      if (result.status === 201 || result.status === 409) return { ok: true };
      warn(result);
      return { ok: false, result: result };
    } catch (error) {
      return { ok: false, offline: true };
    }
  }

  function callbackView(state, content) {
    var form = content.form || {};
    return [paragraph(content.message), actionForm(state, "callback_request", form,
      function () { showThanks(content.thank_you); })];
  }

  function referralView(state, content) {
    return [paragraph(content.message), picture(content.image_url),
      actionForm(state, "referral", content.form || {}, function () {
        showThanks(content.thank_you, content.coupon ? couponBox(content.coupon) : null);
      })];
  }

  function incentiveView(state, content) {
    var coupon = content.coupon;
    if (!coupon) return [paragraph(content.message)];
    var box = couponBox(coupon);
    var button = h("button", { type: "button", class: "primary", onclick: function () {
      copyText(coupon.code, box);
      button.textContent = t().copied;
      recordClick(state);
    } }, content.button_label);
    return [paragraph(content.message), box, content.button_label ? button : null];
  }

  function imageView(state, content) {
    var image = picture(content.image_url, content.alt);
    var link = safeUrl(content.link_url);
    if (!link || !image) return [image];
    // keepalive: the click is recorded even though the customer is leaving for the link.
    return [h("a", { class: "banner", href: link, target: "_blank", rel: "noopener",
      onclick: function () { recordClick(state); } }, image)];
  }

  // Clicks are counted once per impression, however often the button is pressed.
  function recordClick(state) {
    if (state.clicked) return;
    state.clicked = true;
    state.acted = true;
    recordAction(state, { type: "click" }, true);
  }

  function picture(url, alt) {
    var src = kairosUrl(url);
    return src ? h("img", { class: "picture", src: src, alt: alt || "" }) : null;
  }

  function couponBox(coupon) {
    var image = null;
    var src = coupon.format !== "text" ? kairosUrl(coupon.image_url) : "";
    if (src) {
      image = h("img", { class: coupon.format, src: src, alt: coupon.code,
        onerror: function () { image.remove(); } }); // the code below still works
    }
    return h("div", { class: "coupon" }, image, h("p", { class: "code" }, coupon.code));
  }

  function copyText(text, node) {
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(node.querySelector(".code"));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { document.execCommand("copy"); } catch (error) { /* selected for the customer */ }
    };
    if (window.navigator.clipboard) window.navigator.clipboard.writeText(text).catch(fallback);
    else fallback();
  }

  // ---- campaign forms (callback request, referral) ------------------------------------

  function actionForm(state, type, spec, done) {
    // One key per form: a retried or repeated submission is recorded once.
    var idempotencyKey = newId("a-");
    var fields = (spec.fields || []).map(inputField);
    if (spec.consent) fields.push(consentField(spec.consent));
    var problem = h("p", { class: "error", role: "alert", hidden: true });
    var button = h("button", { type: "submit", class: "primary" }, spec.submit_label || t().submit);
    var form = h("form", { novalidate: true, onsubmit: submit },
      fields.map(function (f) { return f.node; }), problem, button);

    async function submit(event) {
      event.preventDefault();
      if (button.disabled) return;
      problem.hidden = true;
      var invalid = fields.filter(function (f) { return !f.check(); });
      if (invalid.length) return invalid[0].focus();
      var body = { type: type, idempotency_key: idempotencyKey };
      fields.forEach(function (f) { body[f.name] = f.value(); });
      button.disabled = true;
      button.textContent = t().sending;
      shell.announce(t().sending);
      var outcome = await recordAction(state, body, false);
      button.disabled = false;
      if (outcome.ok) {
        state.acted = true;
        return done();
      }
      button.textContent = outcome.offline ? t().retry : spec.submit_label || t().submit;
      showProblems(outcome, fields, problem);
    }
    return form;
  }

  // The server's 422 names the fields ("phone_number: not a valid phone number"): show each
  // message next to its field; anything else above the button.
  function showProblems(outcome, fields, problem) {
    var result = outcome.result;
    var first = null;
    ((result && result.data.errors) || []).forEach(function (error) {
      var field = fields.filter(function (f) { return f.name === error.field; })[0];
      if (field) field.showError(error.message);
      first = first || field;
    });
    if (first) return first.focus();
    problem.textContent = outcome.offline ? t().offline :
      (result && result.status === 422 && result.data.detail) || t().failed;
    problem.hidden = false;
  }

  var CONTROLS = { tel: "tel", email: "email" };

  function inputField(spec) {
    var id = "f-" + spec.name;
    var control;
    if (spec.type === "select") {
      control = h("select", { id: id, name: spec.name },
        spec.required ? null : h("option", { value: "" }, t().choose),
        (spec.options || []).map(function (o) { return h("option", { value: o.value }, o.label); }));
    } else if (spec.type === "textarea") {
      control = h("textarea", { id: id, name: spec.name, rows: "3", maxlength: "1000" });
    } else {
      var kind = CONTROLS[spec.type] || "text";
      control = h("input", { id: id, name: spec.name, type: kind, autocomplete: kind === "tel" ?
        "tel" : "off", inputmode: kind === "tel" ? "tel" : null });
    }
    if (spec.value) control.value = spec.value;
    control.setAttribute("aria-required", String(Boolean(spec.required)));
    var label = h("label", { for: id }, spec.label,
      spec.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null);
    return field(spec.name, label, control, function (value) {
      if (!value) return spec.required ? t().requiredField : "";
      if (spec.type === "tel" && !plausiblePhone(value)) return t().phone;
      if (spec.type === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return t().email;
      return "";
    }, function () { return control.value.trim(); });
  }

  function consentField(spec) {
    var box = h("input", { type: "checkbox", id: "f-consent", name: "consent",
      "aria-required": String(Boolean(spec.required)) });
    var label = h("label", { class: "option", for: "f-consent" }, box, h("span", null, spec.label));
    return field("consent", label, box, function (checked) {
      return spec.required && !checked ? t().consent : "";
    }, function () { return box.checked; });
  }

  // A form field: its node, its value, its own error message next to it.
  function field(name, label, control, problemWith, value) {
    var errorId = "f-" + name + "-error";
    var error = h("p", { class: "error", id: errorId, hidden: true });
    // A checkbox sits inside its label; other controls follow theirs.
    var node = h("div", { class: "field" }, label, label.contains(control) ? null : control,
      error);
    var result = {
      name: name, node: node, value: value,
      focus: function () { control.focus(); },
      showError: function (message) {
        error.textContent = message;
        error.hidden = false;
        control.setAttribute("aria-invalid", "true");
        describedBy(control, errorId);
      },
      check: function () {
        var message = problemWith(value());
        if (message) result.showError(message);
        else clear();
        return !message;
      },
    };
    function clear() {
      error.hidden = true;
      control.removeAttribute("aria-invalid");
    }
    // Cleared while typing, not on blur: on blur the message's space would vanish under the
    // pointer on its way to the submit button, and the click would miss it.
    control.addEventListener("input", clear);
    control.addEventListener("change", clear);
    return result;
  }

  // Plausible, not valid: the server (libphonenumber, the shop's country) has the last word.
  function plausiblePhone(value) {
    return /^\+?[0-9]{7,15}$/.test(value.replace(/[\s().\-/]/g, ""));
  }

  // ---- start ----------------------------------------------------------------------------

  installApi();
  // Fetch at once, show when the page's container can exist (the script may run early).
  var pending = request(questionnairePath());
  pending.catch(function () { /* handled by loadQuestionnaire */ });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { loadQuestionnaire(pending); },
      { once: true });
  } else {
    loadQuestionnaire(pending);
  }
})(window, document);
