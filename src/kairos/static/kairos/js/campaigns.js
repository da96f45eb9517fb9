// Campaign forms: segment search, live inactive-segment warnings, the title suggestion, the
// create form's live conflict check and suggested priority, the campaign page's tabs and the
// live preview. Progressive enhancement: every page works and says the same without it.
(() => {
  "use strict";

  function setUpSegmentPicker(picker) {
    const boxes = Array.from(picker.querySelectorAll("input[type=checkbox]"));
    const title = document.querySelector("input[data-title]");
    // The order the marketer picked segments in: the first one names the campaign.
    let picked = boxes.filter((box) => box.checked);
    const suggestionFor = (box) => (box ? box.dataset.suggestion : "");
    // A title the marketer typed is theirs; only an empty or suggested one is replaced.
    let titleIsSuggested = title && (title.value === "" ||
      boxes.some((box) => box.dataset.suggestion === title.value));

    function showWarnings() {
      boxes.forEach((box) => {
        const warning = picker.querySelector(`[data-warning-for="${box.value}"]`);
        if (warning) warning.hidden = !box.checked;
      });
    }

    function suggestTitle() {
      if (!title || !titleIsSuggested) return;
      title.value = suggestionFor(picked[0]);
    }

    boxes.forEach((box) => box.addEventListener("change", () => {
      picked = picked.filter((other) => other !== box && other.checked);
      if (box.checked) picked.push(box);
      showWarnings();
      suggestTitle();
    }));
    if (title) title.addEventListener("input", () => { titleIsSuggested = title.value === ""; });

    const search = picker.querySelector("[data-segment-search]");
    const none = picker.querySelector("[data-segment-none]");
    if (search) {
      search.hidden = false;
      search.addEventListener("input", () => {
        const wanted = search.value.trim().toLowerCase();
        let shown = 0;
        picker.querySelectorAll("[data-segment-option]").forEach((option) => {
          const match = option.dataset.name.includes(wanted);
          option.hidden = !match;
          if (match) shown += 1;
        });
        if (none) none.hidden = shown > 0;
      });
      // Enter in the search box filters; it must not submit the campaign form.
      search.addEventListener("keydown", (event) => {
        if (event.key === "Enter") event.preventDefault();
      });
    }
    showWarnings();
  }

  function contentValue(name, locale) {
    const own = document.querySelector(`[data-content-field="${name}"][data-locale="${locale}"]`);
    const shared = document.querySelector(`[data-content-field="${name}"][data-locale=""]`);
    if (shared) return shared.value;
    if (!own) return null;
    // As the widget does: an empty translation falls back to the other language.
    if (own.value.trim()) return own.value;
    const other = document.querySelector(`[data-content-field="${name}"]:not([data-locale="${locale}"])`);
    return other ? other.value : "";
  }

  function refreshPreview(preview) {
    preview.querySelectorAll("[data-preview-locale]").forEach((pane) => {
      const locale = pane.dataset.previewLocale;
      pane.querySelectorAll("[data-preview-field]").forEach((target) => {
        let value = contentValue(target.dataset.previewField, locale);
        if (value === null) return;
        if (target.dataset.coupon !== undefined) value = value.split("%{coupon}").join(target.dataset.coupon);
        if (target.dataset.previewAttr) {
          target.setAttribute(target.dataset.previewAttr, value);
          if (target.tagName === "IMG") target.hidden = !value;
        } else {
          target.textContent = value;
        }
      });
    });
  }

  function setUpPreviewSwitch(preview) {
    const switcher = preview.querySelector("[data-preview-switch]");
    if (!switcher) return;
    const buttons = Array.from(switcher.querySelectorAll("[data-show-locale]"));
    const show = (locale) => {
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.showLocale === locale)));
      preview.querySelectorAll("[data-preview-locale]").forEach((pane) => {
        pane.hidden = pane.dataset.previewLocale !== locale;
      });
    };
    buttons.forEach((b) => b.addEventListener("click", () => show(b.dataset.showLocale)));
    switcher.hidden = false;
    if (buttons.length) show(buttons[0].dataset.showLocale);
  }

  function setUpPreview(preview) {
    setUpPreviewSwitch(preview);
    document.querySelectorAll("[data-content-field]").forEach((input) => {
      input.addEventListener("input", () => refreshPreview(preview));
      input.addEventListener("change", () => refreshPreview(preview));
    });
    // A form sent back with errors shows what was typed, not what is stored.
    refreshPreview(preview);
  }

  // The create form asks the server, as segments and priority change, which campaigns
  // compete for these customers; the answer replaces the conflict panel.
  function setUpConflictCheck(form) {
    const panel = form.querySelector("[data-conflict-panel]");
    const priority = form.querySelector("input[data-priority]");
    if (!panel || !priority) return;
    let typed = false;  // a priority the marketer typed is theirs, not a suggestion
    let asked = 0;
    let timer = null;

    async function check() {
      const query = new URLSearchParams();
      form.querySelectorAll("[data-segment-picker] input[type=checkbox]:checked")
        .forEach((box) => query.append("segments", box.value));
      if (typed && priority.value.trim() !== "") query.set("priority", priority.value.trim());
      const mine = ++asked;
      let html;
      try {
        const answer = await fetch(`${form.dataset.checkUrl}&${query}`,
                                   {headers: {"X-Requested-With": "fetch"}});
        html = await answer.text();
      } catch (error) {
        return;  // offline: the check is re-done on the next change, and on Submit
      }
      if (mine !== asked) return;  // a later question is on its way
      const result = panel.querySelector("[data-conflict-result]");
      result.outerHTML = html;
      const suggested = panel.querySelector("[data-suggested-priority]");
      if (!typed && suggested) priority.value = suggested.dataset.suggestedPriority;
    }

    function soon() {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    }

    form.querySelectorAll("[data-segment-picker] input[type=checkbox]")
      .forEach((box) => box.addEventListener("change", soon));
    priority.addEventListener("input", () => { typed = priority.value.trim() !== ""; soon(); });
  }

  // The campaign page: settings, texts, conflicts, performance and history as tabs (without
  // JavaScript they are sections one after the other, reached by the same links).
  function setUpTabs(nav) {
    const root = document.querySelector("[data-tab-panels]");
    if (!root) return;
    const links = Array.from(nav.querySelectorAll("[data-tab]"));
    const names = links.map((link) => link.dataset.tab);
    const saveBar = root.querySelector("[data-save-bar]");
    nav.setAttribute("role", "tablist");

    function show(name, focus) {
      links.forEach((link) => {
        const selected = link.dataset.tab === name;
        link.setAttribute("aria-selected", String(selected));
        link.tabIndex = selected ? 0 : -1;
        if (selected && focus) link.focus();
      });
      root.querySelectorAll("[data-tab-panel]").forEach((panel) => {
        panel.hidden = panel.dataset.tabPanel !== name;
      });
      // Save belongs to the two tabs the form spans.
      if (saveBar) saveBar.hidden = !["settings", "texts"].includes(name);
    }

    links.forEach((link, index) => {
      link.setAttribute("role", "tab");
      link.addEventListener("click", (event) => {
        event.preventDefault();
        history.replaceState(null, "", `#${link.dataset.tab}`);
        show(link.dataset.tab, false);
      });
      link.addEventListener("keydown", (event) => {
        const step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
        if (!step) return;
        const next = links[(index + step + links.length) % links.length];
        history.replaceState(null, "", `#${next.dataset.tab}`);
        show(next.dataset.tab, true);
      });
    });
    // The tab holding an element (#coupons is on Texts), or the first one.
    function tabOf(id) {
      const owner = id && document.getElementById(id);
      const panel = owner && owner.closest("[data-tab-panel]");
      return names.includes(id) ? id : (panel ? panel.dataset.tabPanel : null);
    }

    document.querySelectorAll("[data-show-tab]").forEach((link) => link.addEventListener(
      "click", () => show(link.dataset.showTab, false)));
    window.addEventListener("hashchange", () => {
      const tab = tabOf(location.hash.slice(1));
      if (tab) show(tab, false);
    });
    show(tabOf(root.dataset.openTab) || tabOf(location.hash.slice(1)) || names[0], false);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-segment-picker]").forEach(setUpSegmentPicker);
    document.querySelectorAll("[data-live-preview]").forEach(setUpPreview);
    document.querySelectorAll("[data-conflict-form]").forEach(setUpConflictCheck);
    document.querySelectorAll("[data-tabs]").forEach(setUpTabs);
  });
})();
