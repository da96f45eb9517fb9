// Campaign forms: segment search, live inactive-segment warnings, the title suggestion and
// the live preview. Progressive enhancement: every page works and says the same without it.
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

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-segment-picker]").forEach(setUpSegmentPicker);
    document.querySelectorAll("[data-live-preview]").forEach(setUpPreview);
  });
})();
